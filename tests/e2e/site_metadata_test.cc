// matomo_sites and matomo_goals (refreshed from SitesManager.getSiteFromId and Goals.getGoals), on
// every warehouse engine (issue 17, defects 1 and 6):
//   - a run restricted with --site refreshes the rows of that site only: the other sites' rows stay
//     (they were all deleted, and docs/bi.md's joins lost every other site);
//   - `load` into a new or deleted warehouse fills them for the loaded sites, from the API when the
//     Matomo url is configured, and otherwise says what to run (they were left empty).
#include <gtest/gtest.h>

#include <filesystem>

#include "harness.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;
constexpr const char* kNow = "2026-11-27 08:00:00";
const std::vector<std::string> kMetadata = {"matomo_sites", "matomo_goals"};

class SiteMetadata : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  SiteMetadata() : sim_({"--sites", "2", "--visits-per-day", "20", "--now", kNow}) {}
  void SetUp() override {
    landing_ = (tmp_.path() / "landing").string();
    url_ = GetParam().FreshUrl(tmp_);
  }
  ProcessResult Sync(const std::vector<std::string>& extra, const std::string& now = kNow) {
    std::vector<std::string> args{"sync",        "--url", sim_.url(), "--landing",  landing_,
                                  "--warehouse", url_,    "--from",   "2026-11-24", "--to",
                                  "2026-11-25",  "--now", now,        "--progress", "never"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunEtl(args, {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  }
  int64_t Count(const std::string& table, int site) {
    return QueryInt(url_, "SELECT count(*) FROM " + table + " WHERE site_id = " + std::to_string(site));
  }

  SimServer sim_;
  TempDir tmp_;
  std::string landing_, url_;
};

TEST_P(SiteMetadata, SyncOfOneSiteKeepsTheOtherSitesRows) {
  ProcessResult r = Sync({});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (int site : {1, 2}) {
    ASSERT_EQ(Count("matomo_sites", site), 1) << site;
    ASSERT_GT(Count("matomo_goals", site), 0) << site;
  }
  const std::string before = DumpTables(url_, kMetadata, {"updated_at"});

  r = Sync({"--site", "2"}, "2026-11-27 09:00:00");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // Site 2's rows were replaced (by the second run, not added twice), site 1's are untouched.
  EXPECT_EQ(DumpTables(url_, kMetadata, {"updated_at"}), before);
  for (const auto& table : kMetadata) {
    Rows refreshed = QueryWarehouse(url_, "SELECT DISTINCT site_id FROM " + table +
                                              " WHERE updated_at >= CAST('2026-11-27 09:00:00+00' AS TIMESTAMPTZ)");
    ASSERT_EQ(refreshed.rows.size(), 1u) << table;
    EXPECT_EQ(refreshed.rows[0][0].value_or(""), "2") << table;
  }
}

TEST_P(SiteMetadata, LoadIntoANewWarehouseFillsThemOrSaysWhatToRun) {
  ProcessResult r = Sync({});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string synced = DumpTables(url_, kMetadata, {"updated_at"});

  // The warehouse is deleted (PostgreSQL: a new schema); the landing zone stays.
  std::string rebuilt = GetParam().FreshUrl(tmp_);
  if (GetParam().engine == "duckdb") {
    rebuilt = url_;
    ASSERT_TRUE(fs::remove(url_.substr(std::string("duckdb:").size())));
  }
  // Without a Matomo url: the partitions load, and the warning names the sites and what to run.
  r = RunEtl({"load", "--landing", landing_, "--warehouse", rebuilt});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("loaded 4 partitions"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("matomo_sites and matomo_goals have no rows for site(s) 1,2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("matomo-etl sync"), std::string::npos) << r.err;
  EXPECT_EQ(QueryInt(rebuilt, "SELECT count(*) FROM matomo_sites"), 0);

  // With the url (and the token): filled from the API, as a sync would have.
  r = RunEtl({"load", "--landing", landing_, "--warehouse", rebuilt, "--url", sim_.url()},
             {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(DumpTables(rebuilt, kMetadata, {"updated_at"}), synced);

  // Once filled, a load leaves them alone (no request for sites that are there).
  r = RunEtl({"load", "--landing", landing_, "--warehouse", rebuilt, "--url", "http://127.0.0.1:1/"},
             {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(DumpTables(rebuilt, kMetadata, {"updated_at"}), synced);
}

METL_INSTANTIATE_WAREHOUSE_SUITE(SiteMetadata);

}  // namespace
}  // namespace metl::e2e
