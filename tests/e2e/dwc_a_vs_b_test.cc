// Issue 14's "A vs B": the same simulated visits through both exits give the same warehouse.
//   A (Live API): `matomo-etl sync` against matomo-sim;
//   B (DWC):      matomo-sim --dwc-export -> a real local S3 (s3rver) -> `dwc extract` -> `dwc load`.
// The five curated tables are compared row by row and column by column (curated_compare.h), and
// matomo_daily_kpis too, on DuckDB and PostgreSQL. Allowed: the columns docs/dwc.md lists as
// different, and the visits Live cut at 500 actions. Then `verify` on the DWC-loaded days: against
// the simulator's aggregates with a URL and token, and a clear configuration error without them.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "curated_compare.h"
#include "harness.h"
#include "objstore/s3_store.h"
#include "s3_server.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNow = "2026-11-27 08:00:00";
constexpr const char* kFrom = "2026-11-23";
constexpr const char* kTo = "2026-11-25";
constexpr const char* kKeyId = "METLTESTKEYID0002";
constexpr const char* kSecret = "metl-test-secret-ab-4f2e8d1c";  // a test value
constexpr const char* kBucket = "dwc-ab";

// docs/dwc.md "Differences from the Live path" that the simulator's visits can show.
const std::set<std::string> kDocumentedDifferences = {"extracted_at"};
const std::set<std::string> kLifetime = {"ecommerce_orders", "ecommerce_revenue",      "ecommerce_items",
                                         "abandoned_carts",  "abandoned_cart_revenue", "abandoned_cart_items"};

std::vector<WarehouseTarget> Targets() {
  std::vector<WarehouseTarget> out;
  for (const auto& t : WarehouseTargets()) {
    if (t.engine == "duckdb" || t.engine == "postgres") out.push_back(t);
  }
  return out;
}

class DwcAvsB : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    // 25 visits a day: every site-day holds a visit Live cuts at 500 actions (the generator's rule
    // from 20 visits a day). Partitioned keys with '=', gzip, MySQL's base64:type254: binaries.
    sim_ = new SimServer({"--sites", "2", "--visits-per-day", "25", "--from", kFrom, "--to", kTo, "--now", kNow,
                          "--dwc-export", (dir_->path() / "export").string(), "--dwc-compression", "gzip",
                          "--dwc-binary", "mysql"});
    s3rver_ = new LocalS3Server({kBucket}, kKeyId, kSecret);
    if (s3rver_->port() == 0) return;
    objstore::S3Options o;
    o.env = {{"AWS_ACCESS_KEY_ID", kKeyId}, {"AWS_SECRET_ACCESS_KEY", kSecret},
             {"AWS_ENDPOINT_URL_S3", s3rver_->endpoint()}};
    o.region = "eu-west-1";
    auto store = objstore::S3ObjectStore::Open(std::string("s3://") + kBucket + "/matomo", o);
    if (!store.ok()) return;
    const fs::path root = dir_->path() / "export";
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (!e.is_regular_file()) continue;
      if ((*store)->PutString(fs::relative(e.path(), root).string(), ReadFile(e.path())).ok()) ++uploaded_;
    }
  }
  static void TearDownTestSuite() {
    delete s3rver_;
    delete sim_;
    delete dir_;
  }

  void SetUp() override {
    ASSERT_GT(s3rver_->port(), 0) << "s3rver did not start: " << s3rver_->Stderr();
    ASSERT_GE(uploaded_, 10) << "the export was not uploaded";
    live_url_ = GetParam().FreshUrl(live_dir_);
    if (live_url_.empty()) return;
    dwc_url_ = GetParam().FreshUrl(dwc_dir_);
  }

  ProcessResult LivePath() {
    return RunEtl({"sync", "--url", sim_->url(), "--landing", (live_dir_.path() / "landing").string(), "--warehouse",
                   live_url_, "--from", kFrom, "--to", kTo, "--now", kNow},
                  {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  }
  // dwc extract then dwc load, with only the AWS variables the test sets.
  ProcessResult DwcPath() {
    const std::string landing = (dwc_dir_.path() / "landing").string();
    Env aws = {{"AWS_ACCESS_KEY_ID", kKeyId},     {"AWS_SECRET_ACCESS_KEY", kSecret},
               {"AWS_ENDPOINT_URL_S3", s3rver_->endpoint()},
               {"AWS_SESSION_TOKEN", "\x01"},     {"AWS_PROFILE", "\x01"},
               {"AWS_REGION", "\x01"},            {"AWS_DEFAULT_REGION", "\x01"},
               {"AWS_ENDPOINT_URL", "\x01"},      {"AWS_SHARED_CREDENTIALS_FILE", "\x01"},
               {"MATOMO_TOKEN_AUTH", "\x01"}};
    ProcessResult extract = RunEtl(
        {"dwc", "extract", "--s3", std::string("s3://") + kBucket + "/matomo", "--region", "eu-west-1", "--landing",
         landing},
        aws, "", 120);
    if (extract.exit_code != 0) return extract;
    return RunEtl({"dwc", "load", "--landing", landing, "--warehouse", dwc_url_}, {{"MATOMO_TOKEN_AUTH", "\x01"}});
  }
  // (site_id, visit_id) of the visits Live cut at 500 actions.
  std::set<std::pair<int64_t, int64_t>> TruncatedByLive() {
    std::set<std::pair<int64_t, int64_t>> out;
    Rows r = QueryWarehouse(live_url_, "SELECT site_id, visit_id FROM matomo_visits WHERE truncated_actions > 0");
    for (const auto& row : r.rows) out.insert({std::stoll(row[0].value_or("0")), std::stoll(row[1].value_or("0"))});
    return out;
  }

  static inline TempDir* dir_ = nullptr;
  static inline SimServer* sim_ = nullptr;
  static inline LocalS3Server* s3rver_ = nullptr;
  static inline int uploaded_ = 0;
  TempDir live_dir_, dwc_dir_;
  std::string live_url_, dwc_url_;
};

TEST_P(DwcAvsB, SameVisitsGiveEqualCuratedTablesAndKpis) {
  ProcessResult a = LivePath();
  ASSERT_EQ(a.exit_code, 0) << a.out << a.err;
  ProcessResult b = DwcPath();
  ASSERT_EQ(b.exit_code, 0) << b.out << b.err;

  const int64_t visits = QueryInt(live_url_, "SELECT count(*) FROM matomo_visits");
  EXPECT_GE(visits, 2 * 3 * 25);
  EXPECT_EQ(QueryInt(dwc_url_, "SELECT count(*) FROM matomo_visits"), visits);
  EXPECT_EQ(QueryInt(dwc_url_, "SELECT count(*) FROM matomo_etl_partitions WHERE source = 'dwc'"), 6);
  EXPECT_EQ(QueryInt(live_url_, "SELECT count(*) FROM matomo_etl_partitions WHERE source = 'live'"), 6);

  // Live cut one visit per site-day; the DWC path cuts none.
  const auto truncated = TruncatedByLive();
  EXPECT_EQ(truncated.size(), 6u);
  EXPECT_EQ(QueryInt(dwc_url_, "SELECT count(*) FROM matomo_visits WHERE truncated_actions > 0"), 0);

  CompareOptions options{kDocumentedDifferences, kLifetime, truncated};
  CompareResult r = CompareWarehouses(live_url_, dwc_url_, CuratedTables(), options);
  EXPECT_EQ(r.differences, 0);
  EXPECT_EQ(r.lifetime_short, 0) << "the simulator's Live counts no history beyond what it exports";
  EXPECT_GT(r.values, 50000);
  std::printf("[ compared ] %lld rows, %lld values; %zu truncated visits left out\n",
              static_cast<long long>(r.rows), static_cast<long long>(r.values), truncated.size());

  // The daily KPIs, every column: the visits Live cut count the same on both paths (the export the
  // simulator derives from Live holds the same 500 actions; a real export would hold all of them).
  CompareResult k = CompareWarehouses(live_url_, dwc_url_, {{"matomo_daily_kpis", "site_id, date"}}, {});
  EXPECT_EQ(k.differences, 0);
  EXPECT_EQ(k.rows, 6);
}

TEST_P(DwcAvsB, VerifyOnDwcLoadedDays) {
  ProcessResult b = DwcPath();
  ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
  // Without a Matomo URL: a configuration error (exit 2) that says what verify needs, and why.
  ProcessResult none = RunEtl({"verify", "--warehouse", dwc_url_}, {{"MATOMO_TOKEN_AUTH", "\x01"}});
  EXPECT_EQ(none.exit_code, 2) << none.out << none.err;
  EXPECT_NE(none.err.find("6 partition(s) to verify were loaded from the DWC export"), std::string::npos) << none.err;
  EXPECT_NE(none.err.find("no Matomo URL"), std::string::npos) << none.err;
  EXPECT_NE(none.err.find("VisitsSummary.get"), std::string::npos) << none.err;
  EXPECT_NE(none.err.find("MATOMO_TOKEN_AUTH"), std::string::npos) << none.err;
  // A URL without a token: the same, naming the token.
  ProcessResult no_token = RunEtl({"verify", "--url", sim_->url(), "--warehouse", dwc_url_}, {{"MATOMO_TOKEN_AUTH", "\x01"}});
  EXPECT_EQ(no_token.exit_code, 2) << no_token.out << no_token.err;
  EXPECT_NE(no_token.err.find("loaded from the DWC export, and no Matomo token"), std::string::npos) << no_token.err;

  // With both: the DWC-loaded days are checked against VisitsSummary.get, Actions.get, Goals.get.
  const Env token = {{"MATOMO_TOKEN_AUTH", SimServer::kToken}};
  ProcessResult ok = RunEtl({"verify", "--url", sim_->url(), "--warehouse", dwc_url_}, token);
  std::printf("%s", ok.out.c_str());
  EXPECT_NE(ok.out.find("verified 6 partition(s) of 2 site(s) (6 loaded from the DWC export)"), std::string::npos)
      << ok.out;
  // nb_visits, nb_actions, ... are equal on every day: the DWC path loses nothing.
  EXPECT_EQ(ok.out.find("nb_visits "), std::string::npos) << ok.out;
  EXPECT_EQ(ok.out.find("nb_actions "), std::string::npos) << ok.out;

  // A tampered figure on a DWC-loaded day is caught: exit 4, naming the day and the metric.
  QueryWarehouse(dwc_url_,
                 "UPDATE matomo_daily_kpis SET nb_visits = nb_visits + 1 WHERE site_id = 1 AND date = DATE '2026-11-24'");
  ProcessResult bad = RunEtl({"verify", "--url", sim_->url(), "--warehouse", dwc_url_, "--json"}, token);
  EXPECT_EQ(bad.exit_code, 4) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("\"dwc_partitions\":6"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("\"date\":\"2026-11-24\",\"metric\":\"nb_visits\""), std::string::npos) << bad.out;
}

INSTANTIATE_TEST_SUITE_P(, DwcAvsB, ::testing::ValuesIn(Targets()), TargetTestName);

}  // namespace
}  // namespace metl::e2e
