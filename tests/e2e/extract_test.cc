// `matomo-etl extract` and `check` against matomo-sim over real HTTP (issue 3, "Done when").
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "extract_util.h"
#include "harness.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNow = "2026-11-05 12:00:00";

// 3 sites (UTC, America/New_York, Europe/Berlin) x 10 days; New York falls back on 2026-11-01.
std::vector<std::string> ThreeSitesTenDays() {
  return {"--sites", "3", "--visits-per-day", "150", "--from", "2026-10-26", "--to", "2026-11-04", "--now", kNow};
}

void ExpectNoToken(const std::string& where, const std::string& text) {
  EXPECT_EQ(text.find(SimServer::kToken), std::string::npos) << "token leaked into " << where;
}

TEST(ExtractE2E, ThreeSitesTenDaysLandExactlyWhatMatomoServes) {
  TempDir dir;
  std::string log = (dir.path() / "requests.jsonl").string();
  auto args = ThreeSitesTenDays();
  args.insert(args.end(), {"--request-log", log});
  SimServer sim(args);
  std::string landing = (dir.path() / "landing").string();
  // Small pages so that every day is paged across several requests.
  auto r = RunExtract(sim.url(), landing, {"--now", kNow, "--backfill-days", "10", "--page-size", "100",
                                          "--log-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  // With --log-format json the summary is a log event on stderr (docs/operations.md), not text on stdout.
  EXPECT_NE(r.err.find("\"message\":\"extract summary\",\"partitions\":30,\"landed\":30,"), std::string::npos) << r.err;

  LandingSnapshot snap = SnapshotLanding(landing);
  ASSERT_EQ(snap.size(), 30u);
  for (const auto& [key, part] : snap) {
    auto [site, date] = key;
    SCOPED_TRACE("site " + std::to_string(site) + " " + date);
    EXPECT_EQ(part.status, "complete");
    int64_t nb = DirectNbVisits(sim.url(), site, date);
    EXPECT_EQ(part.visits, nb);
    auto served = DirectVisits(sim.url(), site, date);
    auto lines = LandedLines(landing, site, date);
    EXPECT_EQ(static_cast<int64_t>(lines.size()), nb);
    std::set<int64_t> ids;
    for (const auto& line : lines) {
      int64_t id = IdVisitOf(line);
      EXPECT_TRUE(ids.insert(id).second) << "duplicate idVisit " << id;
      auto it = served.find(id);
      ASSERT_NE(it, served.end()) << "landed a visit Matomo does not serve for the day: " << id;
      EXPECT_EQ(line, it->second) << "visit " << id << " is not byte-identical";
    }
    EXPECT_EQ(ids.size(), served.size());
  }
  // The DST day in New York (25 hours) is among them.
  EXPECT_GT(snap.at({2, "2026-11-01"}).visits, 0);

  // The token never travels in a URL, a log line, or a landed file.
  ExpectNoToken("stdout", r.out);
  ExpectNoToken("stderr", r.err);
  EXPECT_TRUE(FilesContaining(landing, SimServer::kToken).empty());
  std::string requests = ReadFile(log);
  ExpectNoToken("the simulator's request log", requests);
  EXPECT_EQ(requests.find("\"token_in_query\":true"), std::string::npos);
  EXPECT_NE(requests.find("\"token_in_body\":true"), std::string::npos);

  // A second run re-extracts only the lookback days and changes nothing.
  auto again = RunExtract(sim.url(), landing, {"--now", kNow});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("9 partitions: 0 landed, 9 unchanged"), std::string::npos) << again.out;
  EXPECT_EQ(SnapshotLanding(landing), snap);
}

TEST(ExtractE2E, CheckPrintsVersionSitesAndDuePartitions) {
  SimServer sim(ThreeSitesTenDays());
  TempDir dir;
  auto r = RunEtl({"check", "--url", sim.url(), "--landing", dir.str(), "--now", kNow, "--backfill-days", "10"},
                  {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Matomo 5.1.2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("America/New_York"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("would extract 30 partitions"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2026-10-26..2026-11-04"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::is_empty(dir.path()));  // check writes nothing
}

TEST(ExtractE2E, BadTokenIsAClearErrorAndLandsNothing) {
  SimServer sim(ThreeSitesTenDays());
  TempDir dir;
  std::string landing = (dir.path() / "landing").string();
  auto r = RunExtract(sim.url(), landing, {"--now", kNow}, {{"MATOMO_TOKEN_AUTH", "wrong-token-123"}});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("Matomo rejected the token"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Unable to authenticate"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("wrong-token-123"), std::string::npos);
  EXPECT_TRUE(SnapshotLanding(landing).empty());

  auto missing = RunExtract(sim.url(), landing, {"--now", kNow}, {{"MATOMO_TOKEN_AUTH", "\x01"}});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("MATOMO_TOKEN_AUTH"), std::string::npos) << missing.err;

  auto check = RunEtl({"check", "--url", sim.url()}, {{"MATOMO_TOKEN_AUTH", "wrong-token-123"}});
  EXPECT_EQ(check.exit_code, 2);
}

TEST(ExtractE2E, LateVisitsAreCaughtByTheCountCheck) {
  auto args = ThreeSitesTenDays();
  args.insert(args.end(), {"--late-data"});
  SimServer sim(args);
  TempDir dir;
  std::string landing = (dir.path() / "landing").string();
  auto r = RunExtract(sim.url(), landing, {"--now", kNow, "--from", "2026-10-30", "--to", "2026-11-02", "--page-size",
                                          "100"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.err.find("extracting the day again"), std::string::npos) << r.err;
  for (const auto& [key, part] : SnapshotLanding(landing)) {
    EXPECT_EQ(part.visits, DirectNbVisits(sim.url(), key.first, key.second)) << key.second;
    EXPECT_EQ(part.status, "complete");
  }
}

TEST(ExtractE2E, TodayLandsMarkedPartial) {
  SimServer sim({"--sites", "1", "--visits-per-day", "50", "--now", kNow});
  TempDir dir;
  std::string landing = (dir.path() / "landing").string();
  auto r = RunExtract(sim.url(), landing, {"--now", kNow, "--backfill-days", "2", "--include-today"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  LandingSnapshot snap = SnapshotLanding(landing);
  ASSERT_EQ(snap.size(), 3u);
  EXPECT_EQ(snap.at({1, "2026-11-05"}).status, "partial");
  EXPECT_EQ(snap.at({1, "2026-11-04"}).status, "complete");
  // date=today also returns yesterday's visits: none of them may land in today's partition.
  auto yesterday = DirectVisits(sim.url(), 1, "2026-11-04");
  for (const auto& line : LandedLines(landing, 1, "2026-11-05")) EXPECT_EQ(yesterday.count(IdVisitOf(line)), 0u);
}

// --- Faults: every kind alone and mixed gives the landing result of a run without faults. ---

std::vector<std::string> SmallData() {
  return {"--sites", "2", "--visits-per-day", "130", "--from", "2026-10-31", "--to", "2026-11-02", "--now", kNow};
}
const std::vector<std::string> kSmallExtract = {"--now", kNow, "--from", "2026-10-31", "--to", "2026-11-02",
                                                "--page-size", "100", "--max-retries", "12"};

const LandingSnapshot& CleanSnapshot() {
  static LandingSnapshot snap = [] {
    SimServer sim(SmallData());
    TempDir dir;
    std::string landing = (dir.path() / "landing").string();
    auto r = RunExtract(sim.url(), landing, kSmallExtract);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return SnapshotLanding(landing);
  }();
  return snap;
}

struct FaultCase {
  const char* name;
  std::vector<std::string> sim_flags;
  std::vector<std::string> extract_flags;
};

class ExtractFaultsE2E : public ::testing::TestWithParam<FaultCase> {};

TEST_P(ExtractFaultsE2E, SameLandingAsWithoutFaults) {
  const LandingSnapshot& clean = CleanSnapshot();
  ASSERT_EQ(clean.size(), 6u);
  auto args = SmallData();
  args.insert(args.end(), GetParam().sim_flags.begin(), GetParam().sim_flags.end());
  SimServer sim(args);
  TempDir dir;
  std::string landing = (dir.path() / "landing").string();
  auto flags = kSmallExtract;
  for (size_t i = 0; i + 1 < GetParam().extract_flags.size(); i += 2) {  // a case's flag replaces the default
    auto it = std::find(flags.begin(), flags.end(), GetParam().extract_flags[i]);
    if (it != flags.end()) {
      *(it + 1) = GetParam().extract_flags[i + 1];
    } else {
      flags.insert(flags.end(), {GetParam().extract_flags[i], GetParam().extract_flags[i + 1]});
    }
  }
  auto r = RunExtract(sim.url(), landing, flags);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(SnapshotLanding(landing), clean);
  ExpectNoToken("stderr", r.err);
  if (std::string(GetParam().name) != "latency") {  // the faults really happened and were retried
    EXPECT_EQ(r.out.find(" (0 retries"), std::string::npos) << r.out;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Faults, ExtractFaultsE2E,
    ::testing::Values(
        FaultCase{"fail_5xx", {"--fail-5xx", "0.25"}, {}},
        FaultCase{"php_fatal", {"--php-fatal", "0.25"}, {}},
        FaultCase{"cut_body", {"--cut-body", "0.25"}, {}},
        FaultCase{"random_errors", {"--random-errors", "0.25"}, {}},
        FaultCase{"query_timeout", {"--query-timeout-above", "100"}, {"--page-size", "400"}},
        FaultCase{"max_concurrent", {"--max-concurrent", "1"}, {"--concurrency", "4"}},
        FaultCase{"latency", {"--latency-ms", "20", "--latency-per-visit-ms", "0.1"}, {}},
        FaultCase{"mixed",
                  {"--fail-5xx", "0.1", "--php-fatal", "0.1", "--cut-body", "0.1", "--random-errors", "0.1",
                   "--query-timeout-above", "100", "--max-concurrent", "2", "--latency-ms", "5"},
                  {"--page-size", "400", "--concurrency", "3"}}),
    [](const ::testing::TestParamInfo<FaultCase>& tp) { return std::string(tp.param.name); });

// --- kill -9 at random moments, then a rerun: the same landing zone as an undisturbed run. ---

TEST(ExtractE2E, KilledRunsThenRerunGiveTheUndisturbedResult) {
  auto args = SmallData();
  args.insert(args.end(), {"--latency-ms", "15"});
  SimServer sim(args);
  const std::vector<std::string> flags = {"--now", kNow, "--backfill-days", "3", "--page-size", "100",
                                          "--concurrency", "2"};
  TempDir dir;
  std::string reference = (dir.path() / "reference").string();
  auto ref = RunExtract(sim.url(), reference, flags);
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  LandingSnapshot expected = SnapshotLanding(reference);
  ASSERT_EQ(expected.size(), 6u);

  std::mt19937 rng(std::random_device{}());
  for (int round = 0; round < 3; ++round) {
    std::string landing = (dir.path() / ("killed" + std::to_string(round))).string();
    for (int kill = 0; kill < 2; ++kill) {
      std::vector<std::string> argv = {EtlBin(), "extract", "--url", sim.url(), "--landing", landing,
                                       "--retry-delay-ms", "20", "--rate-limit", "100000", "--progress", "never"};
      argv.insert(argv.end(), flags.begin(), flags.end());
      BackgroundProcess p(argv, {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
      std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(50, 700)(rng)));
      p.Signal(SIGKILL);
      p.Wait(10);
      // Whatever is visible is complete.
      for (const auto& [key, part] : SnapshotLanding(landing)) EXPECT_EQ(part, expected.at(key));
    }
    // The lock left by the killed run is taken over.
    auto r = RunExtract(sim.url(), landing, flags);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(SnapshotLanding(landing), expected) << "round " << round;
    // The backfill is finished: its markers are gone (deleting the oldest days stays free).
    for (int site : {1, 2}) {
      EXPECT_FALSE(fs::exists(fs::path(landing) / ("site=" + std::to_string(site)) / "_backfill.json"));
    }
    EXPECT_TRUE(!fs::exists(fs::path(landing) / ".tmp") || fs::is_empty(fs::path(landing) / ".tmp"));
  }
}

TEST(ExtractE2E, OverlappingRunIsRefusedWithAClearMessage) {
  auto args = SmallData();
  args.insert(args.end(), {"--latency-ms", "300"});
  SimServer sim(args);
  TempDir dir;
  std::string landing = (dir.path() / "landing").string();
  std::vector<std::string> argv = {EtlBin(), "extract", "--url", sim.url(), "--landing", landing, "--now", kNow,
                                   "--progress", "never", "--rate-limit", "100000"};
  BackgroundProcess first(argv, {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  for (int i = 0; i < 100 && !fs::exists(fs::path(landing) / ".lock"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto second = RunExtract(sim.url(), landing, {"--now", kNow});
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_NE(second.err.find("another matomo-etl run holds the landing zone"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("pid " + std::to_string(first.pid())), std::string::npos) << second.err;
}

}  // namespace
}  // namespace metl::e2e
