// The ClickHouse servers the end-to-end tests use (tests/clickhouse-fixture.sh), found or started once
// per test process:
//   1. the ctest `clickhouse` fixture's folder (METL_CH_FIXTURE_DIR, started once per ctest run);
//   2. otherwise (the test binary run by hand) two servers of this process, started with the same
//      script in a temporary folder and killed at exit.
// Server 1 alone is the single-server target; servers 1 and 2 form the 2-shard cluster `metl`. Each
// test gets a database of its own. Resolved lazily, so that listing the tests starts nothing.
#pragma once

#include <string>

namespace metl::e2e {

// clickhouse://default@127.0.0.1:PORT (no database), or "" when no server can be had.
std::string TestClickHouseServer();
// "?cluster=metl&shards=127.0.0.1:P1,127.0.0.1:P2" for the same servers, or "".
std::string TestClickHouseClusterParams();

// A private 2-shard cluster for one test that kills and restarts a shard (never the shared one).
class PrivateClickHouseCluster {
 public:
  PrivateClickHouseCluster();
  ~PrivateClickHouseCluster();
  PrivateClickHouseCluster(const PrivateClickHouseCluster&) = delete;
  PrivateClickHouseCluster& operator=(const PrivateClickHouseCluster&) = delete;
  // clickhouse://default@127.0.0.1:P1/DB?cluster=metl&shards=...; "" if it did not start.
  std::string Url(const std::string& database) const;
  bool Kill(int server);     // 1-based, SIGKILL by PID
  bool Restart(int server);  // same data folder and ports

 private:
  std::string dir_, base_, params_;
};

}  // namespace metl::e2e
