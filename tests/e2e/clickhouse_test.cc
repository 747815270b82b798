// ClickHouse beyond the shared suite (which runs on one server and on the 2-shard cluster):
//   - a partition swap is atomic, table by table, for a concurrent reader: it sees a table's old day or
//     its new one, never a mix, an empty day, or a half-inserted one (REPLACE PARTITION, CLICKHOUSE.md
//     §5). Across tables there is no transaction: visits may already be new while actions are still
//     old for the few milliseconds between two tables' swaps (docs/clickhouse.md says so);
//   - a shard that is down fails the load with an error naming it, nothing half-loaded, and the rerun
//     after it is back gives the same tables and numbers as DuckDB;
//   - a value ClickHouse 18.16 would silently alter (a date before 1970) fails its partition alone.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "clickhouse_server.h"
#include "extract_util.h"
#include "harness.h"
#include "landing_fixture.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

const char* kNow = "2026-11-27 08:00:00";
const std::vector<std::string> kTables = {"matomo_visits",      "matomo_actions",         "matomo_custom_dimensions",
                                          "matomo_conversions", "matomo_ecommerce_items", "matomo_raw_visits",
                                          "matomo_daily_kpis",  "matomo_etl_partitions"};

std::string Extract(const TempDir& tmp, const std::string& name, const std::vector<std::string>& sim_args,
                    const std::string& from, const std::string& to) {
  SimServer sim(sim_args);
  const std::string landing = (tmp.path() / name).string();
  ProcessResult r = RunExtract(sim.url(), landing, {"--from", from, "--to", to, "--now", kNow});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  return landing;
}

// count() and sum(visit_id) of site 1's day in `table`, straight over HTTP (a reader that is not
// matomo-etl).
std::string ReadDay(const std::string& http_base, const std::string& db, const std::string& table) {
  HttpResponse r = HttpPost(http_base + "/?database=" + db + "&query=" +
                                UrlEncode("SELECT count(), sum(visit_id) FROM " + table +
                                          " WHERE site_id = 1 AND visit_date = '2026-11-25'"),
                            "");
  return r.status == 200 ? r.body : "error " + std::to_string(r.status) + ": " + r.body;
}

TEST(ClickHouse, APartitionSwapIsAtomicForAConcurrentReader) {
  const std::string base = TestClickHouseServer();
  ASSERT_FALSE(base.empty()) << "no ClickHouse server";
  TempDir tmp;
  // Two versions of the same (site 1, 2026-11-25): different seeds, different visits and actions.
  const std::string a = Extract(tmp, "a", {"--sites", "1", "--visits-per-day", "150", "--seed", "1", "--now", kNow},
                                "2026-11-25", "2026-11-25");
  const std::string b = Extract(tmp, "b", {"--sites", "1", "--visits-per-day", "300", "--seed", "2", "--now", kNow},
                                "2026-11-25", "2026-11-25");
  const std::string db = "atomic_" + std::to_string(::getpid());
  const std::string url = base + "/" + db;
  const std::string http = "http://" + base.substr(base.find('@') + 1);
  const std::vector<std::string> tables = {"matomo_visits", "matomo_actions"};
  std::vector<std::string> state_a, state_b;
  ProcessResult r = RunEtl({"load", "--landing", a, "--warehouse", url});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const auto& t : tables) state_a.push_back(ReadDay(http, db, t));
  r = RunEtl({"load", "--landing", b, "--warehouse", url});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const auto& t : tables) state_b.push_back(ReadDay(http, db, t));
  for (size_t t = 0; t < tables.size(); ++t) {
    ASSERT_NE(state_a[t], state_b[t]) << tables[t];
    ASSERT_EQ(state_a[t].find("error"), std::string::npos) << state_a[t];
  }

  std::atomic<bool> stop{false};
  std::vector<std::set<std::string>> seen(tables.size());
  int reads = 0;
  std::thread reader([&] {
    while (!stop) {
      for (size_t t = 0; t < tables.size(); ++t) seen[t].insert(ReadDay(http, db, tables[t]));
      ++reads;
    }
  });
  for (int round = 0; round < 6; ++round) {
    r = RunEtl({"load", "--landing", round % 2 ? b : a, "--warehouse", url});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  stop = true;
  reader.join();
  EXPECT_GT(reads, 20);
  for (size_t t = 0; t < tables.size(); ++t) {
    for (const std::string& s : seen[t]) {
      EXPECT_TRUE(s == state_a[t] || s == state_b[t]) << "a reader saw in " << tables[t] << ": " << s;
    }
    EXPECT_EQ(seen[t].size(), 2u) << "the reader saw both versions of " << tables[t];
  }
}

TEST(ClickHouse, AShardThatIsDownFailsNamingItAndTheRerunRepairs) {
  PrivateClickHouseCluster cluster;
  const std::string url = cluster.Url("shards");
  ASSERT_FALSE(url.empty()) << "the private cluster did not start";
  TempDir tmp;
  const std::string landing =
      Extract(tmp, "landing", {"--sites", "2", "--visits-per-day", "20", "--now", kNow}, "2026-11-22", "2026-11-25");
  const std::string reference = "duckdb:" + (tmp.path() / "reference.duckdb").string();
  ProcessResult r = RunEtl({"load", "--landing", landing, "--warehouse", reference});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  // The first days load; then shard 2 goes down before the last day is loaded.
  r = RunEtl({"load", "--landing", landing, "--warehouse", url, "--to", "2026-11-23"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ASSERT_TRUE(cluster.Kill(2));
  r = RunEtl({"load", "--landing", landing, "--warehouse", url}, {}, "", 120);
  EXPECT_NE(r.exit_code, 0) << r.out << r.err;
  const std::string shard2 = url.substr(url.rfind(',') + 1);
  EXPECT_NE(r.err.find("shard 2 (" + shard2 + ")"), std::string::npos) << r.err;

  ASSERT_TRUE(cluster.Restart(2));
  // Nothing half-loaded: the days loaded before are complete, and the ledger has no other day.
  EXPECT_EQ(QueryInt(url, "SELECT count() FROM matomo_etl_partitions"), 4);
  r = RunEtl({"load", "--landing", landing, "--warehouse", url});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // The same tables and numbers as DuckDB (the columns that differ only in how each engine prints a
  // timestamp or a boolean are compared through the KPIs and counts).
  for (const char* sql : {"SELECT count(*) FROM matomo_visits", "SELECT count(*) FROM matomo_actions",
                          "SELECT count(*) FROM matomo_conversions", "SELECT count(*) FROM matomo_etl_partitions",
                          "SELECT sum(nb_visits + nb_actions + nb_pageviews + nb_conversions + nb_uniq_visitors) FROM "
                          "matomo_daily_kpis",
                          "SELECT CAST(sum(revenue) * 100 AS BIGINT) FROM matomo_daily_kpis"}) {
    EXPECT_EQ(QueryInt(url, sql), QueryInt(reference, sql)) << sql;
  }
  const std::string kpis =
      "SELECT site_id, CAST(date AS VARCHAR), nb_visits, nb_uniq_visitors, nb_users, nb_actions, nb_visits_converted, "
      "bounce_count, sum_visit_length, max_actions, nb_pageviews, nb_conversions, CAST(revenue AS VARCHAR) "
      "FROM matomo_daily_kpis ORDER BY site_id, date";
  EXPECT_EQ(QueryWarehouse(url, kpis).rows, QueryWarehouse(reference, kpis).rows);
}

TEST(ClickHouse, ADateClickHouseWouldStoreAs0000IsRefusedNotAltered) {
  const std::string base = TestClickHouseServer();
  ASSERT_FALSE(base.empty()) << "no ClickHouse server";
  TempDir tmp;
  const std::string landing = (tmp.path() / "landing").string();
  // 1969-12-31: before ClickHouse's Date range (18.16 would store 0000-00-00 without a word).
  LandJsonArray(landing, 1, "1969-12-31", "UTC",
                R"([{"idSite":1,"idVisit":7,"visitorId":"00000000000000aa","firstActionTimestamp":-100,)"
                R"("lastActionTimestamp":-50,"visitDuration":50,"actions":0,"actionDetails":[]}])");
  const std::string url = base + "/baddate_" + std::to_string(::getpid());
  ProcessResult r = RunEtl({"load", "--landing", landing, "--warehouse", url});
  EXPECT_NE(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("outside ClickHouse's Date range"), std::string::npos) << r.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_visits"), 0);
  // Not even a ledger row: its date is out of range too (a 0000-00-00 row would be a lie).
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_etl_partitions"), 0);
}

}  // namespace
}  // namespace metl::e2e

namespace metl::e2e {
namespace {

// The KPI model swaps its rebuilt table in by RENAME ... TO matomo_daily_kpis__old: a rebuild killed
// before it dropped __old left the table behind, and every later run failed on "already exists".
TEST(ClickHouse, ARebuildKilledBeforeItsCleanupDoesNotBlockTheNextOne) {
  const std::string base = TestClickHouseServer();
  ASSERT_FALSE(base.empty()) << "no ClickHouse server";
  TempDir tmp;
  const std::string landing =
      Extract(tmp, "landing", {"--sites", "1", "--visits-per-day", "10", "--now", kNow}, "2026-11-25", "2026-11-25");
  const std::string db = "leftover_" + std::to_string(::getpid());
  const std::string url = base + "/" + db;
  ProcessResult r = RunEtl({"load", "--landing", landing, "--warehouse", url});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  QueryWarehouse(url, "CREATE TABLE matomo_daily_kpis__old AS matomo_daily_kpis");
  r = RunEtl({"load", "--landing", landing, "--warehouse", url, "--full-refresh"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_daily_kpis"), 1);
}

}  // namespace
}  // namespace metl::e2e
