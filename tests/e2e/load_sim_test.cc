// Against matomo-sim over real HTTP, on every warehouse target: visits landed straight from
// Live.getLastVisitsDetails (the test does the extraction, so that load and verify are tested on
// their own), loaded, then `verify` finds matomo_daily_kpis equal to VisitsSummary.get,
// Actions.get and Goals.get, differences only where truncated visits explain them; and `sync`
// (extract + load + models) leaves the warehouse identical when run twice.
#include <gtest/gtest.h>

#include "harness.h"
#include "landing_fixture.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

const char* kNow = "2026-11-27 08:00:00";
const std::vector<std::string> kDays = {"2026-11-22", "2026-11-23", "2026-11-24"};

class LoadSim : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  LoadSim() : sim_({"--sites", "2", "--visits-per-day", "40", "--now", kNow}) {}
  // Here, not in the test body: without a PostgreSQL server FreshUrl skips (or fails), which stops
  // the test only from SetUp.
  void SetUp() override {
    landing_ = (tmp_.path() / "landing").string();
    url_ = GetParam().FreshUrl(tmp_);
  }
  std::string Api(const std::string& query) {
    HttpResponse r = HttpPost(sim_.url() + "index.php?module=API&format=JSON&" + query,
                              "token_auth=" + UrlEncode(SimServer::kToken));
    EXPECT_EQ(r.status, 200) << query;
    return r.body;
  }
  SimServer sim_;
  TempDir tmp_;
  std::string landing_, url_;
};

TEST_P(LoadSim, DailyKpisEqualMatomosAggregates) {
  for (int site : {1, 2}) {
    std::string tz = site == 1 ? "UTC" : "America/New_York";
    ASSERT_NE(Api("method=SitesManager.getSiteFromId&idSite=" + std::to_string(site)).find(
                  site == 1 ? "\"UTC\"" : "New_York"),
              std::string::npos);
    for (const auto& day : kDays) {
      std::string body = Api("method=Live.getLastVisitsDetails&period=day&filter_limit=-1&filter_sort_order=asc&idSite=" +
                             std::to_string(site) + "&date=" + day);
      LandJsonArray(landing_, site, day, tz, body);
    }
  }
  ProcessResult r = RunEtl({"load", "--landing", landing_, "--warehouse", url_});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_daily_kpis"), 6);
  r = RunEtl({"verify", "--url", sim_.url(), "--warehouse", url_}, {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("verified 6 partition(s)"), std::string::npos) << r.out;
  // VisitsSummary figures are never affected by truncation: they must be equal, not explained.
  EXPECT_EQ(r.out.find("nb_visits "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("DIFFERS"), std::string::npos) << r.out;

  // A tampered KPI is caught: verify exits 4 and names the day and the metric.
  QueryWarehouse(url_, "UPDATE matomo_daily_kpis SET nb_visits = nb_visits + 1 WHERE site_id = 2 AND date = DATE '2026-11-23'");
  r = RunEtl({"verify", "--url", sim_.url(), "--warehouse", url_}, {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  EXPECT_NE(r.out.find("2026-11-23 nb_visits"), std::string::npos) << r.out;
}

TEST_P(LoadSim, SyncTwiceLeavesTheWarehouseIdentical) {
  std::vector<std::string> args{"sync",   "--url",  sim_.url(), "--landing", landing_, "--warehouse",
                                url_,     "--from", kDays.front(), "--to",    kDays.back(), "--now", kNow};
  Env env{{"MATOMO_TOKEN_AUTH", SimServer::kToken}};
  ProcessResult r = RunEtl(args, env);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::vector<std::string> tables = {"matomo_visits", "matomo_actions", "matomo_custom_dimensions",
                                           "matomo_conversions", "matomo_ecommerce_items", "matomo_raw_visits",
                                           "matomo_daily_kpis", "matomo_etl_partitions", "matomo_sites",
                                           "matomo_goals"};
  std::string before = DumpTables(url_, tables, {"updated_at"});
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_sites"), 2);
  EXPECT_GT(QueryInt(url_, "SELECT count(*) FROM matomo_goals"), 0);
  r = RunEtl(args, env);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(DumpTables(url_, tables, {"updated_at"}), before);
  r = RunEtl({"verify", "--url", sim_.url(), "--warehouse", url_}, env);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = RunEtl({"status", "--landing", landing_, "--warehouse", url_, "--from", kDays.front(), "--to", kDays.back(),
              "--now", kNow, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("\"problems\":0"), std::string::npos) << r.out;
}

METL_INSTANTIATE_WAREHOUSE_SUITE(LoadSim);

}  // namespace
}  // namespace metl::e2e
