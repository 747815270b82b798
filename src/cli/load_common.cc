#include "cli/load_common.h"

#include <cstdio>

#include "core/exit_codes.h"
#include "core/version.h"

namespace metl::cli {

Result<std::unique_ptr<warehouse::Warehouse>> OpenConfiguredWarehouse(const Config& config) {
  warehouse::WarehouseOptions options;
  options.duckdb_memory_mb = config.Int("duckdb_memory_mb");
  return warehouse::OpenWarehouse(config.String("warehouse"), options);
}

Result<std::unique_ptr<warehouse::Session>> ConnectMigrated(warehouse::Warehouse& warehouse) {
  METL_TRY(warehouse.Migrate(AllTables()));
  return warehouse.Connect();
}

landing::PartitionFilter FilterFromConfig(const Config& config) {
  landing::PartitionFilter f;
  if (config.Has("site")) f.sites = config.IntList("site");
  if (config.Has("from")) f.from = config.Date("from");
  if (config.Has("to")) f.to = config.Date("to");
  return f;
}

warehouse::LoadOptions LoadOptionsFromConfig(const Config& config) {
  warehouse::LoadOptions o;
  o.landing = config.String("landing");
  o.filter = FilterFromConfig(config);
  o.full_refresh = config.Has("full_refresh") && config.Bool("full_refresh");
  o.threads = config.Has("threads") ? static_cast<int>(config.Int("threads")) : 0;
  o.etl_version = METL_VERSION;
  return o;
}

int PrintLoadSummary(const warehouse::LoadSummary& s, const std::string& where) {
  std::printf("loaded %d partition%s (%lld visits, %lld rows) into %s in %.1f s; %d unchanged; %d failed\n",
              s.loaded, s.loaded == 1 ? "" : "s", static_cast<long long>(s.visits), static_cast<long long>(s.rows),
              where.c_str(), s.seconds, s.skipped, s.failed);
  for (const auto& p : s.partitions) {
    if (p.result != warehouse::PartitionResult::kFailed || !p.error) continue;
    std::printf("  FAILED %s\n", p.error->ToString().c_str());
  }
  if (s.failed > 0) {
    std::printf("Fix the cause and run the same command again: loaded partitions are skipped, failed ones retried.\n");
    return kExitPartitionsFailed;
  }
  return kExitOk;
}

bool NothingToLoad(const warehouse::LoadOptions& options, const warehouse::WarehouseLocation& where) {
  if (where.file.empty() || where.file_exists) return false;
  auto landed = landing::LandingZone(options.landing).ListPartitions(options.filter);
  if (!landed.ok() || !landed->empty()) return false;
  std::printf(
      "nothing to load: no partition landed in %s%s; %s not created\n", options.landing.string().c_str(),
      options.filter.sites.empty() && !options.filter.from && !options.filter.to ? "" : " in the range asked for",
      where.file.string().c_str());
  return true;
}

}  // namespace metl::cli
