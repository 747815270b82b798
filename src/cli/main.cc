// matomo-etl: the list of commands. Each command lives in cmd_<verb>.cc.
#include "cli/commands.h"

int main(int argc, char** argv) { return metl::cli::Main(argc, argv); }
