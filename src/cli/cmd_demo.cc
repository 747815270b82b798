// Placeholder until the demo command lands; replaced by its implementation.
#include "cli/commands.h"
#include "core/exit_codes.h"

namespace metl::cli {

int RunDemo(CommandContext& /*ctx*/) {
  ReportError(Error(ErrorKind::kInternal, "the 'demo' command is not implemented yet"));
  return kExitInternal;
}

}  // namespace metl::cli
