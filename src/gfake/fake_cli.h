// google-fake's command line (see `google-fake --help`).
#pragma once

namespace metl::gfake {

int Main(int argc, char** argv);

}  // namespace metl::gfake
