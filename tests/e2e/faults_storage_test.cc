// Faults (issue 7): the disk fills up, the landing folder is read-only, the DuckDB file is held by
// another process. Each stops with a non-zero exit and an error that says what to do, leaves no
// partial partition, and a rerun once the cause is gone repairs everything.
#include <gtest/gtest.h>

#include <duckdb.h>
#include <unistd.h>

#include <filesystem>

#include "extract_util.h"
#include "harness.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;
constexpr const char* kNow = "2026-11-27 08:00:00";

std::vector<std::string> ExtractArgs(const std::string& url, const std::string& landing) {
  return {"extract", "--url", url, "--landing", landing, "--now", kNow, "--from", "2026-11-22", "--to",
          "2026-11-26", "--retry-delay-ms", "1", "--compression", "gzip"};
}

void ExpectOnlyCompletePartitions(const std::string& landing) {
  for (const auto& [key, part] : SnapshotLanding(landing)) {
    EXPECT_EQ(part.status, "complete") << key.first << " " << key.second;
    EXPECT_EQ(static_cast<int64_t>(LandedLines(landing, key.first, key.second).size()), part.visits);
  }
}

// Disk full, simulated with RLIMIT_FSIZE (no root mounts needed): writes past the limit fail with
// EFBIG, as they fail with ENOSPC on a full disk; SIGXFSZ is ignored so that the write returns.
TEST(FaultsStorage, DiskFullStopsCleanlyAndARerunRepairs) {
  SimServer sim({"--sites", "2", "--visits-per-day", "150", "--now", kNow});
  TempDir tmp;
  std::string landing = (tmp.path() / "landing").string();
  std::vector<std::string> argv{"/bin/sh", "-c", "trap '' XFSZ; exec prlimit --fsize=60000 \"$0\" \"$@\"", EtlBin()};
  for (const auto& a : ExtractArgs(sim.url(), landing)) argv.push_back(a);
  ProcessResult full = RunProcess(argv, {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  EXPECT_NE(full.exit_code, 0) << full.out << full.err;
  EXPECT_NE(full.exit_code, 128 + SIGXFSZ) << "killed by the file size signal instead of reporting the error";
  EXPECT_TRUE(full.err.find("File too large") != std::string::npos || full.err.find("No space") != std::string::npos ||
              full.err.find("disk") != std::string::npos)
      << full.err;
  ExpectOnlyCompletePartitions(landing);

  ProcessResult again = RunExtract(sim.url(), landing, {"--now", kNow, "--from", "2026-11-22", "--to", "2026-11-26"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto snap = SnapshotLanding(landing);
  EXPECT_EQ(snap.size(), 10u);
  for (const auto& [key, part] : snap) EXPECT_EQ(part.visits, DirectNbVisits(sim.url(), key.first, key.second));
}

// Root ignores file modes, so the run drops to `nobody` (setpriv) over a folder it may not write.
TEST(FaultsStorage, ReadOnlyLandingFolderIsAClearError) {
  if (access("/usr/bin/setpriv", X_OK) != 0) GTEST_SKIP() << "setpriv not installed";
  SimServer sim({"--sites", "1", "--visits-per-day", "20", "--now", kNow});
  TempDir tmp;
  fs::permissions(tmp.path(), fs::perms::all);  // nobody must reach the folder inside
  fs::path landing = tmp.path() / "landing";
  fs::create_directories(landing);
  fs::permissions(landing, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                               fs::perms::others_read | fs::perms::others_exec);
  std::vector<std::string> argv{"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", EtlBin()};
  for (const auto& a : ExtractArgs(sim.url(), landing.string())) argv.push_back(a);
  ProcessResult r = RunProcess(argv, {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  if (r.err.find("Permission denied") == std::string::npos && r.exit_code == 0) {
    GTEST_SKIP() << "running as nobody could still write (unusual file system)";
  }
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(landing.string()), std::string::npos) << "the error names the folder: " << r.err;
  EXPECT_NE(r.err.find("ermission"), std::string::npos) << r.err;
  EXPECT_TRUE(SnapshotLanding(landing.string()).empty());
}

// Another process holds the DuckDB file open (DuckDB allows one writing process).
TEST(FaultsStorage, DuckdbFileHeldByAnotherProcessIsAClearError) {
  SimServer sim({"--sites", "1", "--visits-per-day", "20", "--now", kNow});
  TempDir tmp;
  std::string landing = (tmp.path() / "landing").string();
  std::string file = (tmp.path() / "w.duckdb").string();
  std::vector<std::string> sync{"sync", "--url", sim.url(), "--landing", landing, "--warehouse", "duckdb:" + file,
                                "--from", "2026-11-25", "--to", "2026-11-26", "--now", kNow};
  Env env{{"MATOMO_TOKEN_AUTH", SimServer::kToken}};
  ASSERT_EQ(RunEtl(sync, env).exit_code, 0);
  int64_t visits = QueryInt("duckdb:" + file, "SELECT count(*) FROM matomo_visits");

  // The holder is this test process, with the file open for writing.
  duckdb_database db = nullptr;
  ASSERT_EQ(duckdb_open(file.c_str(), &db), DuckDBSuccess);
  ProcessResult r = RunEtl(sync, env, "", 120);
  duckdb_close(&db);
  EXPECT_NE(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find(file), std::string::npos) << "the error names the file: " << r.err;
  EXPECT_TRUE(r.err.find("lock") != std::string::npos || r.err.find("another process") != std::string::npos) << r.err;

  // Released: the same command works and changes nothing.
  ProcessResult again = RunEtl(sync, env);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(QueryInt("duckdb:" + file, "SELECT count(*) FROM matomo_visits"), visits);
}

}  // namespace
}  // namespace metl::e2e
