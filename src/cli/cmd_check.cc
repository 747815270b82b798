// Placeholder until the check command lands; replaced by its implementation.
#include "cli/commands.h"
#include "core/exit_codes.h"

namespace metl::cli {

int RunCheck(CommandContext& /*ctx*/) {
  ReportError(Error(ErrorKind::kInternal, "the 'check' command is not implemented yet"));
  return kExitInternal;
}

}  // namespace metl::cli
