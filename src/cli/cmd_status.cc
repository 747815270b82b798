// Placeholder until the status command lands; replaced by its implementation.
#include "cli/commands.h"
#include "core/exit_codes.h"

namespace metl::cli {

int RunStatus(CommandContext& /*ctx*/) {
  ReportError(Error(ErrorKind::kInternal, "the 'status' command is not implemented yet"));
  return kExitInternal;
}

}  // namespace metl::cli
