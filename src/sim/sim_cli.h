// matomo-sim's command line (every flag is documented in src/sim/README.md and --help).
#pragma once

namespace metl::sim {

int Main(int argc, char** argv);

}  // namespace metl::sim
