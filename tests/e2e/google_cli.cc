#include "google_cli.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace metl::e2e {

bool OnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "";
  size_t start = 0;
  while (start <= p.size()) {
    size_t colon = p.find(':', start);
    std::string dir = p.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (!dir.empty() && ::access((dir + "/" + name).c_str(), X_OK) == 0) return true;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return false;
}

ProcessResult RunGoogleCliScript(const std::string& script, const std::string& workdir) {
  const std::string path = SourceDir() + "/tests/e2e/" + script;
  std::vector<std::string> argv = {"/usr/bin/unshare", "-rn", "bash", path, GFAKE_BIN_PATH, workdir};
  bool isolated =
      ::access("/usr/bin/unshare", X_OK) == 0 && RunProcess({"/usr/bin/unshare", "-rn", "true"}).exit_code == 0;
  if (!isolated) {
    std::fprintf(stderr, "note: unshare -rn is not permitted here; running %s with loopback-only settings\n",
                 script.c_str());
    argv = {"/bin/bash", path, GFAKE_BIN_PATH, workdir};
  }
  return RunProcess(argv, {}, "", 240);
}

}  // namespace metl::e2e
