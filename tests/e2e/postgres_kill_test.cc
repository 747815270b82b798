// `kill -9` during a PostgreSQL load leaves no partial partition, and a rerun completes it (issue 5).
// To kill at a known point rather than at a random one, the test holds an EXCLUSIVE lock on the ledger
// table: each partition's transaction then deletes the old rows and COPYs all new rows, and blocks on
// its ledger row, mid-transaction. That is where the load is killed.
#include <gtest/gtest.h>

#include <csignal>

#include "harness.h"
#include "landing_fixture.h"
#include "ledger_lock.h"
#include "postgres_server.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

const char* kReference = METL_SOURCE_DIR "/tests/data/matomo-5.1.2/";
const std::vector<std::string> kDataTables = {"matomo_visits",      "matomo_actions",    "matomo_custom_dimensions",
                                              "matomo_conversions", "matomo_raw_visits", "matomo_ecommerce_items"};

int64_t Count(const std::string& url, const std::string& table, int site) {
  return QueryInt(url, "SELECT count(*) FROM " + table + " WHERE site_id = " + std::to_string(site));
}

TEST(PostgresKill, KillNineMidPartitionLeavesNoPartialPartitionAndARerunCompletesIt) {
  std::string pg = TestPostgresServer();
  if (pg.empty()) METL_NO_POSTGRES("no PostgreSQL server could be found or started");
  TempDir tmp;
  std::string landing = (tmp.path() / "landing").string();
  std::string url = WarehouseTarget{"postgres", pg}.FreshUrl(tmp);
  // Site 2 loaded first: its rows are the "old partition" a killed reload must leave untouched.
  std::vector<std::string> site2 =
      LandJsonArray(landing, 2, "2026-11-25", "America/New_York",
                    ReadFile(std::string(kReference) + "live_site2_newyork_day_limit100_offset0.json"));
  ProcessResult first = RunEtl({"load", "--landing", landing, "--warehouse", url});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  std::string site2_before = DumpTables(url, kDataTables);
  // Site 1 is new: a killed load must leave none of its rows.
  std::vector<std::string> site1 = LandJsonArray(
      landing, 1, "2026-11-25", "UTC", ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"));

  auto lock = LedgerLock::Take(url);
  ASSERT_TRUE(lock.ok()) << lock.error().ToString();

  // Both partitions (site 2 forced by the range) are replaced, and both stop at their ledger row,
  // their data sent inside their transactions...
  BackgroundProcess load(
      {EtlBin(), "load", "--landing", landing, "--warehouse", url, "--from", "2026-11-25", "--to", "2026-11-25"});
  auto waiting = (*lock)->WaitForBlockedPartitions(2);
  ASSERT_TRUE(waiting.ok()) << waiting.error().ToString();
  if (*waiting != 2) {
    std::string activity = (*lock)->Activity();
    load.Signal(SIGKILL);
    int code = load.Wait(10);
    FAIL() << "the load never reached its ledger rows:\n"
           << activity << "exit " << code << ": " << load.ReadFirstLine(1) << load.Stderr();
  }
  load.Signal(SIGKILL);
  EXPECT_EQ(load.Wait(30), 128 + SIGKILL);
  ASSERT_TRUE((*lock)->Release().ok());

  // ...and none of it is visible: site 1 has no row anywhere, site 2 is exactly as before.
  for (const auto& t : kDataTables) EXPECT_EQ(Count(url, t, 1), 0) << t;
  EXPECT_EQ(Count(url, "matomo_etl_partitions", 1), 0);
  EXPECT_EQ(DumpTables(url, kDataTables), site2_before);
  EXPECT_EQ(Count(url, "matomo_etl_partitions", 2), 1);

  // A rerun completes it: site 1 is due (no ledger row), site 2 unchanged.
  ProcessResult rerun = RunEtl({"load", "--landing", landing, "--warehouse", url});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  EXPECT_NE(rerun.out.find("loaded 1 partition"), std::string::npos) << rerun.out;
  RawCounts c1 = CountRaw(site1);
  EXPECT_EQ(Count(url, "matomo_visits", 1), c1.visits);
  EXPECT_EQ(Count(url, "matomo_raw_visits", 1), c1.visits);
  EXPECT_EQ(Count(url, "matomo_actions", 1), c1.actions);
  EXPECT_EQ(Count(url, "matomo_conversions", 1), c1.conversions);
  EXPECT_EQ(Count(url, "matomo_ecommerce_items", 1), c1.ecommerce_items);
  EXPECT_EQ(Count(url, "matomo_custom_dimensions", 1), c1.custom_dimensions);
  EXPECT_EQ(QueryInt(url, "SELECT visits FROM matomo_etl_partitions WHERE site_id = 1 AND status = 'loaded'"),
            c1.visits);
  EXPECT_EQ(QueryInt(url, "SELECT nb_visits FROM matomo_daily_kpis WHERE site_id = 1"), c1.visits);
  EXPECT_EQ(Count(url, "matomo_visits", 2), CountRaw(site2).visits);
}

}  // namespace
}  // namespace metl::e2e
