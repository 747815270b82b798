// matomo-etl: the list of commands. Each command lives in cmd_<verb>.cc.
#include "cli/commands.h"
#include "core/termination.h"

int main(int argc, char** argv) {
  metl::InstallTerminationHandlers();
  return metl::cli::Main(argc, argv);
}
