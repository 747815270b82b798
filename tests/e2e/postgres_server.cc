#include "postgres_server.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>

#include "harness.h"

namespace metl::e2e {
namespace {

std::string& OwnServerDir() {
  static std::string dir;
  return dir;
}

void StopOwnServer() {
  if (OwnServerDir().empty()) return;
  RunProcess({SourceDir() + "/tests/postgres-fixture.sh", "stop", OwnServerDir()}, {}, "", 60);
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string StartOwnServer() {
  std::string dir = (std::filesystem::temp_directory_path() / ("metl-e2e-pg-" + std::to_string(::getpid()))).string();
  ProcessResult r = RunProcess({SourceDir() + "/tests/postgres-fixture.sh", "start", dir}, {}, "", 120);
  if (r.exit_code != 0) {
    std::cerr << "postgres_server: cannot start a throwaway PostgreSQL: " << r.err << "\n";
    return "";
  }
  OwnServerDir() = dir;
  std::atexit(StopOwnServer);
  return Trimmed(ReadFile(dir + "/uri"));
}

}  // namespace

bool PostgresRequired() {
  const char* env = std::getenv("METL_REQUIRE_POSTGRES");
  return env && std::string(env) == "1";
}

std::string TestPostgresServer() {
  static std::once_flag once;
  static std::string url;
  std::call_once(once, [] {
    if (const char* env = std::getenv("METL_TEST_POSTGRES_URL"); env && *env) {
      url = env;
      return;
    }
    url = TestPostgresUri();
    if (url.empty()) url = StartOwnServer();
  });
  return url;
}

PrivatePostgresServer::PrivatePostgresServer(const std::string& name)
    : dir_(
          (std::filesystem::temp_directory_path() / ("metl-e2e-" + name + "-" + std::to_string(::getpid()))).string()) {
  ProcessResult r = RunProcess({SourceDir() + "/tests/postgres-fixture.sh", "start", dir_}, {}, "", 120);
  if (r.exit_code != 0) {
    std::cerr << "postgres_server: cannot start a private PostgreSQL: " << r.err << "\n";
    return;
  }
  url_ = Trimmed(ReadFile(dir_ + "/uri"));
}

PrivatePostgresServer::~PrivatePostgresServer() {
  RunProcess({SourceDir() + "/tests/postgres-fixture.sh", "stop", dir_}, {}, "", 60);
}

bool PrivatePostgresServer::Kill() {
  return RunProcess({SourceDir() + "/tests/postgres-fixture.sh", "kill", dir_}, {}, "", 60).exit_code == 0;
}

bool PrivatePostgresServer::Restart() {
  return RunProcess({SourceDir() + "/tests/postgres-fixture.sh", "restart", dir_}, {}, "", 120).exit_code == 0;
}

}  // namespace metl::e2e
