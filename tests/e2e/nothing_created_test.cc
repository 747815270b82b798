// Runs that fail before doing anything create nothing (issue 17, defect 4): without a URL, with an
// unknown site or an unreachable Matomo, `sync` and `extract` left ./landing and an empty
// ./matomo.duckdb behind. The landing folder and the warehouse file appear only once there is
// something to write; a `load` with nothing landed creates no empty warehouse either.
#include <gtest/gtest.h>

#include <filesystem>

#include "harness.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;
constexpr const char* kNow = "2026-11-27 08:00:00";

std::vector<std::string> Entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  return names;
}

class NothingCreated : public ::testing::Test {
 protected:
  // Runs matomo-etl in an empty folder, with the default landing (./landing) and warehouse (./matomo.duckdb).
  ProcessResult Run(const std::vector<std::string>& args) {
    return RunEtl(args, {{"MATOMO_TOKEN_AUTH", SimServer::kToken}}, tmp_.str());
  }
  void ExpectEmpty(const ProcessResult& r) {
    EXPECT_EQ(Entries(tmp_.path()), std::vector<std::string>{}) << r.out << r.err;
  }
  TempDir tmp_;
};

TEST_F(NothingCreated, WithoutAUrl) {
  for (const char* command : {"sync", "extract"}) {
    ProcessResult r = Run({command, "--now", kNow});
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
    EXPECT_NE(r.err.find("no Matomo URL"), std::string::npos) << r.err;
    ExpectEmpty(r);
  }
}

TEST_F(NothingCreated, WithAnUnknownSite) {
  SimServer sim({"--sites", "1", "--visits-per-day", "5", "--now", kNow});
  for (const char* command : {"sync", "extract"}) {
    ProcessResult r = Run({command, "--url", sim.url(), "--site", "99", "--now", kNow});
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
    EXPECT_NE(r.err.find("site 99"), std::string::npos) << r.err;
    ExpectEmpty(r);
  }
}

TEST_F(NothingCreated, WithAnUnreachableMatomo) {
  for (const char* command : {"sync", "extract"}) {
    // Port 1 on the loopback: connection refused at once.
    ProcessResult r = Run({command, "--url", "http://127.0.0.1:1/", "--max-retries", "0", "--now", kNow});
    EXPECT_NE(r.exit_code, 0) << command << ": " << r.err;
    ExpectEmpty(r);
  }
}

TEST_F(NothingCreated, LoadWithNothingLanded) {
  ProcessResult r = Run({"load"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("nothing to load"), std::string::npos) << r.out;
  ExpectEmpty(r);
}

TEST_F(NothingCreated, ButASuccessfulSyncCreatesBoth) {
  SimServer sim({"--sites", "1", "--visits-per-day", "5", "--now", kNow});
  ProcessResult r = Run({"sync", "--url", sim.url(), "--from", "2026-11-26", "--to", "2026-11-26", "--now", kNow});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(fs::is_directory(tmp_.path() / "landing" / "site=1" / "date=2026-11-26"));
  EXPECT_TRUE(fs::is_regular_file(tmp_.path() / "matomo.duckdb"));
}

}  // namespace
}  // namespace metl::e2e
