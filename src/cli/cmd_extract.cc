// `matomo-etl extract`: due (site, day) partitions from Matomo's Live API into the landing zone.
// The work is in extract/extract_run.h (shared with `sync`); this prints the summary.
#include "cli/commands.h"
#include "cli/run_summary.h"
#include "core/exit_codes.h"
#include "extract/extract_run.h"

namespace metl::cli {

int RunExtract(CommandContext& ctx) {
  auto token = ResolveMatomoToken(ctx.config, ctx.env);
  if (!token.ok()) {
    ReportError(token.error());
    return kExitUsage;
  }
  auto summary = extract::RunExtraction(ctx.config, *token, *ctx.clock);
  if (!summary.ok()) {
    ReportError(summary.error());
    return ExitCodeFor(summary.error());
  }
  return PrintExtractSummary(*summary);
}

}  // namespace metl::cli
