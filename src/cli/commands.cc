#include "cli/commands.h"
namespace metl::cli {
int Main(int, char**) { return 1; }
}
