#include "clickhouse_server.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>

#include "harness.h"

namespace metl::e2e {
namespace {

const std::string kScript = std::string(METL_SOURCE_DIR) + "/tests/clickhouse-fixture.sh";

std::string ReadLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

bool RunScript(const std::vector<std::string>& args) {
  std::string cmd = kScript;
  for (const auto& a : args) cmd += " '" + a + "'";
  return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0;
}

// The servers of this process when no fixture runs: killed when the process exits.
struct OwnServers {
  TempDir tmp;
  std::string dir = (tmp.path() / "ch").string();
  bool ok = RunScript({"start", dir, "2"});
  ~OwnServers() { RunScript({"stop", dir}); }
};

std::string FixtureDir() {
  static std::once_flag once;
  static std::string dir;
  static std::unique_ptr<OwnServers> own;
  std::call_once(once, [] {
#ifdef METL_CH_FIXTURE_DIR
    if (std::filesystem::exists(std::string(METL_CH_FIXTURE_DIR) + "/uri")) {
      dir = METL_CH_FIXTURE_DIR;
      return;
    }
#endif
    if (!std::filesystem::exists("/usr/sbin/clickhouse-server")) return;
    own = std::make_unique<OwnServers>();
    if (own->ok) dir = own->dir;
  });
  return dir;
}

}  // namespace

std::string TestClickHouseServer() {
  std::string dir = FixtureDir();
  return dir.empty() ? "" : ReadLine(dir + "/uri");
}

std::string TestClickHouseClusterParams() {
  std::string dir = FixtureDir();
  return dir.empty() ? "" : ReadLine(dir + "/cluster-uri-params");
}

PrivateClickHouseCluster::PrivateClickHouseCluster() {
  static int counter = 0;
  dir_ = (std::filesystem::temp_directory_path() /
          ("metl-ch-" + std::to_string(::getpid()) + "-" + std::to_string(counter++)))
             .string();
  if (!RunScript({"start", dir_, "2"})) return;
  base_ = ReadLine(dir_ + "/uri");
  params_ = ReadLine(dir_ + "/cluster-uri-params");
}

PrivateClickHouseCluster::~PrivateClickHouseCluster() { RunScript({"stop", dir_}); }

std::string PrivateClickHouseCluster::Url(const std::string& database) const {
  return base_.empty() ? "" : base_ + "/" + database + params_;
}

bool PrivateClickHouseCluster::Kill(int server) { return RunScript({"kill", dir_, std::to_string(server)}); }
bool PrivateClickHouseCluster::Restart(int server) { return RunScript({"restart", dir_, std::to_string(server)}); }

}  // namespace metl::e2e
