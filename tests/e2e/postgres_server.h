// The PostgreSQL server the end-to-end tests use, found or started on first use:
//   1. METL_TEST_POSTGRES_URL (any server you point the tests at);
//   2. the ctest `postgres` fixture's URI file (METL_TEST_PG_URI_FILE; tests/postgres-fixture.sh);
//   3. otherwise (the test binary run by hand) a throwaway server of this process, started with the same
//      script in a temporary folder and stopped at exit.
// Resolved lazily, so that listing the tests (ctest's discovery) never starts a server.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace metl::e2e {

// True when a missing server is a failure, not a skip: METL_REQUIRE_POSTGRES=1, which ctest sets
// (CMakeLists.txt) because its `postgres` fixture always starts a server.
bool PostgresRequired();

// Ends the current test (in a function returning void) for want of a server: skipped, or failed
// when PostgresRequired().
#define METL_NO_POSTGRES(why)                                   \
  do {                                                          \
    if (::metl::e2e::PostgresRequired()) GTEST_FAIL() << (why); \
    GTEST_SKIP() << (why);                                      \
  } while (0)

// postgres://USER@127.0.0.1:PORT/DB, or "" when no server can be had (no PostgreSQL binaries).
std::string TestPostgresServer();

// A throwaway server of one test alone, for tests that stop, restart or reconfigure it (never the
// shared one): started in a temporary folder by tests/postgres-fixture.sh, deleted when destroyed.
class PrivatePostgresServer {
 public:
  explicit PrivatePostgresServer(const std::string& name);  // name: part of the folder name
  ~PrivatePostgresServer();
  PrivatePostgresServer(const PrivatePostgresServer&) = delete;
  PrivatePostgresServer& operator=(const PrivatePostgresServer&) = delete;

  const std::string& url() const { return url_; }  // postgres://metl@127.0.0.1:PORT/metl_test; "" if not started
  const std::string& dir() const { return dir_; }  // DIR/data is the data folder
  // `pg_ctl stop -m immediate` (every backend dies at once, as in a crash); the data folder stays.
  bool Kill();
  // Starts it again on the same data folder and port (crash recovery first); true when it accepts connections.
  bool Restart();

 private:
  std::string dir_, url_;
};

}  // namespace metl::e2e
