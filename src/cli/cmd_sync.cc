// `matomo-etl sync`, the daily job: extract (the `extract` command, same flags and exit codes),
// then load what landed, refresh matomo_sites / matomo_goals from the API, and rebuild the models.
// Exit code: extract's when it is not OK (2: nothing ran; 3: some partitions failed; 4: a day
// landed as `mismatch`), else load's (3 when a partition failed to load), else 0.
//
// The warehouse is opened only for the load, the models and the API tables: extraction waits on
// Matomo for minutes under its rate limit, and a DuckDB file held that long would lock out BI tools
// and `status`. The landing zone's run lock, held from extraction to the end, serialises runs instead.
#include <cstdio>
#include <set>

#include "cli/api_tables.h"
#include "cli/commands.h"
#include "cli/load_common.h"
#include "core/exit_codes.h"
#include "core/log.h"
#include "extract/extract_run.h"
#include "matomo/client.h"

namespace metl::cli {

int RunSync(CommandContext& ctx) {
  if (Status models_ok = CheckModelOptions(ctx.config); !models_ok.ok()) {
    ReportError(models_ok.error());
    return kExitUsage;
  }
  // Fail fast on a bad --warehouse before spending Matomo requests, without opening it.
  auto where = warehouse::CheckWarehouseUrl(ctx.config.String("warehouse"));
  if (!where.ok()) {
    ReportError(where.error());
    return ExitCodeFor(where.error());
  }
  auto token = ResolveMatomoToken(ctx.config, ctx.env);
  if (!token.ok()) {
    ReportError(token.error());
    return kExitUsage;
  }
  extract::ExtractRunOptions extract_options;
  extract_options.keep_lock = true;
  auto extracted = extract::RunExtraction(ctx.config, *token, *ctx.clock, extract_options);
  std::shared_ptr<void> run_lock;  // held until the end
  int extract_rc = kExitOk;
  if (!extracted.ok()) {  // nothing was extracted (e.g. Matomo unreachable); what landed before still loads
    ReportError(extracted.error());
    extract_rc = ExitCodeFor(extracted.error());
  } else {
    extract_rc = PrintExtractSummary(*extracted);
    run_lock = std::move(extracted->run_lock);
  }
  if (extract_rc == kExitUsage || extract_rc == kExitInternal) return extract_rc;

  warehouse::LoadOptions options = LoadOptionsFromConfig(ctx.config);
  if (NothingToLoad(options, *where)) return extract_rc;
  auto wh = OpenConfiguredWarehouse(ctx.config);
  if (!wh.ok()) {
    ReportError(wh.error());
    return ExitCodeFor(wh.error());
  }
  auto summary = warehouse::LoadPartitions(**wh, options, *ctx.clock);
  if (!summary.ok()) {
    ReportError(summary.error());
    return kExitInternal;
  }
  int load_rc = PrintLoadSummary(*summary, (*wh)->Describe());

  // Sites and goals of every site in the landing zone (or asked for).
  std::set<int64_t> sites;
  for (const auto& p : summary->partitions) sites.insert(p.key.site_id);
  if (ctx.config.Has("site")) {
    for (int64_t s : ctx.config.IntList("site")) sites.insert(s);
  }
  if (!extracted.ok()) {  // e.g. Matomo did not answer a moment ago: asking again would only wait as long
    LogWarn("matomo_sites and matomo_goals not refreshed: the extraction failed before it started (see above)");
    return extract_rc;
  }
  auto client = extract::MakeClient(ctx.config, ctx.env);
  auto session = (*wh)->Connect();
  if (!client.ok() || !session.ok()) {  // said, not silently skipped: the tables would be stale
    LogWarn("could not refresh matomo_sites and matomo_goals",
            {{"error", (!client.ok() ? client.error() : session.error()).ToString()}});
    if (load_rc == kExitOk) load_rc = kExitPartitionsFailed;
  } else {
    Status st = RefreshApiTables(**client, **session, std::vector<int64_t>(sites.begin(), sites.end()),
                                 ctx.clock->NowEpochSeconds());
    if (!st.ok()) {
      LogWarn("could not refresh matomo_sites and matomo_goals", {{"error", st.error().ToString()}});
      if (load_rc == kExitOk) load_rc = kExitPartitionsFailed;
    }
  }
  if (extract_rc != kExitOk) return extract_rc;
  return load_rc;
}

}  // namespace metl::cli
