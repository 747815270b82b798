// `matomo-etl load`: landed partitions into the warehouse, then the models.
// --from/--to reload that range even when unchanged; --full-refresh rebuilds everything.
// matomo_sites and matomo_goals are filled for loaded sites they lack (a new or rebuilt warehouse).
#include <cstdio>
#include <set>

#include "cli/api_tables.h"
#include "cli/commands.h"
#include "cli/load_common.h"
#include "core/exit_codes.h"

namespace metl::cli {

int RunLoad(CommandContext& ctx) {
  if (Status models_ok = CheckModelOptions(ctx.config); !models_ok.ok()) {
    ReportError(models_ok.error());
    return kExitUsage;
  }
  auto where = warehouse::CheckWarehouseUrl(ctx.config.String("warehouse"));
  if (!where.ok()) {
    ReportError(where.error());
    return ExitCodeFor(where.error());
  }
  warehouse::LoadOptions options = LoadOptionsFromConfig(ctx.config);
  options.force = options.filter.from.has_value() || options.filter.to.has_value();
  if (ctx.config.Has("dry_run") && ctx.config.Bool("dry_run")) return RunLoadDryRun(ctx, options, *where);
  if (NothingToLoad(options, *where)) return kExitOk;
  auto wh = OpenConfiguredWarehouse(ctx.config);
  if (!wh.ok()) {
    ReportError(wh.error());
    return ExitCodeFor(wh.error());
  }
  auto summary = warehouse::LoadPartitions(**wh, options, *ctx.clock);
  if (!summary.ok()) {
    ReportError(summary.error());
    return ExitCodeFor(summary.error()) == kExitUsage ? kExitUsage : kExitInternal;
  }
  int rc = PrintLoadSummary(*summary, (*wh)->Describe());
  std::set<int64_t> sites;
  for (const auto& p : summary->partitions) sites.insert(p.key.site_id);
  int fill_rc = FillMissingApiTables(ctx, **wh, std::vector<int64_t>(sites.begin(), sites.end()));
  return rc != kExitOk ? rc : fill_rc;
}

}  // namespace metl::cli
