// `matomo-etl load --dry-run`: what a load would do, changing nothing.
//   BigQuery: the engine runs its usual steps in plan mode (bq_dry_run.h): the NDJSON files it would
//     upload (rows, bytes), the staging tables, the load jobs and the publishing transaction under the
//     ids it would use, with the `bq` / `gcloud storage` commands that do the same by hand. Nothing is
//     sent, no credential is read.
//   DuckDB and PostgreSQL: the landed partitions in range, each due or unchanged according to the
//     ledger, read through a read-only session (a DuckDB file that does not exist is not created).
#include <cstdio>
#include <map>

#include "cli/commands.h"
#include "cli/load_common.h"
#include "core/exit_codes.h"
#include "warehouse/ledger.h"

namespace metl::cli {
namespace {

// The ledger as a read-only reader sees it; empty (and why, on stdout) when it cannot be read.
std::map<warehouse::PartitionKey, warehouse::LedgerEntry> ReadLedgerReadOnly(
    const Config& config, const warehouse::LoadOptions& options, const warehouse::WarehouseLocation& where) {
  std::map<warehouse::PartitionKey, warehouse::LedgerEntry> out;
  if (!where.file.empty() && !where.file_exists) {
    std::printf("warehouse %s does not exist yet: every landed partition would load\n", where.file.c_str());
    return out;
  }
  warehouse::WarehouseOptions wo;
  wo.read_only = true;
  wo.duckdb_memory_mb = 0;
  wo.clickhouse_password = config.String("clickhouse_password");
  auto wh = warehouse::OpenWarehouse(config.String("warehouse"), wo);
  Result<std::vector<warehouse::LedgerEntry>> ledger = Error(ErrorKind::kInternal, "not read");
  if (wh.ok()) {
    auto session = (*wh)->Connect();
    ledger = session.ok()
                 ? warehouse::ReadLedger(**session, options.filter.sites, options.filter.from, options.filter.to)
                 : Result<std::vector<warehouse::LedgerEntry>>(session.error());
  } else {
    ledger = wh.error();
  }
  if (!ledger.ok()) {
    std::printf("the ledger could not be read (%s): every landed partition would load\n",
                ledger.error().message().c_str());
    return out;
  }
  for (auto& e : *ledger) out[e.key] = std::move(e);
  return out;
}

int DryRunLocal(const CommandContext& ctx, const warehouse::LoadOptions& options,
                const warehouse::WarehouseLocation& where) {
  landing::LandingZone zone(options.landing);
  auto refs = zone.ListPartitions(options.filter);
  if (!refs.ok()) {
    ReportError(refs.error());
    return ExitCodeFor(refs.error());
  }
  std::printf("dry run: nothing is changed; %s only read\n", std::string(where.engine).c_str());
  const auto ledger = ReadLedgerReadOnly(ctx.config, options, where);
  int due = 0;
  int64_t visits = 0, bytes = 0;
  for (const auto& ref : *refs) {
    const warehouse::PartitionKey key{ref.site_id, ref.date};
    auto m = zone.ReadManifest(ref);
    if (!m.ok()) {
      std::printf("  %s: unreadable manifest (%s): would fail\n", key.ToString().c_str(), m.error().message().c_str());
      continue;
    }
    auto it = ledger.find(key);
    const bool unchanged = it != ledger.end() && it->second.status == warehouse::kLedgerLoaded &&
                           it->second.content_hash == m->content_sha256;
    const bool load = !unchanged || options.force || options.full_refresh;
    const char* why = it == ledger.end() ? "new" : !unchanged ? "changed" : "forced";
    std::printf("  %s: %lld visits, %lld bytes landed: %s\n", key.ToString().c_str(), static_cast<long long>(m->visits),
                static_cast<long long>(m->bytes),
                load ? (std::string("would load (") + why + ")").c_str() : "unchanged, skipped");
    if (!load) continue;
    ++due;
    visits += m->visits;
    bytes += m->bytes;
  }
  std::printf("would load %d of %zu landed partitions (%lld visits, %lld bytes of JSON), then rebuild the models%s\n",
              due, refs->size(), static_cast<long long>(visits), static_cast<long long>(bytes),
              options.full_refresh ? " and remove the days of the range no longer landed" : "");
  return kExitOk;
}

}  // namespace

int RunLoadDryRun(CommandContext& ctx, warehouse::LoadOptions options, const warehouse::WarehouseLocation& where) {
  if (where.engine != "bigquery") return DryRunLocal(ctx, options, where);
  warehouse::WarehouseOptions wo;
  wo.landing = ctx.config.String("landing");
  wo.dry_run = true;
  auto wh = warehouse::OpenWarehouse(ctx.config.String("warehouse"), wo);
  if (!wh.ok()) {
    ReportError(wh.error());
    return ExitCodeFor(wh.error());
  }
  options.dry_run = true;
  auto summary = warehouse::LoadPartitions(**wh, options, *ctx.clock);
  if (!summary.ok()) {
    ReportError(summary.error());
    return ExitCodeFor(summary.error());
  }
  int64_t rows = 0;
  for (const auto& p : summary->partitions) rows += p.rows;
  std::printf("dry run: would load %d partitions (%lld visits, %lld rows) into %s; nothing was sent\n", summary->loaded,
              static_cast<long long>(summary->visits), static_cast<long long>(rows), (*wh)->Describe().c_str());
  return summary->failed ? kExitPartitionsFailed : kExitOk;
}

}  // namespace metl::cli
