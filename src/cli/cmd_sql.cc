// `matomo-etl sql "SELECT ..."`: one read-only query against the configured warehouse, on any
// engine (through the Warehouse interface), printed as a table, CSV or JSON (--format). For users
// without an engine's own client (no DuckDB CLI is installed with matomo-etl) and for scripts.
// Read-only for real, not by convention: DuckDB opens the file read-only and without access to other
// files, PostgreSQL runs the statement in a READ ONLY transaction, BigQuery sends only a single SELECT or
// WITH query (bq_read_only.h) as a query job; a missing DuckDB file is an error,
// never created. Exit codes: 0 with the rows on stdout; 2 for a bad query, a write, a missing
// warehouse or a bad option (the engine's message and a hint on stderr).
#include <cstdio>

#include "cli/commands.h"
#include "cli/load_common.h"
#include "cli/result_format.h"
#include "core/exit_codes.h"

namespace metl::cli {
namespace {

bool LooksEmpty(const std::string& sql) {
  for (char ch : sql) {
    if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r' && ch != ';') return false;
  }
  return true;
}

}  // namespace

int RunSql(CommandContext& ctx) {
  const std::string& sql = ctx.config.String("query");
  if (LooksEmpty(sql)) {
    ReportError(Error(ErrorKind::kConfig, "no SQL statement given")
                    .WithHint("pass one as the argument: matomo-etl sql \"SELECT count(*) FROM matomo_visits\""));
    return kExitUsage;
  }
  ResultFormat format = ResultFormat::kTable;
  (void)ParseResultFormat(ctx.config.String("format"), format);  // the option table allows nothing else

  warehouse::WarehouseOptions options;
  options.read_only = true;
  options.duckdb_memory_mb = 0;  // reading: DuckDB's own default
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
  auto result = (*session)->Query(sql);
  if (!result.ok()) {
    // The engine's own message says what is wrong with the statement; a lost connection is not the query's fault.
    Error err = result.error();
    if (err.transient()) {
      ReportError(err);
      return ExitCodeFor(err);
    }
    if (err.context().hint.empty()) {
      err = Error(std::move(err).WithHint(
          "the statement was refused by " + std::string((*wh)->capabilities().engine) +
          "; `sql` is read-only: it reads the warehouse alone (no writes, no other files; one statement at a time "
          "on PostgreSQL). Tables and columns: docs/schema.md"));
    }
    ReportError(err);
    return kExitUsage;
  }
  std::string out = FormatResult(*result, format);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace metl::cli
