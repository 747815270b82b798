// Invalid UTF-8 from Matomo (issue 7), end to end: matomo-sim serves some visits whose page titles carry a
// lone Latin-1 byte (--invalid-utf8), `sync` lands and loads them on every warehouse target. Nothing is
// silently dropped: every visit loads, each bad byte is a visible U+FFFD in the curated tables and in the
// raw visits, the extraction warns with the count, and the count is kept in the manifest and in `status`.
#include <gtest/gtest.h>

#include <filesystem>

#include "harness.h"
#include "landing/manifest.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

const char* kNow = "2026-11-27 08:00:00";
const std::vector<std::string> kDays = {"2026-11-24", "2026-11-25"};
constexpr const char* kReplacement = "\xEF\xBF\xBD";  // U+FFFD

int64_t CountOf(const std::string& haystack, const std::string& needle) {
  int64_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) ++n;
  return n;
}

class InvalidUtf8 : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  InvalidUtf8() : sim_({"--sites", "2", "--visits-per-day", "40", "--now", kNow, "--invalid-utf8", "0.25"}) {}
  void SetUp() override {
    landing_ = (tmp_.path() / "landing").string();
    url_ = GetParam().FreshUrl(tmp_);
  }
  int64_t SimNbVisits(int site, const std::string& day) {
    HttpResponse r =
        HttpPost(sim_.url() + "index.php?module=API&format=JSON&method=VisitsSummary.get&period=day&idSite=" +
                     std::to_string(site) + "&date=" + day,
                 "token_auth=" + UrlEncode(SimServer::kToken));
    EXPECT_EQ(r.status, 200) << r.body;
    size_t at = r.body.find("\"nb_visits\":");
    return at == std::string::npos ? 0 : std::stoll(r.body.substr(at + 12));
  }
  SimServer sim_;
  TempDir tmp_;
  std::string landing_, url_;
};

TEST_P(InvalidUtf8, ReplacedVisiblyCountedAndNoVisitDropped) {
  Env env{{"MATOMO_TOKEN_AUTH", SimServer::kToken}};
  const std::vector<std::string> sync = {"sync",        "--url", sim_.url(), "--landing",    landing_,
                                         "--warehouse", url_,    "--from",   kDays.front(),  "--to",
                                         kDays.back(),  "--now", kNow,       "--rate-limit", "100000",
                                         "--progress",  "never"};
  ProcessResult r = RunEtl(sync, env);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  // Every visit the simulator has is loaded, and each day landed complete (the count check passed).
  int64_t sim_visits = 0;
  for (int site : {1, 2}) {
    for (const auto& day : kDays) sim_visits += SimNbVisits(site, day);
  }
  ASSERT_GT(sim_visits, 0);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits"), sim_visits);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_visits"), sim_visits);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_etl_partitions WHERE status = 'loaded'"), 4);

  // The manifests keep the count.
  int64_t in_manifests = 0;
  for (int site : {1, 2}) {
    for (const auto& day : kDays) {
      auto m = landing::ParseManifest(ReadFile(std::filesystem::path(landing_) / ("site=" + std::to_string(site)) /
                                               ("date=" + day) / "_manifest.json"));
      ASSERT_TRUE(m.ok()) << m.error().ToString();
      EXPECT_EQ(m->status, landing::PartitionStatus::kComplete);
      in_manifests += m->invalid_utf8_replaced;
    }
  }
  EXPECT_GT(in_manifests, 0);

  // Each replaced byte is one visible U+FFFD at the start of a page title: in the raw visits...
  Rows raw = QueryWarehouse(url_, "SELECT CAST(visit AS VARCHAR) FROM matomo_raw_visits");
  int64_t in_raw = 0, visits_hit = 0;
  for (const auto& row : raw.rows) {
    int64_t n = CountOf(row[0].value_or(""), kReplacement);
    in_raw += n;
    visits_hit += n > 0;
  }
  EXPECT_EQ(in_raw, in_manifests);
  EXPECT_GT(visits_hit, 0);
  EXPECT_LT(visits_hit, sim_visits) << "only some visits are affected";
  // ...and in the curated tables, with the rest of the title intact.
  std::string like = std::string("'") + kReplacement + "%'";
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_actions WHERE page_title LIKE " + like), in_manifests);
  EXPECT_GT(QueryInt(url_, "SELECT count(*) FROM matomo_actions WHERE page_title LIKE " + like +
                               " AND length(page_title) > 1"),
            0);
  EXPECT_GT(QueryInt(url_, "SELECT count(*) FROM matomo_visits WHERE entry_page_title LIKE " + like), 0);

  // The extraction said so, with the count.
  EXPECT_NE(r.err.find("Matomo sent invalid UTF-8: replaced with U+FFFD"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("replaced_bytes="), std::string::npos) << r.err;

  // `status` shows it per partition (JSON) and per site (text).
  ProcessResult status = RunEtl({"status", "--landing", landing_, "--warehouse", url_, "--from", kDays.front(), "--to",
                                 kDays.back(), "--now", kNow, "--json"});
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  EXPECT_NE(status.out.find("\"invalid_utf8_replaced\":"), std::string::npos) << status.out;
  EXPECT_EQ(status.out.find("\"invalid_utf8_replaced\":-"), std::string::npos) << status.out;
  status = RunEtl({"status", "--landing", landing_, "--warehouse", url_, "--from", kDays.front(), "--to", kDays.back(),
                   "--now", kNow});
  EXPECT_NE(status.out.find("invalid UTF-8 byte(s) from Matomo landed as U+FFFD"), std::string::npos) << status.out;

  // Deterministic per visit: a second sync finds the same content, so nothing changes.
  r = RunEtl(sync, env);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits"), sim_visits);
}

METL_INSTANTIATE_WAREHOUSE_SUITE(InvalidUtf8);

}  // namespace
}  // namespace metl::e2e
