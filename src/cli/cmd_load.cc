// `matomo-etl load`: landed partitions into the warehouse, then the models.
// --from/--to reload that range even when unchanged; --full-refresh rebuilds everything.
#include <cstdio>

#include "cli/commands.h"
#include "cli/load_common.h"
#include "core/exit_codes.h"

namespace metl::cli {

int RunLoad(CommandContext& ctx) {
  auto wh = OpenConfiguredWarehouse(ctx.config);
  if (!wh.ok()) {
    ReportError(wh.error());
    return ExitCodeFor(wh.error());
  }
  warehouse::LoadOptions options = LoadOptionsFromConfig(ctx.config);
  options.force = options.filter.from.has_value() || options.filter.to.has_value();
  auto summary = warehouse::LoadPartitions(**wh, options, *ctx.clock);
  if (!summary.ok()) {
    ReportError(summary.error());
    return ExitCodeFor(summary.error()) == kExitUsage ? kExitUsage : kExitInternal;
  }
  return PrintLoadSummary(*summary, (*wh)->Describe());
}

}  // namespace metl::cli
