// Placeholder until the extract command lands; replaced by its implementation.
#include "cli/commands.h"
#include "core/exit_codes.h"

namespace metl::cli {

int RunExtract(CommandContext& /*ctx*/) {
  ReportError(Error(ErrorKind::kInternal, "the 'extract' command is not implemented yet"));
  return kExitInternal;
}

}  // namespace metl::cli
