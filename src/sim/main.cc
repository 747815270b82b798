// matomo-sim: a stand-in for Matomo's HTTP API (see src/sim/README.md and `matomo-sim --help`).
#include "sim/sim_cli.h"

int main(int argc, char** argv) { return metl::sim::Main(argc, argv); }
