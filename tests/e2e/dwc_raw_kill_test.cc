// `dwc load` killed (SIGKILL) while it merges the files into the raw layer, after its curated loads
// committed, then run again: the raw tables, the curated tables and both ledgers equal what one clean
// run leaves, on DuckDB and PostgreSQL. The moment is not guessed: with --log-level debug, `dwc load`
// logs each file whose merge committed ("raw layer file merged"), and the test kills it once it has
// seen a given number of them (0: during the first file's transaction). After each kill, the ledgers
// prove where it fell: every day loaded, only some files recorded.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "dwc_test_util.h"
#include "harness.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kRawTables = {
    "matomo_raw_dwc_log_visit",     "matomo_raw_dwc_log_link_visit_action", "matomo_raw_dwc_log_action",
    "matomo_raw_dwc_log_conversion", "matomo_raw_dwc_log_conversion_item",  "matomo_raw_dwc_site",
    "matomo_raw_dwc_goal"};
const std::vector<std::string> kCurated = {"matomo_visits",       "matomo_actions",         "matomo_custom_dimensions",
                                           "matomo_conversions",  "matomo_ecommerce_items", "matomo_raw_visits"};

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

class DwcRawLayerKill : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    // 2 sites x 4 days: 5 log tables a day, plus site, goal and custom_dimensions: 23 files to merge.
    SimServer sim({"--sites", "2", "--visits-per-day", "20", "--from", "2026-11-21", "--to", "2026-11-24", "--now",
                   "2026-11-27 08:00:00", "--dwc-export", Export().string()});
  }
  static void TearDownTestSuite() { delete dir_; }
  static fs::path Export() { return dir_->path() / "export"; }

  std::vector<std::string> LoadArgv(const std::string& url, const fs::path& landing) const {
    return {EtlBin(), "dwc", "load", "--from-dir", Export().string(), "--landing", landing.string(), "--warehouse",
            url, "--progress", "never", "--log-level", "debug"};
  }
  static std::string Dump(const std::string& url) {
    return DumpTables(url, kRawTables) + DumpTables(url, kCurated, {"extracted_at"}) +
           DumpTables(url, {"matomo_etl_partitions"}, {"loaded_at", "extracted_at"}) +
           DumpTables(url, {"matomo_etl_dwc_files"}, {"loaded_at"});
  }

  static inline TempDir* dir_ = nullptr;
};

TEST_P(DwcRawLayerKill, KilledMidRawMergeThenRerunEqualsACleanRun) {
  TempDir clean_dir;
  const std::string clean_url = GetParam().FreshUrl(clean_dir);
  if (clean_url.empty()) GTEST_SKIP() << GetParam().engine << " is not available";
  ProcessResult clean = RunProcess(LoadArgv(clean_url, clean_dir.path() / "landing"));
  ASSERT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  const int64_t files = QueryInt(clean_url, "SELECT count(*) FROM matomo_etl_dwc_files");
  const int64_t days = QueryInt(clean_url, "SELECT count(*) FROM matomo_etl_partitions");
  ASSERT_GE(files, 20);
  ASSERT_GE(days, 6);  // 2 sites x 4 days
  ASSERT_EQ(Count(clean.err, "raw layer file merged"), static_cast<size_t>(files)) << clean.err;
  const std::string expected = Dump(clean_url);
  ASSERT_GT(QueryInt(clean_url, "SELECT count(*) FROM matomo_raw_dwc_log_link_visit_action"), 100);

  for (size_t merged : {size_t{0}, size_t{1}, static_cast<size_t>(files / 2)}) {
    SCOPED_TRACE("killed after " + std::to_string(merged) + " merged files");
    TempDir round;
    const std::string url = GetParam().FreshUrl(round);
    const fs::path landing = round.path() / "landing";
    {
      BackgroundProcess p(LoadArgv(url, landing));
      const std::string mark = merged == 0 ? "merging the files into the raw layer" : "raw layer file merged";
      const size_t want = merged == 0 ? 1 : merged;
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
      while (Count(p.Stderr(), mark) < want && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      ASSERT_GE(Count(p.Stderr(), mark), want) << p.Stderr();
      p.Signal(SIGKILL);
      ASSERT_EQ(p.Wait(30), 128 + SIGKILL) << "the load ended before the kill";
    }
    // Where it fell: the curated days committed, the raw merge part way.
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_etl_partitions"), days);
    const int64_t recorded = QueryInt(url, "SELECT count(*) FROM matomo_etl_dwc_files");
    EXPECT_GE(recorded, static_cast<int64_t>(merged));
    EXPECT_LT(recorded, files);
    std::printf("[ info ] %s: killed with %lld of %lld files merged\n", GetParam().engine.c_str(),
                static_cast<long long>(recorded), static_cast<long long>(files));

    ProcessResult rerun = RunProcess(LoadArgv(url, landing));
    ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
    EXPECT_NE(rerun.out.find("(" + std::to_string(files - recorded) + " new or changed"), std::string::npos)
        << rerun.out;
    EXPECT_EQ(Dump(url), expected);
    // And one more run changes nothing.
    ProcessResult again = RunProcess(LoadArgv(url, landing));
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_NE(again.out.find("(0 new or changed"), std::string::npos) << again.out;
    EXPECT_EQ(Dump(url), expected);
  }
}

INSTANTIATE_TEST_SUITE_P(, DwcRawLayerKill, ::testing::ValuesIn(DwcTargets()), TargetTestName);

}  // namespace
}  // namespace metl::e2e
