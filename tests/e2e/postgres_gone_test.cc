// The PostgreSQL warehouse going away (issue 7): the server stops hard (`pg_ctl stop -m immediate`, as
// in a crash) while a load is inside a partition's transaction, or is down before the load starts.
// The load must end on its own, quickly, with an error that names the warehouse (never its password)
// and says to rerun; after a restart on the same data folder, a rerun leaves exactly what one clean
// run leaves. Needs a server of its own (it is stopped): never the shared ctest one.
// To stop at a known point, the test holds an EXCLUSIVE lock on the ledger table, as in
// postgres_kill_test.cc: each partition's transaction has then replaced its rows and waits on its ledger row.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>

#include "harness.h"
#include "landing_fixture.h"
#include "ledger_lock.h"
#include "postgres_server.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

const char* kReference = METL_SOURCE_DIR "/tests/data/matomo-5.1.2/";
constexpr const char* kPassword = "gone-pw-31415";  // the server trusts everyone: only here to be never shown
const std::vector<std::string> kTables = {"matomo_visits",      "matomo_actions",       "matomo_custom_dimensions",
                                          "matomo_conversions", "matomo_raw_visits",    "matomo_ecommerce_items",
                                          "matomo_daily_kpis",  "matomo_etl_partitions"};
const std::vector<std::string> kVaryingColumns = {"loaded_at", "updated_at"};

// A loopback port with no listener (bound, read, released).
int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// postgres://metl:PASSWORD@127.0.0.1:PORT/metl_test?schema=SCHEMA
std::string WithPasswordAndSchema(const std::string& url, const std::string& schema) {
  return "postgres://metl:" + std::string(kPassword) + url.substr(url.find('@')) + "?schema=" + schema;
}

void LandReference(const std::string& landing) {
  LandJsonArray(landing, 1, "2026-11-25", "UTC",
                ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"));
  LandJsonArray(landing, 2, "2026-11-25", "America/New_York",
                ReadFile(std::string(kReference) + "live_site2_newyork_day_limit100_offset0.json"));
}

// What the user reads: the warehouse (host and port, never the password), what happened, and to rerun.
void ExpectClearError(const std::string& out, const std::string& err, const std::string& host_port) {
  EXPECT_NE(err.find(host_port), std::string::npos) << "the warehouse is not named:\n" << err;
  EXPECT_NE(err.find("rerun"), std::string::npos) << "no advice to rerun:\n" << err;
  EXPECT_EQ((out + err).find(kPassword), std::string::npos) << "the password is shown:\n" << out << err;
}

TEST(PostgresGone, ServerStoppedMidPartitionFailsFastAndARerunAfterRestartEqualsOneCleanRun) {
  PrivatePostgresServer server("pggone");
  if (server.url().empty()) METL_NO_POSTGRES("cannot start a private PostgreSQL server (binaries missing?)");
  std::string host_port = server.url().substr(server.url().find('@') + 1);
  host_port = host_port.substr(0, host_port.find('/'));
  // The fixture runs with synchronous_commit=off (fast), which loses the last commits in a crash: the
  // durability a real server gives is needed here. A database setting outranks the command line's.
  QueryWarehouse(server.url() + "?schema=public", "ALTER DATABASE metl_test SET synchronous_commit = on");
  TempDir tmp;
  std::string landing = (tmp.path() / "landing").string();
  LandReference(landing);
  std::string url = WithPasswordAndSchema(server.url(), "gone");
  std::string clean_url = WithPasswordAndSchema(server.url(), "clean");
  ProcessResult clean = RunEtl({"load", "--landing", landing, "--warehouse", clean_url});
  ASSERT_EQ(clean.exit_code, 0) << clean.out << clean.err;

  // The schema and ledger exist (an empty landing zone still migrates), then the lock stops the real load.
  std::string empty = (tmp.path() / "empty").string();
  std::filesystem::create_directories(empty);
  ProcessResult migrate = RunEtl({"load", "--landing", empty, "--warehouse", url});
  ASSERT_EQ(migrate.exit_code, 0) << migrate.out << migrate.err;
  {
    auto lock = LedgerLock::Take(url);
    ASSERT_TRUE(lock.ok()) << lock.error().ToString();

    BackgroundProcess load({EtlBin(), "load", "--landing", landing, "--warehouse", url, "--threads", "2"});
    auto waiting = (*lock)->WaitForBlockedPartitions(2);
    ASSERT_TRUE(waiting.ok()) << waiting.error().ToString();
    ASSERT_EQ(*waiting, 2) << "the load never reached its ledger rows: " << load.Stderr() << (*lock)->Activity();

    const double stopped = Now();
    ASSERT_TRUE(server.Kill());
    int code = load.Wait(60);
    const double seconds = Now() - stopped;
    RecordProperty("seconds_to_fail_after_stop", std::to_string(seconds));
    std::printf("load failed %.2f s after the server stopped (exit %d)\n", seconds, code);
    std::string err = load.Stderr();
    ASSERT_NE(code, -1) << "the load hangs after the server went away:\n" << err;
    EXPECT_EQ(code, 1) << err;  // an environment fault (docs/operations.md), not a bad partition
    EXPECT_LT(seconds, 20) << err;
    EXPECT_NE(err.find("lost the connection"), std::string::npos) << err;
    ExpectClearError(load.ReadFirstLine(1), err, host_port);
  }
  // While it is down, a new run stops at once with the same advice.
  ProcessResult down = RunEtl({"load", "--landing", landing, "--warehouse", url}, {}, "", 60);
  EXPECT_EQ(down.exit_code, 1) << down.out << down.err;
  EXPECT_NE(down.err.find("cannot connect to PostgreSQL"), std::string::npos) << down.err;
  ExpectClearError(down.out, down.err, host_port);

  ASSERT_TRUE(server.Restart());
  // Nothing of the interrupted transactions survived the crash recovery: no ledger row, no data row.
  for (const auto& t : kTables) EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM " + t), 0) << t;
  ProcessResult rerun = RunEtl({"load", "--landing", landing, "--warehouse", url});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  EXPECT_NE(rerun.out.find("loaded 2 partitions"), std::string::npos) << rerun.out;
  for (const auto& t : kTables) {
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM " + t), QueryInt(clean_url, "SELECT count(*) FROM " + t)) << t;
  }
  EXPECT_EQ(DumpTables(url, kTables, kVaryingColumns), DumpTables(clean_url, kTables, kVaryingColumns));
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_etl_partitions WHERE status = 'loaded'"), 2);
}

TEST(PostgresGone, ServerDownAtTheStartFailsFastWithAClearError) {
  // A stopped server is a port nobody listens on: no need to start (and stop) one.
  std::string host_port = "127.0.0.1:" + std::to_string(FreePort());
  TempDir tmp;
  std::string landing = (tmp.path() / "landing").string();
  LandReference(landing);

  const double started = Now();
  ProcessResult r = RunEtl({"load", "--landing", landing, "--warehouse",
                            WithPasswordAndSchema("postgres://metl@" + host_port + "/metl_test", "down")},
                           {}, "", 60);
  const double seconds = Now() - started;
  std::printf("load against a stopped server ended after %.2f s (exit %d)\n", seconds, r.exit_code);
  ASSERT_NE(r.exit_code, 128 + SIGKILL) << "the load hangs against a stopped server";
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_LT(seconds, 20);
  EXPECT_NE(r.err.find("cannot connect to PostgreSQL"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("is the PostgreSQL server running"), std::string::npos) << r.err;
  ExpectClearError(r.out, r.err, host_port);
}

}  // namespace
}  // namespace metl::e2e
