// Placeholder until the load command lands; replaced by its implementation.
#include "cli/commands.h"
#include "core/exit_codes.h"

namespace metl::cli {

int RunLoad(CommandContext& /*ctx*/) {
  ReportError(Error(ErrorKind::kInternal, "the 'load' command is not implemented yet"));
  return kExitInternal;
}

}  // namespace metl::cli
