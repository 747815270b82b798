#include "sim/sim_cli.h"
namespace metl::sim {
int Main(int, char**) { return 1; }
}
