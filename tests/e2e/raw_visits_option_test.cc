// raw_visits = "landing" (issue 17): the raw JSON of each visit stays in the landing zone only.
// On every warehouse target: matomo_raw_visits gets no rows and every other table is identical to a
// load with raw visits; switching an existing warehouse to "landing" empties the table; switching back
// fills days as they are reloaded, and `load --full-refresh` fills them all.
#include <gtest/gtest.h>

#include "harness.h"
#include "landing_fixture.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

const char* kReference = METL_SOURCE_DIR "/tests/data/matomo-5.1.2/";

class RawVisitsOption : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  void SetUp() override {
    landing_ = (tmp_.path() / "landing").string();
    with_raw_ = GetParam().FreshUrl(tmp_);
    if (with_raw_.empty()) return;
    without_raw_ = GetParam().engine == "duckdb" ? "duckdb:" + (other_.path() / "warehouse.duckdb").string()
                                                 : GetParam().FreshUrl(tmp_);
    LandJsonArray(landing_, 1, "2026-11-25", "UTC", ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"));
    LandJsonArray(landing_, 2, "2026-11-25", "America/New_York",
                  ReadFile(std::string(kReference) + "live_site2_newyork_day_limit100_offset0.json"));
  }
  ProcessResult Load(const std::string& url, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"load", "--landing", landing_, "--warehouse", url};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunEtl(args);
  }
  int64_t RawRows(const std::string& url) { return QueryInt(url, "SELECT count(*) FROM matomo_raw_visits"); }
  int64_t Visits(const std::string& url) { return QueryInt(url, "SELECT count(*) FROM matomo_visits"); }

  TempDir tmp_, other_;
  std::string landing_, with_raw_, without_raw_;
};

const std::vector<std::string> kOtherTables = {"matomo_visits",      "matomo_actions",         "matomo_custom_dimensions",
                                               "matomo_conversions", "matomo_ecommerce_items", "matomo_daily_kpis",
                                               "matomo_etl_partitions"};

TEST_P(RawVisitsOption, LandingKeepsRawVisitsOutAndEverythingElseTheSame) {
  ProcessResult r = Load(with_raw_);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = Load(without_raw_, {"--raw-visits", "landing"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(Visits(with_raw_), 200);
  EXPECT_EQ(RawRows(with_raw_), 200);
  EXPECT_EQ(RawRows(without_raw_), 0);
  EXPECT_EQ(DumpTables(without_raw_, kOtherTables, {"loaded_at"}), DumpTables(with_raw_, kOtherTables, {"loaded_at"}));
}

TEST_P(RawVisitsOption, SwitchingBackAndForthStaysConsistent) {
  ASSERT_EQ(Load(with_raw_).exit_code, 0);
  ASSERT_EQ(RawRows(with_raw_), 200);
  const std::string before = DumpTables(with_raw_, kOtherTables, {"loaded_at"});

  // To "landing": the next load empties the table although no partition changed.
  ProcessResult r = Load(with_raw_, {"--raw-visits", "landing"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("2 unchanged"), std::string::npos) << r.out;
  EXPECT_EQ(RawRows(with_raw_), 0);
  EXPECT_EQ(DumpTables(with_raw_, kOtherTables, {"loaded_at"}), before);

  // Back to "warehouse": unchanged days are not reloaded, so their raw visits stay out (as documented)
  // until the days are reloaded: one day by --from/--to, all of them by --full-refresh.
  r = Load(with_raw_);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(RawRows(with_raw_), 0);
  r = Load(with_raw_, {"--site", "2", "--from", "2026-11-25", "--to", "2026-11-25"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(RawRows(with_raw_), QueryInt(with_raw_, "SELECT count(*) FROM matomo_visits WHERE site_id = 2"));
  r = Load(with_raw_, {"--full-refresh"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(RawRows(with_raw_), 200);
  EXPECT_EQ(DumpTables(with_raw_, kOtherTables, {"loaded_at"}), before);
}

// DuckDB, PostgreSQL and BigQuery. On BigQuery this is also the regression test for the emptying
// DELETE, sent without a WHERE (which GoogleSQL refuses, google-fake too since): now `WHERE TRUE`.
std::vector<WarehouseTarget> DuckDbPostgresAndBigQuery() {
  std::vector<WarehouseTarget> out;
  for (const auto& t : WarehouseTargets()) {
    if (t.engine == "duckdb" || t.engine == "postgres" || t.engine == "bigquery") out.push_back(t);
  }
  return out;
}
INSTANTIATE_TEST_SUITE_P(, RawVisitsOption, ::testing::ValuesIn(DuckDbPostgresAndBigQuery()), TargetTestName);

}  // namespace
}  // namespace metl::e2e
