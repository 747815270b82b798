// `dwc load` keeps in memory only the rows of the days it rebuilds (dwc/rebuild.h), on DuckDB and
// PostgreSQL: a daily file added to a loaded export lands the new day exactly as one load of the
// whole export lands it (lifetime ecommerce totals of returning visitors included, whose older
// conversions sit in days that are not rebuilt), and a re-delivered log_action row rebuilds the older days whose visits
// use it, found only while reading their actions.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "dwc_test_util.h"
#include "harness.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kCurated = {"matomo_visits", "matomo_actions", "matomo_custom_dimensions",
                                           "matomo_conversions", "matomo_ecommerce_items"};
constexpr int64_t kEarly = 1796256000;  // 2026-12-03
constexpr int64_t kLate = 1796342400;   // 2026-12-04

class DwcIncremental : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  ProcessResult Load(const fs::path& from, const std::string& url, const std::string& landing) {
    return RunEtl({"dwc", "load", "--from-dir", from.string(), "--landing", (tmp_.path() / landing).string(),
                   "--warehouse", url});
  }
  TempDir tmp_;
};

TEST_P(DwcIncremental, DailyFileLandsWhatOneLoadOfTheWholeExportLands) {
  const fs::path all = tmp_.path() / "sim-export";
  {
    SimServer sim({"--sites", "1", "--visits-per-day", "80", "--from", "2026-11-20", "--to", "2026-11-23", "--now",
                   "2026-11-25 08:00:00", "--dwc-export", all.string(), "--dwc-compression", "gzip"});
  }
  // The mirror: the first three days' files, then the last day's as the next day's delivery.
  const fs::path mirror = tmp_.path() / "mirror";
  int64_t last_day_files = 0;
  for (const auto& e : fs::recursive_directory_iterator(all)) {
    if (!e.is_regular_file()) continue;
    const std::string key = fs::relative(e.path(), all).generic_string();
    const bool last_day = key.find("date=2026-11-23") != std::string::npos;
    last_day_files += last_day;
    if (!last_day) WriteFileWithMtime(mirror / key, ReadFile(e.path()), kEarly);
  }
  ASSERT_GT(last_day_files, 2);
  TempDir a, b;
  const std::string daily_url = GetParam().FreshUrl(a), whole_url = GetParam().FreshUrl(b);
  ASSERT_FALSE(daily_url.empty());
  ProcessResult first = Load(mirror, daily_url, "landing-daily");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("3 days rebuilt"), std::string::npos) << first.out;
  for (const auto& e : fs::recursive_directory_iterator(all)) {
    const std::string key = fs::relative(e.path(), all).generic_string();
    if (e.is_regular_file() && key.find("date=2026-11-23") != std::string::npos) {
      WriteFileWithMtime(mirror / key, ReadFile(e.path()), kLate);
    }
  }
  ProcessResult daily = Load(mirror, daily_url, "landing-daily");
  ASSERT_EQ(daily.exit_code, 0) << daily.out << daily.err;
  EXPECT_NE(daily.out.find(std::to_string(last_day_files) + " new or changed"), std::string::npos) << daily.out;
  EXPECT_NE(daily.out.find("1 days rebuilt"), std::string::npos) << daily.out;

  ProcessResult whole = Load(all, whole_url, "landing-whole");
  ASSERT_EQ(whole.exit_code, 0) << whole.out << whole.err;
  EXPECT_NE(whole.out.find("4 days rebuilt"), std::string::npos) << whole.out;
  // Returning buyers: their lifetime totals read conversions of days the daily run did not rebuild.
  EXPECT_GT(QueryInt(whole_url, "SELECT count(*) FROM matomo_visits WHERE visit_count > 1 AND "
                                "ecommerce_orders > 0"),
            0);
  // The new day's partition is byte for byte the one a load of the whole export lands. (The older
  // days are not compared: Live's lifetime totals count a visitor's later conversions too, and the
  // daily run, like any run, rebuilds only the days its files touch.)
  auto content_hash = [&](const std::string& landing) {
    std::smatch m;
    const std::string manifest = ReadFile(tmp_.path() / landing / "site=1" / "date=2026-11-23" / "_manifest.json");
    EXPECT_TRUE(std::regex_search(manifest, m, std::regex("\"content_sha256\": *\"([0-9a-f]{64})\""))) << manifest;
    return m.size() > 1 ? m[1].str() : "";
  };
  EXPECT_EQ(content_hash("landing-daily"), content_hash("landing-whole"));
}

TEST_P(DwcIncremental, RedeliveredLogActionRowRebuildsTheDaysThatUseIt) {
  const fs::path mirror = tmp_.path() / "export";
  for (const auto& e : fs::directory_iterator(TestData("dwc-real-sample/raw"))) {
    std::string name = e.path().filename().string();
    WriteFileWithMtime(mirror / (name.substr(0, name.find(".jsonl")) + ".jsonl"), DecompressedFile(e.path()), kEarly);
  }
  TempDir wh;
  const std::string url = GetParam().FreshUrl(wh);
  ASSERT_FALSE(url.empty());
  ASSERT_EQ(Load(mirror, url, "landing").exit_code, 0);
  const int64_t contact = QueryInt(url, "SELECT count(*) FROM matomo_actions WHERE page_title = 'Contact'");
  ASSERT_GT(contact, 0);
  const int64_t days = QueryInt(url, "SELECT count(DISTINCT CAST(site_id AS VARCHAR) || '/' || CAST(visit_date AS "
                                     "VARCHAR)) FROM matomo_actions WHERE page_title = 'Contact'");
  // Matomo renamed action 4 (the page title "Contact"); the next export carries its row again.
  std::string line;
  std::istringstream in(DecompressedFile(mirror / "log_action.jsonl"));
  while (std::getline(in, line) && line.find("\"idaction\": 4,") == std::string::npos) {
  }
  ASSERT_NE(line.find("\"name\": \"Contact\""), std::string::npos) << line;
  WriteFileWithMtime(mirror / "log_action-late.jsonl",
                     std::regex_replace(line, std::regex("\"name\": \"Contact\""), "\"name\": \"Contact us\"") + "\n",
                     kLate);
  ProcessResult r = Load(mirror, url, "landing");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(std::to_string(days) + " days rebuilt"), std::string::npos) << r.out;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_actions WHERE page_title = 'Contact'"), 0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_actions WHERE page_title = 'Contact us'"), contact);
}

INSTANTIATE_TEST_SUITE_P(, DwcIncremental, ::testing::ValuesIn(DwcTargets()), TargetTestName);

}  // namespace
}  // namespace metl::e2e
