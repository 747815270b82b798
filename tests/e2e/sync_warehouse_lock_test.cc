// `sync` opens a DuckDB warehouse only for its load, models and API tables (issue 17, defect 3): while
// it extracts (minutes under Matomo's rate limit), BI tools and `status` can open the file. It held
// the file from its start, and they failed with "Conflicting lock". A bad --warehouse still fails
// before any Matomo request.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "harness.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;
constexpr const char* kNow = "2026-11-27 08:00:00";

std::vector<std::string> SyncArgs(const SimServer& sim, const std::string& landing, const std::string& url,
                                  const std::string& from) {
  return {EtlBin(), "sync",       "--url", sim.url(), "--landing",  landing, "--warehouse",   url, "--from", from,
          "--to",   "2026-11-26", "--now", kNow,      "--progress", "never", "--concurrency", "1"};
}

int LandedPartitions(const std::string& landing) {
  int n = 0;
  for (const auto& e : fs::recursive_directory_iterator(landing)) {  // site=*/date=*/_manifest.json, not .tmp/
    const fs::path& p = e.path();
    n += p.filename() == "_manifest.json" && p.parent_path().parent_path().parent_path() == fs::path(landing) ? 1 : 0;
  }
  return n;
}

TEST(SyncWarehouseLock, TheDuckDbFileCanBeOpenedWhileSyncExtracts) {
  TempDir tmp;
  std::string landing = (tmp.path() / "landing").string();
  std::string url = "duckdb:" + (tmp.path() / "warehouse.duckdb").string();
  Env env{{"MATOMO_TOKEN_AUTH", SimServer::kToken}};
  // Every request takes 400 ms: 6 days of 2 sites, one request at a time, extract for several seconds.
  SimServer sim({"--sites", "2", "--visits-per-day", "5", "--now", kNow, "--latency-ms", "400"});
  ProcessResult first = RunProcess(SyncArgs(sim, landing, url, "2026-11-26"), env);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;

  BackgroundProcess sync(SyncArgs(sim, landing, url, "2026-11-21"), env);
  // The landing lock appears once the run has reached Matomo and starts extracting.
  for (int i = 0; i < 500 && !fs::exists(fs::path(landing) / ".lock"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(fs::exists(fs::path(landing) / ".lock")) << sync.Stderr();
  // Another process reads the warehouse (this one, through DuckDB's C API, as a BI tool would)...
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_etl_partitions"), 2);
  // ...and so does `status`.
  ProcessResult status = RunEtl({"status", "--landing", landing, "--warehouse", url, "--site", "1", "--from",
                                 "2026-11-26", "--to", "2026-11-26", "--now", kNow});
  EXPECT_EQ(status.err.find("Conflicting lock"), std::string::npos) << status.err;
  EXPECT_TRUE(status.exit_code == 0 || status.exit_code == 3) << status.exit_code << status.out << status.err;
  // The sync was still extracting then (else the test proved nothing), and it completes.
  EXPECT_LT(LandedPartitions(landing), 12) << "the extraction ended before the warehouse was opened";
  ASSERT_EQ(sync.Wait(120), 0) << sync.Stderr();
  EXPECT_EQ(LandedPartitions(landing), 12);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_etl_partitions WHERE status = 'loaded'"), 12);
}

TEST(SyncWarehouseLock, ABadWarehouseFailsBeforeAnyMatomoRequest) {
  TempDir tmp;
  std::string log = (tmp.path() / "requests.log").string();
  SimServer sim({"--sites", "1", "--visits-per-day", "5", "--now", kNow, "--request-log", log});
  WriteFile(tmp.path() / "a-file", "not a folder");
  for (const std::string& url : {std::string("bogus://somewhere"), std::string("duckdb:"),
                                 "duckdb:" + (tmp.path() / "a-file" / "warehouse.duckdb").string()}) {
    ProcessResult r = RunEtl(
        {"sync", "--url", sim.url(), "--landing", (tmp.path() / "landing").string(), "--warehouse", url, "--now", kNow},
        {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
    EXPECT_EQ(r.exit_code, 2) << url << ": " << r.out << r.err;
    EXPECT_NE(r.err.find("error:"), std::string::npos) << r.err;
  }
  EXPECT_EQ(ReadFile(log), "") << "a request was sent before the warehouse was checked";
  EXPECT_FALSE(fs::exists(tmp.path() / "landing"));
}

}  // namespace
}  // namespace metl::e2e
