// Running Google's own CLIs (gcloud, bq) against google-fake from a test: whether a tool is installed,
// and a driver script run inside `unshare -rn` (a network namespace with only loopback, so nothing can
// leave the machine) where the kernel allows it, else with the loopback-only settings of
// google_cli_prelude.sh alone (said on stderr).
#pragma once

#include <string>

#include "harness.h"

namespace metl::e2e {

bool OnPath(const std::string& name);
// Runs tests/e2e/<script> GOOGLE_FAKE_BIN WORKDIR.
ProcessResult RunGoogleCliScript(const std::string& script, const std::string& workdir);

}  // namespace metl::e2e
