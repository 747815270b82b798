// `status` (issue 17, defect 2 and 4): gaps run up to each site's last closed day, so a job that
// stopped days ago is reported stale with a non-zero exit; `--now` never gives negative ages; the
// repair command it prints works, also for gaps before the first landed day (which need --from);
// in a folder without a warehouse it creates nothing and exits 2.
#include <gtest/gtest.h>

#include <filesystem>

#include "harness.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;

struct StatusFixture {
  SimServer sim{{"--sites", "1", "--visits-per-day", "15", "--from", "2026-11-10", "--to", "2026-11-26", "--now",
                 "2026-11-27 08:00:00"}};
  TempDir tmp;
  std::string landing = (tmp.path() / "landing").string();
  std::string warehouse = "duckdb:" + (tmp.path() / "w.duckdb").string();
  Env env{{"MATOMO_TOKEN_AUTH", SimServer::kToken}};

  ProcessResult Etl(const std::string& command, const std::vector<std::string>& extra) {
    std::vector<std::string> args{command, "--landing", landing, "--warehouse", warehouse};
    if (command != "status") {
      args.insert(args.end(),
                  {"--url", sim.url(), "--retry-delay-ms", "20", "--rate-limit", "100000", "--progress", "never"});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    return RunEtl(args, env, "", 120);
  }
};

TEST(StatusE2E, StalledJobIsStaleSaysSinceWhenAndExitsNonZero) {
  StatusFixture f;
  // The daily job ran on 2026-11-23 (loading 11-20..11-22), then stopped.
  ProcessResult sync = f.Etl("sync", {"--from", "2026-11-20", "--to", "2026-11-22", "--now", "2026-11-23 08:00:00"});
  ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;

  // That same morning, everything is fine.
  ProcessResult fresh = f.Etl("status", {"--now", "2026-11-23 08:00:00"});
  EXPECT_EQ(fresh.exit_code, 0) << fresh.out << fresh.err;
  EXPECT_NE(fresh.out.find("gaps: none"), std::string::npos) << fresh.out;
  EXPECT_EQ(fresh.out.find("STALE"), std::string::npos) << fresh.out;

  // Four days later nothing ran: the closed days 11-23..11-26 are gaps and the site is stale.
  ProcessResult stale = f.Etl("status", {"--now", "2026-11-27 08:00:00"});
  EXPECT_EQ(stale.exit_code, 3) << stale.out << stale.err;
  EXPECT_NE(stale.out.find("gaps: 2026-11-23 2026-11-24 2026-11-25 2026-11-26"), std::string::npos) << stale.out;
  EXPECT_NE(stale.out.find("STALE since 2026-11-23"), std::string::npos) << stale.out;
  EXPECT_NE(stale.out.find("the last loaded day is 2026-11-22"), std::string::npos) << stale.out;
  ProcessResult json = f.Etl("status", {"--now", "2026-11-27 08:00:00", "--json"});
  EXPECT_EQ(json.exit_code, 3);
  EXPECT_NE(json.out.find("\"stale\":true,\"stale_since\":\"2026-11-23\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"last_closed_day\":\"2026-11-26\""), std::string::npos) << json.out;

  // At 00:20 on 11-27 the day 11-26 is not closed yet (30-minute visit timeout): not a gap.
  ProcessResult early = f.Etl("status", {"--now", "2026-11-27 00:20:00"});
  EXPECT_NE(early.out.find("gaps: 2026-11-23 2026-11-24 2026-11-25\n"), std::string::npos) << early.out;

  // The repair command status prints works.
  ASSERT_NE(stale.out.find("matomo-etl sync --from 2026-11-23 --to 2026-11-26"), std::string::npos) << stale.out;
  ProcessResult repair = f.Etl("sync", {"--from", "2026-11-23", "--to", "2026-11-26", "--now", "2026-11-27 08:00:00"});
  ASSERT_EQ(repair.exit_code, 0) << repair.out << repair.err;
  ProcessResult repaired = f.Etl("status", {"--now", "2026-11-27 08:00:00"});
  EXPECT_EQ(repaired.exit_code, 0) << repaired.out;
  EXPECT_NE(repaired.out.find("gaps: none"), std::string::npos) << repaired.out;
}

TEST(StatusE2E, NowBeforeTheLastLoadGivesNoNegativeAge) {
  StatusFixture f;
  ASSERT_EQ(f.Etl("sync", {"--from", "2026-11-20", "--to", "2026-11-22", "--now", "2026-11-23 08:00:00"}).exit_code, 0);
  // A replayed clock earlier than the load itself.
  ProcessResult text = f.Etl("status", {"--now", "2026-11-21 00:00:00"});
  EXPECT_EQ(text.out.find("last load -"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("(after --now)"), std::string::npos) << text.out;
  ProcessResult json = f.Etl("status", {"--now", "2026-11-21 00:00:00", "--json"});
  EXPECT_NE(json.out.find("\"freshness_seconds\":0"), std::string::npos) << json.out;
  EXPECT_EQ(json.out.find("\"freshness_seconds\":-"), std::string::npos) << json.out;
}

TEST(StatusE2E, GapsBeforeTheFirstLandedDayNeedFromAndTheHintSaysSo) {
  StatusFixture f;
  ASSERT_EQ(f.Etl("sync", {"--from", "2026-11-20", "--to", "2026-11-22", "--now", "2026-11-23 08:00:00"}).exit_code, 0);
  ProcessResult status = f.Etl("status", {"--from", "2026-11-17", "--now", "2026-11-23 08:00:00"});
  EXPECT_EQ(status.exit_code, 3);
  EXPECT_NE(status.out.find("gaps: 2026-11-17 2026-11-18 2026-11-19"), std::string::npos) << status.out;
  // A plain sync starts at the first landed day: it does not fill them (what docs/operations.md says).
  ASSERT_EQ(f.Etl("sync", {"--now", "2026-11-23 08:00:00"}).exit_code, 0);
  EXPECT_EQ(f.Etl("status", {"--from", "2026-11-17", "--now", "2026-11-23 08:00:00"}).exit_code, 3);
  // The printed command does.
  ASSERT_NE(status.out.find("matomo-etl sync --from 2026-11-17 --to 2026-11-19"), std::string::npos) << status.out;
  ASSERT_EQ(f.Etl("sync", {"--from", "2026-11-17", "--to", "2026-11-19", "--now", "2026-11-23 08:00:00"}).exit_code, 0);
  ProcessResult after = f.Etl("status", {"--from", "2026-11-17", "--now", "2026-11-23 08:00:00"});
  EXPECT_EQ(after.exit_code, 0) << after.out;
}

TEST(StatusE2E, WithoutAWarehouseCreatesNothingAndExits2) {
  TempDir empty;
  ProcessResult r = RunEtl({"status"}, {}, empty.str(), 60);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("matomo-etl sync"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_empty(empty.path())) << "status created files in an empty folder";
  // Named explicitly, likewise.
  ProcessResult named =
      RunEtl({"status", "--warehouse", "duckdb:" + (empty.path() / "x" / "w.duckdb").string()}, {}, empty.str(), 60);
  EXPECT_EQ(named.exit_code, 2) << named.err;
  EXPECT_TRUE(fs::is_empty(empty.path()));
}

}  // namespace
}  // namespace metl::e2e
