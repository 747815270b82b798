// Custom dimension ids on the DWC path (docs/dwc.md "Custom dimensions"), through the real binaries,
// matomo-sim over HTTP, on DuckDB and PostgreSQL. The export has the values (custom_dimension_<index>
// columns) but not the mapping to dimension ids; `dwc load` takes it from the dwc_custom_dimensions
// option, else from Matomo's CustomDimensions.getConfiguredCustomDimensions (url and token set), else
// from a custom_dimensions file in the export folder:
//   - the API, the file, the option and the Live path give the same matomo_custom_dimensions rows;
//   - without any mapping, the values are left out with a warning naming the site and columns;
//   - a failing API call stops the load before anything is written, with a clear error and exit 2,
//     and the token appears nowhere.
#include <gtest/gtest.h>

#include <filesystem>

#include "curated_compare.h"
#include "dwc_test_util.h"
#include "harness.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNow = "2026-11-27 08:00:00";
constexpr const char* kFrom = "2026-11-24";
constexpr const char* kTo = "2026-11-25";

// The simulator's dimensions (src/sim/site_json.cc) as a user would write them in the config.
constexpr const char* kOption =
    "site=1 id=1 scope=visit index=1; site=1 id=2 scope=action index=1; "
    "site=2 id=1 scope=visit index=1; site=2 id=2 scope=action index=1";

class DwcDimensions : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    // The export with Matomo's custom_dimensions table (--dwc-custom-dimensions file, the default) ...
    sim_ = new SimServer({"--sites", "2", "--visits-per-day", "12", "--from", kFrom, "--to", kTo, "--now", kNow,
                          "--dwc-export", (dir_->path() / "with-file").string()});
    // ... and as the real export is, without it (the same visits: the same seed and flags).
    SimServer without({"--sites", "2", "--visits-per-day", "12", "--from", kFrom, "--to", kTo, "--now", kNow,
                       "--dwc-export", (dir_->path() / "no-file").string(), "--dwc-custom-dimensions", "none"});
  }
  static void TearDownTestSuite() {
    delete sim_;
    delete dir_;
  }
  void SetUp() override {
    url_ = GetParam().FreshUrl(tmp_);
    if (url_.empty()) GTEST_SKIP() << GetParam().engine << " is not available";
  }

  static fs::path WithFile() { return dir_->path() / "with-file"; }
  static fs::path NoFile() { return dir_->path() / "no-file"; }

  // `dwc load` of `from` into a fresh warehouse named `name`; `extra` flags, `env` (no token by default).
  ProcessResult Load(const fs::path& from, const std::string& name, std::vector<std::string> extra = {},
                     Env env = {{"MATOMO_TOKEN_AUTH", "\x01"}}) {
    urls_[name] = GetParam().FreshUrl(dirs_[name]);
    std::vector<std::string> args = {"dwc", "load", "--from-dir", from.string(), "--landing",
                                     (dirs_[name].path() / "landing").string(), "--warehouse", urls_[name]};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunEtl(args, env);
  }
  ProcessResult LoadWithApi(const fs::path& from, const std::string& name) {
    return Load(from, name, {"--url", sim_->url()}, {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  }
  CompareResult CompareDimensions(const std::string& first, const std::string& second) {
    return CompareWarehouses(first, second, {{"matomo_custom_dimensions", "site_id, visit_id, action_index, dimension_id"}},
                             {{"extracted_at"}, {}, {}, {}});
  }

  static inline TempDir* dir_ = nullptr;
  static inline SimServer* sim_ = nullptr;
  TempDir tmp_;
  std::string url_;
  std::map<std::string, TempDir> dirs_;
  std::map<std::string, std::string> urls_;
};

TEST_P(DwcDimensions, ApiFileOptionAndLivePathGiveTheSameRows) {
  bool any = false;
  for (const auto& e : fs::recursive_directory_iterator(NoFile())) {
    any = any || e.path().string().find("custom_dimensions") != std::string::npos;
  }
  EXPECT_FALSE(any) << "--dwc-custom-dimensions none still wrote the table";

  // The Live path: Live's own dimension<id> fields.
  ProcessResult live = RunEtl({"sync", "--url", sim_->url(), "--landing", (tmp_.path() / "landing").string(),
                               "--warehouse", url_, "--from", kFrom, "--to", kTo, "--now", kNow},
                              {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  ASSERT_EQ(live.exit_code, 0) << live.out << live.err;

  // The file of the export folder, no Matomo at all.
  ProcessResult file = Load(WithFile(), "file");
  ASSERT_EQ(file.exit_code, 0) << file.out << file.err;
  EXPECT_NE(file.out.find("dwc custom dimensions: 4 for 2 site(s), from custom_dimensions file of the export folder\n"),
            std::string::npos)
      << file.out;

  // The API: the export without the table, the simulator's getConfiguredCustomDimensions.
  ProcessResult api = LoadWithApi(NoFile(), "api");
  ASSERT_EQ(api.exit_code, 0) << api.out << api.err;
  EXPECT_NE(api.out.find("dwc custom dimensions: 4 for 2 site(s), from Matomo's API "
                         "(CustomDimensions.getConfiguredCustomDimensions)\n"),
            std::string::npos)
      << api.out;
  EXPECT_EQ(api.err.find("no known dimension maps"), std::string::npos) << api.err;
  EXPECT_EQ(api.out.find(SimServer::kToken), std::string::npos);
  EXPECT_EQ(api.err.find(SimServer::kToken), std::string::npos);
  // The API wins over a file that is there too.
  ProcessResult both = LoadWithApi(WithFile(), "both");
  ASSERT_EQ(both.exit_code, 0) << both.out << both.err;
  EXPECT_NE(both.out.find("from Matomo's API"), std::string::npos) << both.out;

  // The config option, with the export without the table.
  const fs::path config = tmp_.path() / "matomo-etl.toml";
  WriteFile(config, std::string("dwc_custom_dimensions = \"") + kOption + "\"\n");
  ProcessResult option = Load(NoFile(), "option", {"--config", config.string()});
  ASSERT_EQ(option.exit_code, 0) << option.out << option.err;
  EXPECT_NE(option.out.find("from the dwc_custom_dimensions option\n"), std::string::npos) << option.out;

  const int64_t rows = QueryInt(url_, "SELECT count(*) FROM matomo_custom_dimensions");
  EXPECT_GT(rows, 2 * 2 * 12);  // every visit's, and actions'
  EXPECT_GT(QueryInt(url_, "SELECT count(*) FROM matomo_custom_dimensions WHERE scope = 'action'"), 0);
  for (const char* name : {"file", "api", "both", "option"}) {
    EXPECT_EQ(QueryInt(urls_[name], "SELECT count(*) FROM matomo_custom_dimensions"), rows) << name;
    CompareResult r = CompareDimensions(url_, urls_[name]);
    EXPECT_EQ(r.differences, 0) << name;
    EXPECT_GE(r.rows, rows) << name;
  }
  // And the DWC loads among themselves, byte for byte.
  const std::string expected = DumpTables(urls_["file"], {"matomo_custom_dimensions"}, {"extracted_at"});
  EXPECT_EQ(DumpTables(urls_["api"], {"matomo_custom_dimensions"}, {"extracted_at"}), expected);
  EXPECT_EQ(DumpTables(urls_["option"], {"matomo_custom_dimensions"}, {"extracted_at"}), expected);
}

TEST_P(DwcDimensions, WithoutAMappingTheValuesAreLeftOutWithAWarning) {
  ProcessResult r = Load(NoFile(), "none");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("dwc custom dimensions: 0 for 2 site(s), from none (WARNING"), std::string::npos) << r.out;
  for (const char* site : {"site=1", "site=2"}) {
    const size_t at = r.err.find(std::string("no known dimension maps: left out of matomo_custom_dimensions ") + site);
    ASSERT_NE(at, std::string::npos) << r.err;
    const std::string line = r.err.substr(at, r.err.find('\n', at) - at);
    EXPECT_NE(line.find("log_link_visit_action.custom_dimension_1, log_visit.custom_dimension_1"), std::string::npos)
        << line;
  }
  EXPECT_EQ(QueryInt(urls_["none"], "SELECT count(*) FROM matomo_custom_dimensions"), 0);
  EXPECT_GT(QueryInt(urls_["none"], "SELECT count(*) FROM matomo_visits"), 2 * 2 * 10);
  // A URL without a token is not an error either: a warning says the API was not used.
  ProcessResult url_only = Load(NoFile(), "url-only", {"--url", sim_->url()});
  ASSERT_EQ(url_only.exit_code, 0) << url_only.out << url_only.err;
  EXPECT_NE(url_only.err.find("a Matomo URL is set but no token"), std::string::npos) << url_only.err;
}

TEST_P(DwcDimensions, AFailingApiCallStopsTheLoadBeforeAnythingIsWritten) {
  // A token Matomo refuses: exit 2, naming the call and the token problem, and nothing loaded.
  ProcessResult refused = Load(NoFile(), "refused", {"--url", sim_->url()}, {{"MATOMO_TOKEN_AUTH", "wrong-token-42"}});
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("custom dimensions from Matomo"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("Matomo rejected the token"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find("wrong-token-42"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.out.find("wrong-token-42"), std::string::npos) << refused.out;
  EXPECT_EQ(QueryInt(urls_["refused"], "SELECT count(*) FROM matomo_etl_dwc_files"), 0);
  // Nothing is recorded: the next run with a good token loads everything.
  ProcessResult again = RunEtl({"dwc", "load", "--from-dir", NoFile().string(), "--landing",
                                (dirs_["refused"].path() / "landing").string(), "--warehouse", urls_["refused"],
                                "--url", sim_->url()},
                               {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_GT(QueryInt(urls_["refused"], "SELECT count(*) FROM matomo_custom_dimensions"), 0);

  // A URL where no Matomo listens: exit 2 within the first-contact retries, naming the URL.
  ProcessResult down = Load(NoFile(), "down", {"--url", "http://127.0.0.1:1/"}, {{"MATOMO_TOKEN_AUTH", "t0k3n-x"}});
  EXPECT_EQ(down.exit_code, 2) << down.out << down.err;
  EXPECT_NE(down.err.find("cannot read site 1's custom dimensions from Matomo"), std::string::npos) << down.err;
  EXPECT_EQ(down.err.find("t0k3n-x"), std::string::npos) << down.err;

  // A malformed option: exit 2, naming the entry and the format.
  const fs::path config = tmp_.path() / "bad.toml";
  WriteFile(config, "dwc_custom_dimensions = \"site=1 id=1 scope=page index=1\"\n");
  ProcessResult bad = Load(NoFile(), "bad", {"--config", config.string()});
  EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;
  EXPECT_NE(bad.err.find("dwc_custom_dimensions: 'site=1 id=1 scope=page index=1': scope must be visit or action"),
            std::string::npos)
      << bad.err;
}

INSTANTIATE_TEST_SUITE_P(, DwcDimensions, ::testing::ValuesIn(DwcTargets()), TargetTestName);

}  // namespace
}  // namespace metl::e2e
