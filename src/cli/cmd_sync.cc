// Placeholder until the sync command lands; replaced by its implementation.
#include "cli/commands.h"
#include "core/exit_codes.h"

namespace metl::cli {

int RunSync(CommandContext& /*ctx*/) {
  ReportError(Error(ErrorKind::kInternal, "the 'sync' command is not implemented yet"));
  return kExitInternal;
}

}  // namespace metl::cli
