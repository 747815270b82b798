// `matomo-etl load` over landing zones built from the real Matomo 5.1.2 responses, on every
// warehouse target (warehouse_suite.h): row counts equal counts taken from the raw JSON, the New
// York site's action times are true UTC, a second load changes nothing, a bad visit fails its
// partition alone, and --full-refresh rebuilds the same content.
#include <gtest/gtest.h>

#include "harness.h"
#include "landing_fixture.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

const char* kReference = METL_SOURCE_DIR "/tests/data/matomo-5.1.2/";

class LoadReference : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  void SetUp() override {
    landing_ = (tmp_.path() / "landing").string();
    url_ = GetParam().FreshUrl(tmp_);
    site1_ = LandJsonArray(landing_, 1, "2026-11-25", "UTC", ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"));
    site2_ = LandJsonArray(landing_, 2, "2026-11-25", "America/New_York",
                           ReadFile(std::string(kReference) + "live_site2_newyork_day_limit100_offset0.json"));
  }
  ProcessResult Load(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"load", "--landing", landing_, "--warehouse", url_};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunEtl(args);
  }

  TempDir tmp_;
  std::string landing_, url_;
  std::vector<std::string> site1_, site2_;
};

const std::vector<std::string> kTables = {"matomo_visits",     "matomo_actions",          "matomo_custom_dimensions",
                                          "matomo_conversions", "matomo_ecommerce_items", "matomo_raw_visits",
                                          "matomo_daily_kpis",  "matomo_etl_partitions"};

TEST_P(LoadReference, RowCountsEqualCountsFromTheRawJson) {
  ProcessResult r = Load();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("loaded 2 partitions"), std::string::npos) << r.out;
  for (int site : {1, 2}) {
    RawCounts c = CountRaw(site == 1 ? site1_ : site2_);
    std::string where = " WHERE site_id = " + std::to_string(site);
    ExpectRowCounts(url_, site, c);
    EXPECT_EQ(QueryInt(url_, "SELECT nb_visits FROM matomo_daily_kpis" + where), c.visits) << site;
    EXPECT_EQ(QueryInt(url_, "SELECT nb_pageviews FROM matomo_daily_kpis" + where), c.pageviews) << site;
    EXPECT_EQ(QueryInt(url_, "SELECT visits FROM matomo_etl_partitions" + where + " AND status = 'loaded'"), c.visits);
  }
}

TEST_P(LoadReference, NewYorkFirstActionOccursAtFirstActionAt) {
  ProcessResult r = Load();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits v JOIN matomo_actions a "
                           "USING (site_id, visit_id) "
                           "WHERE a.action_index = 0 AND v.site_id = 2"),
            100);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits v JOIN matomo_actions a "
                           "USING (site_id, visit_id) "
                           "WHERE a.action_index = 0 AND v.site_id = 2 AND a.occurred_at <> v.first_action_at"),
            0);
}

TEST_P(LoadReference, SecondLoadSkipsUnchangedAndChangesNothing) {
  ASSERT_EQ(Load().exit_code, 0);
  std::string before = DumpTables(url_, kTables);
  ProcessResult r = Load();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("loaded 0 partitions"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 unchanged"), std::string::npos) << r.out;
  EXPECT_EQ(DumpTables(url_, kTables), before);
  // A forced reload of the range replaces the partitions with the same content.
  r = Load({"--from", "2026-11-25", "--to", "2026-11-25"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("loaded 2 partitions"), std::string::npos) << r.out;
  std::string reloaded = DumpTables(url_, kTables, {"loaded_at"});
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits"), 200);
  r = Load({"--full-refresh"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("loaded 2 partitions"), std::string::npos) << r.out;
  EXPECT_EQ(DumpTables(url_, kTables, {"loaded_at"}), reloaded);
}

TEST_P(LoadReference, ABadVisitFailsItsPartitionAloneNamingSiteDateAndLine) {
  TempDir other;
  std::string landing = (other.path() / "landing").string();
  std::string url = GetParam().FreshUrl(other);
  LandJsonArray(landing, 1, "2026-11-25", "UTC", ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"),
                {"{\"idSite\": 1, \"idVisit\": "});
  LandJsonArray(landing, 2, "2026-11-25", "America/New_York",
                ReadFile(std::string(kReference) + "live_site2_newyork_day_limit100_offset0.json"));
  ProcessResult r = RunEtl({"load", "--landing", landing, "--warehouse", url});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("site 1, 2026-11-25"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("line 101"), std::string::npos) << r.out;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_visits WHERE site_id = 1"), 0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_visits WHERE site_id = 2"), 100);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_etl_partitions WHERE site_id = 1 AND status = 'failed' "
                          "AND last_error LIKE '%line 101%'"),
            1);
}

// Where the engine loads several days in one transaction (DuckDB), a bad day after good ones rolls
// the whole transaction back; the good days are then loaded again on their own: once, not twice.
TEST_P(LoadReference, ABadPartitionAfterGoodOnesFailsAloneAndTheOthersLoadOnce) {
  TempDir other;
  std::string landing = (other.path() / "landing").string();
  std::string url = GetParam().FreshUrl(other);
  LandJsonArray(landing, 1, "2026-11-25", "UTC", ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"));
  LandJsonArray(landing, 2, "2026-11-25", "America/New_York",
                ReadFile(std::string(kReference) + "live_site2_newyork_day_limit100_offset0.json"));
  LandJsonArray(landing, 3, "2026-11-25", "UTC", ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"),
                {"{\"idSite\": 3, \"idVisit\": "});
  ProcessResult r = RunEtl({"load", "--landing", landing, "--warehouse", url});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("site 3, 2026-11-25"), std::string::npos) << r.out;
  for (const char* table : {"matomo_visits", "matomo_raw_visits"}) {
    EXPECT_EQ(QueryInt(url, std::string("SELECT count(*) FROM ") + table + " WHERE site_id IN (1, 2)"), 200) << table;
    EXPECT_EQ(QueryInt(url, std::string("SELECT count(*) FROM ") + table + " WHERE site_id = 3"), 0) << table;
  }
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_etl_partitions WHERE site_id IN (1, 2) AND status = 'loaded'"), 2);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_etl_partitions WHERE site_id = 3 AND status = 'failed'"), 1);
  size_t loaded_lines = 0;
  for (size_t at = r.err.find("info loaded site="); at != std::string::npos; at = r.err.find("info loaded site=", at + 1)) {
    ++loaded_lines;
  }
  EXPECT_EQ(loaded_lines, 2u) << r.err;
  // The rerun loads only the failed day, which fails again, and leaves the good days as they are.
  r = RunEtl({"load", "--landing", landing, "--warehouse", url});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_visits WHERE site_id IN (1, 2)"), 200);
}

METL_INSTANTIATE_WAREHOUSE_SUITE(LoadReference);

}  // namespace
}  // namespace metl::e2e
