// Permissions and exit codes (issue 17): a landing lock file the user may not write gets the same
// hint as an unwritable landing folder, and the exit codes docs/operations.md gives for an
// unwritable warehouse and for `check` against an unreachable Matomo are the real ones.
// Root ignores file modes, so the runs drop to `nobody` (setpriv), as in faults_storage_test.cc.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "harness.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;
constexpr const char* kNow = "2026-11-27 08:00:00";
constexpr uid_t kNobody = 65534;

bool CanDropToNobody() {
  return ::geteuid() == 0 && ::access("/usr/bin/setpriv", X_OK) == 0;
}

ProcessResult RunAsNobody(const std::vector<std::string>& args, const Env& env) {
  std::vector<std::string> argv{"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", EtlBin()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, env, "", 120);
}

const char* kSameHint = "writable by the user running matomo-etl";

TEST(StorageErrorsE2E, UnwritableLockFileGetsTheLandingFolderHint) {
  if (!CanDropToNobody()) GTEST_SKIP() << "needs root and setpriv";
  SimServer sim({"--sites", "1", "--visits-per-day", "5", "--now", kNow});
  TempDir tmp;
  fs::permissions(tmp.path(), fs::perms::all);
  Env env{{"MATOMO_TOKEN_AUTH", SimServer::kToken}};
  auto extract = [&](const fs::path& landing) {
    return RunAsNobody({"extract", "--url", sim.url(), "--landing", landing.string(), "--now", kNow, "--from",
                        "2026-11-26", "--to", "2026-11-26", "--progress", "never"},
                       env);
  };

  // The folder belongs to the user, the .lock in it to root (left by a `sudo matomo-etl` killed with -9).
  fs::path landing = tmp.path() / "landing";
  fs::create_directories(landing);
  ASSERT_EQ(::chown(landing.c_str(), kNobody, kNobody), 0);
  WriteFile(landing / ".lock", "{\"pid\": 1, \"host\": \"x\", \"started_at\": \"2026-11-26T00:00:00Z\"}\n");
  fs::permissions(landing / ".lock",
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  ProcessResult lock = extract(landing);
  EXPECT_EQ(lock.exit_code, 2) << lock.out << lock.err;
  EXPECT_NE(lock.err.find((landing / ".lock").string()), std::string::npos) << lock.err;
  EXPECT_NE(lock.err.find(kSameHint), std::string::npos) << lock.err;
  EXPECT_NE(lock.err.find("chown -R $(id -un) " + landing.string()), std::string::npos) << lock.err;

  // A folder the user may not write: the same hint.
  fs::path readonly = tmp.path() / "readonly";
  fs::create_directories(readonly);
  ProcessResult folder = extract(readonly);
  EXPECT_EQ(folder.exit_code, 2) << folder.err;
  EXPECT_NE(folder.err.find(kSameHint), std::string::npos) << folder.err;
  EXPECT_NE(folder.err.find("chown -R $(id -un) " + readonly.string()), std::string::npos) << folder.err;
}

// docs/operations.md: an unwritable warehouse is a configuration problem of this machine, exit 2,
// with a message naming the file.
TEST(StorageErrorsE2E, UnwritableWarehouseExits2AsDocumented) {
  if (!CanDropToNobody()) GTEST_SKIP() << "needs root and setpriv";
  SimServer sim({"--sites", "1", "--visits-per-day", "5", "--now", kNow});
  TempDir tmp;
  fs::permissions(tmp.path(), fs::perms::all);
  fs::path dir = tmp.path() / "wh";
  fs::create_directories(dir);
  std::string landing = (tmp.path() / "landing").string();
  std::string file = (dir / "w.duckdb").string();
  ASSERT_EQ(RunEtl({"sync", "--url", sim.url(), "--landing", landing, "--warehouse", "duckdb:" + file, "--now", kNow,
                    "--from", "2026-11-26", "--to", "2026-11-26", "--progress", "never"},
                   {{"MATOMO_TOKEN_AUTH", SimServer::kToken}}, "", 120)
                .exit_code,
            0);
  // The file and its folder belong to root, mode 0644 / 0755: nobody may read but not write.
  ProcessResult r = RunAsNobody(
      {"load", "--landing", landing, "--warehouse", "duckdb:" + file, "--full-refresh", "--progress", "never"}, {});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
  // A warehouse in a folder nobody may write (the file cannot be created): the same.
  ProcessResult fresh = RunAsNobody(
      {"load", "--landing", landing, "--warehouse", "duckdb:" + (dir / "new.duckdb").string(), "--progress", "never"},
      {});
  EXPECT_EQ(fresh.exit_code, 2) << fresh.out << fresh.err;
  // The file writable but not its folder, where DuckDB writes its .wal: the same exit, and the hint says so.
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                            fs::perms::group_write | fs::perms::others_read | fs::perms::others_write);
  ProcessResult wal = RunAsNobody(
      {"load", "--landing", landing, "--warehouse", "duckdb:" + file, "--full-refresh", "--progress", "never"}, {});
  EXPECT_EQ(wal.exit_code, 2) << wal.out << wal.err;
  EXPECT_NE(wal.err.find("its folder writable"), std::string::npos) << wal.err;
}

// `check` against a Matomo that cannot be reached: exit 2 (fix `url` or start Matomo), as documented.
TEST(StorageErrorsE2E, CheckAgainstUnreachableMatomoExits2AsDocumented) {
  TempDir cwd;
  ProcessResult r =
      RunEtl({"check", "--url", "http://127.0.0.1:1/"}, {{"MATOMO_TOKEN_AUTH", "a-token"}}, cwd.str(), 150);
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

}  // namespace
}  // namespace metl::e2e
