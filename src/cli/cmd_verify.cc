// Placeholder until the verify command lands; replaced by its implementation.
#include "cli/commands.h"
#include "core/exit_codes.h"

namespace metl::cli {

int RunVerify(CommandContext& /*ctx*/) {
  ReportError(Error(ErrorKind::kInternal, "the 'verify' command is not implemented yet"));
  return kExitInternal;
}

}  // namespace metl::cli
