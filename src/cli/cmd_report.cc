// `matomo-etl report --out report.html`: one self-contained HTML page (src/report/) of every loaded
// site (or --site), the 30 days up to each site's last loaded day (or --from/--to). Reads the
// warehouse read-only, like `sql`; writes the file through a temporary name and a rename, so that
// an open report is never seen half-written.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/commands.h"
#include "core/exit_codes.h"
#include "core/log.h"
#include "report/html_report.h"
#include "report/report_data.h"
#include "warehouse/warehouse.h"

namespace metl::cli {

int RunReport(CommandContext& ctx) {
  warehouse::WarehouseOptions options;
  options.read_only = true;
  options.duckdb_memory_mb = 0;
  options.clickhouse_password = ctx.config.String("clickhouse_password");
  auto wh = warehouse::OpenWarehouse(ctx.config.String("warehouse"), options);
  if (!wh.ok()) {
    ReportError(wh.error());
    return ExitCodeFor(wh.error());
  }
  auto session = (*wh)->Connect();
  if (!session.ok()) {
    ReportError(session.error());
    return ExitCodeFor(session.error());
  }
  report::ReportRequest request;
  if (ctx.config.Has("site")) request.sites = ctx.config.IntList("site");
  if (ctx.config.Has("from")) request.from = ctx.config.Date("from");
  if (ctx.config.Has("to")) request.to = ctx.config.Date("to");
  auto sites = report::ReadReport(**session, request);
  if (!sites.ok()) {
    Error err = sites.error();
    if (err.context().hint.empty()) {
      err =
          Error(std::move(err).WithHint("the report reads the analysis tables: run `matomo-etl load` or `sync` once "
                                        "with this version to build them (docs/bi.md)"));
    }
    ReportError(err);
    return ExitCodeFor(err);
  }
  const std::string html =
      report::RenderHtml(*sites, FormatDateTime(ctx.clock->NowEpochSeconds()) + " UTC", (*wh)->Describe());

  const std::filesystem::path out = ctx.config.String("out");
  const std::filesystem::path tmp = out.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(html.data(), static_cast<std::streamsize>(html.size()));
    f.close();
    if (!f) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      ReportError(Error(ErrorKind::kConfig, "cannot write " + tmp.string())
                      .WithHint("choose a writable place with --out PATH"));
      return kExitUsage;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, out, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    ReportError(Error(ErrorKind::kConfig, "cannot write " + out.string() + ": " + ec.message())
                    .WithHint("choose a writable place with --out PATH"));
    return kExitUsage;
  }
  std::printf("wrote %s: %zu site(s), %zu bytes\n", out.string().c_str(), sites->size(), html.size());
  return kExitOk;
}

}  // namespace metl::cli
