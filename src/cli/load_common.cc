#include "cli/load_common.h"

#include <cstdio>

#include "core/log.h"
#include "core/version.h"

namespace metl::cli {

Result<std::unique_ptr<warehouse::Warehouse>> OpenConfiguredWarehouse(const Config& config) {
  warehouse::WarehouseOptions options;
  options.duckdb_memory_mb = config.Int("duckdb_memory_mb");
  options.landing = config.String("landing");
  options.clickhouse_password = config.String("clickhouse_password");
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
  o.raw_visits_in_warehouse = config.String("raw_visits") != "landing";
  o.etl_version = METL_VERSION;
  if (config.Has("attribution_lookback_days")) o.analysis.lookback_days = static_cast<int>(config.Int("attribution_lookback_days"));
  auto funnels = models::ParseFunnels(config.String("funnels"));  // checked by CheckModelOptions first
  if (funnels.ok()) o.analysis.funnels = std::move(funnels).value();
  return o;
}

Status CheckModelOptions(const Config& config) {
  auto funnels = models::ParseFunnels(config.String("funnels"));
  if (!funnels.ok()) return std::move(funnels).error();
  return OkStatus();
}

bool NothingToLoad(const warehouse::LoadOptions& options, const warehouse::WarehouseLocation& where) {
  if (where.file.empty() || where.file_exists) return false;
  auto landed = landing::LandingZone(options.landing).ListPartitions(options.filter);
  if (!landed.ok() || !landed->empty()) return false;
  const bool ranged = !options.filter.sites.empty() || options.filter.from || options.filter.to;
  if (CurrentLogFormat() == LogFormat::kJson) {  // a summary: a log event with JSON logs (run_summary.h)
    LogInfo("nothing to load: the warehouse is not created",
            {{"landing", options.landing.string()}, {"in_range", ranged}, {"warehouse_file", where.file.string()}});
    return true;
  }
  std::printf("nothing to load: no partition landed in %s%s; %s not created\n", options.landing.string().c_str(),
              ranged ? " in the range asked for" : "", where.file.string().c_str());
  return true;
}

}  // namespace metl::cli
