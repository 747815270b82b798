// The landing zone on gs:// through the real binaries: matomo-sim serves Matomo, google-fake serves
// the token endpoint and the GCS JSON API (STORAGE_EMULATOR_HOST, GOOGLE_APPLICATION_CREDENTIALS =
// the key it wrote). A gs:// sync gives the tables of a local-landing sync; runs killed mid-extract
// then a rerun give the landing of an undisturbed run, with no orphaned part left; the .lock object
// refuses a concurrent run; no secret reaches an object, an output or the fake's request log.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include "extract_util.h"
#include "google_fake.h"
#include "harness.h"
#include "landing/manifest.h"
#include "objstore/object_store.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

constexpr const char* kNow = "2026-11-05 12:00:00";
const std::vector<std::string> kTables = {"matomo_visits",          "matomo_actions",    "matomo_conversions",
                                          "matomo_ecommerce_items", "matomo_raw_visits", "matomo_daily_kpis"};
const std::vector<std::string> kVolatile = {"updated_at", "loaded_at", "extracted_at"};

// Every part object of the zone is listed by its partition's manifest (no orphans).
void ExpectOnlyListedParts(objstore::ObjectStore& store) {
  auto objects = store.List("site=");
  ASSERT_TRUE(objects.ok()) << objects.error().ToString();
  int parts = 0;
  for (const auto& o : *objects) {
    size_t slash = o.key.rfind('/');
    std::string dir = o.key.substr(0, slash + 1), name = o.key.substr(slash + 1);
    if (name == "_manifest.json") continue;
    ++parts;
    auto manifest = store.GetString(dir + "_manifest.json");
    ASSERT_TRUE(manifest.ok()) << o.key << " has no manifest";
    auto m = landing::ParseManifest(*manifest);
    ASSERT_TRUE(m.ok());
    EXPECT_TRUE(std::any_of(m->parts.begin(), m->parts.end(), [&](const auto& p) { return p.file == name; }))
        << o.key << " is not listed by its manifest";
  }
  EXPECT_GT(parts, 0);
}

std::vector<std::string> SyncArgs(const std::string& sim_url, const std::string& landing, const std::string& db) {
  return {"sync", "--url",           sim_url, "--landing",   landing, "--warehouse", "duckdb:" + db, "--now",
          kNow,   "--backfill-days", "3",     "--page-size", "100",   "--progress",  "never",        "--retry-delay-ms",
          "20",   "--rate-limit",    "100000"};
}

TEST(GcsLandingE2E, SyncThroughGcsGivesTheTablesOfALocalLandingAndLeaksNoSecret) {
  SimServer sim(
      {"--sites", "2", "--visits-per-day", "130", "--from", "2026-11-01", "--to", "2026-11-04", "--now", kNow});
  TempDir dir;
  GoogleFake gcs(dir);
  const std::string gs = "gs://land-bkt/landing/prod";
  std::string local_db = (dir.path() / "local.duckdb").string(), gcs_db = (dir.path() / "gcs.duckdb").string();

  auto args = SyncArgs(sim.url(), (dir.path() / "landing").string(), local_db);
  auto local = RunEtl(args, gcs.env());
  ASSERT_EQ(local.exit_code, 0) << local.err;
  args = SyncArgs(sim.url(), gs, gcs_db);
  auto remote = RunEtl(args, gcs.env());
  ASSERT_EQ(remote.exit_code, 0) << remote.out << remote.err;

  EXPECT_GT(QueryInt("duckdb:" + gcs_db, "SELECT count(*) FROM matomo_visits"), 0);
  EXPECT_EQ(DumpTables("duckdb:" + gcs_db, kTables, kVolatile), DumpTables("duckdb:" + local_db, kTables, kVolatile));
  LandingSnapshot expected = SnapshotLanding((dir.path() / "landing").string());
  EXPECT_EQ(expected.size(), 6u);
  EXPECT_EQ(SnapshotLanding(gs), expected);

  // Same layout: site=<id>/date=<day>/_manifest.json plus parts; nothing else but the released lock.
  auto store = gcs.Store(gs);
  ASSERT_TRUE(store);
  ExpectOnlyListedParts(*store);
  auto lock = store->Stat(".lock");
  ASSERT_TRUE(lock.ok());
  EXPECT_FALSE(lock->has_value()) << "the run lock was not released";

  // A second sync re-extracts the lookback days (replacing partitions) and loads nothing new.
  auto again = RunEtl(args, gcs.env());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(SnapshotLanding(gs), expected);
  ExpectOnlyListedParts(*store);
  EXPECT_EQ(DumpTables("duckdb:" + gcs_db, kTables, kVolatile), DumpTables("duckdb:" + local_db, kTables, kVolatile));

  // status and check read the gs:// landing zone.
  auto status = RunEtl({"status", "--landing", gs, "--warehouse", "duckdb:" + gcs_db, "--now", kNow}, gcs.env());
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find(gs), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("2026-11-04"), std::string::npos) << status.out;
  auto check = RunEtl({"check", "--url", sim.url(), "--landing", gs, "--now", kNow}, gcs.env());
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find(gs), std::string::npos) << check.out;

  // No secret in any landed object, any output, or the fake's request log.
  const std::string key_slice = gcs.KeySlice();
  auto objects = store->List("");
  ASSERT_TRUE(objects.ok());
  for (const auto& o : *objects) {
    if (!o.key.ends_with(".json")) continue;  // parts are compressed: checked through the loader's tables below
    auto content = store->GetString(o.key);
    ASSERT_TRUE(content.ok());
    EXPECT_EQ(content->find(SimServer::kToken), std::string::npos) << o.key;
    EXPECT_EQ(content->find("ya29."), std::string::npos) << o.key;
  }
  for (const auto& r : {local, remote, again, status, check}) {
    for (const std::string* s : {&r.out, &r.err}) {
      EXPECT_EQ(s->find(SimServer::kToken), std::string::npos);
      EXPECT_EQ(s->find("ya29."), std::string::npos);
      EXPECT_EQ(s->find(key_slice), std::string::npos);
    }
  }
  EXPECT_EQ(QueryInt("duckdb:" + gcs_db,
                     std::string("SELECT count(*) FROM matomo_raw_visits WHERE CAST(visit AS VARCHAR) LIKE '%") +
                         SimServer::kToken + "%'"),
            0);
  std::string requests = gcs.RequestLog();
  EXPECT_NE(requests.find("/upload/storage/v1/b/land-bkt/o"), std::string::npos);
  EXPECT_NE(requests.find("ifGenerationMatch=0"), std::string::npos);
  EXPECT_EQ(requests.find("ya29."), std::string::npos);
  EXPECT_EQ(requests.find(key_slice), std::string::npos);
  EXPECT_EQ(requests.find(SimServer::kToken), std::string::npos);
}

TEST(GcsLandingE2E, KilledExtractionsThenRerunGiveTheUndisturbedLanding) {
  SimServer sim({"--sites", "2", "--visits-per-day", "130", "--from", "2026-10-31", "--to", "2026-11-04", "--now", kNow,
                 "--latency-ms", "15"});
  TempDir dir;
  GoogleFake gcs(dir);
  const std::vector<std::string> flags = {"--now",       kNow,  "--backfill-days", "3",
                                          "--page-size", "100", "--concurrency",   "2"};
  auto ref = RunExtract(sim.url(), (dir.path() / "reference").string(), flags, gcs.env());
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  LandingSnapshot expected = SnapshotLanding((dir.path() / "reference").string());
  ASSERT_EQ(expected.size(), 6u);

  std::mt19937 rng(std::random_device{}());
  int took_over = 0;  // reruns that found a killed run's lock: the kills did hit runs in progress
  std::vector<pid_t> killed;
  for (int round = 0; round < 2; ++round) {
    const std::string gs = "gs://land-bkt/killed" + std::to_string(round);
    for (int kill = 0; kill < 2; ++kill) {
      std::vector<std::string> argv = {EtlBin(),           "extract", "--url",        sim.url(), "--landing",  gs,
                                       "--retry-delay-ms", "20",      "--rate-limit", "100000",  "--progress", "never"};
      argv.insert(argv.end(), flags.begin(), flags.end());
      BackgroundProcess p(argv, gcs.env());
      std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(100, 900)(rng)));
      p.Signal(SIGKILL);
      p.Wait();
      killed.push_back(p.pid());
    }
    // The killed holder's .lock (this host, a dead pid) is taken over; orphaned parts are deleted.
    auto rerun = RunExtract(sim.url(), gs, flags, gcs.env());
    ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
    if (rerun.err.find("took over a stale landing zone lock") != std::string::npos) ++took_over;
    EXPECT_EQ(SnapshotLanding(gs), expected) << "round " << round;
    auto store = gcs.Store(gs);
    ASSERT_TRUE(store);
    ExpectOnlyListedParts(*store);
  }
  EXPECT_GT(took_over, 0);
  // The killed runs' local staging folders ($TMPDIR/metl-landing-<pid>-...) are gone too.
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::temp_directory_path())) {
    std::string name = entry.path().filename().string();
    for (pid_t pid : killed) EXPECT_FALSE(name.starts_with("metl-landing-" + std::to_string(pid) + "-")) << name;
  }

  // Deterministically: parts no manifest lists (a killed replacement in a committed partition, a
  // killed first landing without a manifest) are invisible to readers and deleted by the next run;
  // objects that are not ours stay.
  const std::string gs = "gs://land-bkt/killed0";
  auto store = gcs.Store(gs);
  ASSERT_TRUE(store);
  const std::string committed = "site=1/date=2026-11-03/part-00000-0123456789abcdef.jsonl.zst";
  const std::string uncommitted = "site=1/date=2026-10-01/part-00000-0123456789abcdef.jsonl.zst";
  ASSERT_TRUE(store->PutString(committed, "not zstd").ok());
  ASSERT_TRUE(store->PutString(uncommitted, "not zstd").ok());
  ASSERT_TRUE(store->PutString("site=1/README.txt", "kept").ok());
  EXPECT_EQ(SnapshotLanding(gs), expected);  // readers trust manifests only
  auto rerun = RunExtract(sim.url(), gs, flags, gcs.env());
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  for (const auto& key : {committed, uncommitted}) {
    auto info = store->Stat(key);
    ASSERT_TRUE(info.ok());
    EXPECT_FALSE(info->has_value()) << key << " survived the rerun";
  }
  auto kept = store->Stat("site=1/README.txt");
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(kept->has_value());
  EXPECT_EQ(SnapshotLanding(gs), expected);
}

TEST(GcsLandingE2E, AReExtractionReplacesThePartitionByItsManifest) {
  TempDir dir;
  GoogleFake gcs(dir);
  const std::string gs = "gs://land-bkt/replaced";
  const std::vector<std::string> day = {"--now", kNow, "--from", "2026-11-03", "--to", "2026-11-03", "--site", "1"};
  auto store = gcs.Store(gs);
  ASSERT_TRUE(store);
  const std::string manifest_key = "site=1/date=2026-11-03/_manifest.json";
  std::vector<std::string> old_parts;
  {
    SimServer sim({"--sites", "1", "--visits-per-day", "300", "--seed", "1", "--now", kNow});
    auto first = RunExtract(sim.url(), gs, day, gcs.env());
    ASSERT_EQ(first.exit_code, 0) << first.err;
    auto listed = store->List("site=1/date=2026-11-03/part-");
    ASSERT_TRUE(listed.ok());
    for (const auto& o : *listed) old_parts.push_back(o.key);
    ASSERT_FALSE(old_parts.empty());
  }
  auto before = store->Stat(manifest_key);
  ASSERT_TRUE(before.ok() && before->has_value());
  LandingSnapshot first_snapshot = SnapshotLanding(gs);

  // Other data for the same day (another seed): the partition is replaced.
  SimServer sim({"--sites", "1", "--visits-per-day", "300", "--seed", "2", "--now", kNow});
  auto second = RunExtract(sim.url(), gs, day, gcs.env());
  ASSERT_EQ(second.exit_code, 0) << second.err;
  auto after = store->Stat(manifest_key);
  ASSERT_TRUE(after.ok() && after->has_value());
  EXPECT_NE((*after)->version, (*before)->version);
  LandingSnapshot replaced = SnapshotLanding(gs);
  ASSERT_EQ(replaced.size(), 1u);
  EXPECT_NE(replaced, first_snapshot);
  for (const auto& key : old_parts) {
    auto info = store->Stat(key);
    ASSERT_TRUE(info.ok());
    EXPECT_FALSE(info->has_value()) << key << ": the replaced partition's part was not deleted";
  }
  ExpectOnlyListedParts(*store);
  // The manifest replaced only the generation read before it (not blindly).
  EXPECT_NE(gcs.RequestLog().find("ifGenerationMatch=" + (*before)->version), std::string::npos);
  auto lines = LandedLines(gs, 1, "2026-11-03");
  EXPECT_EQ(static_cast<int64_t>(lines.size()), replaced.begin()->second.visits);
}

TEST(GcsLandingE2E, TheLockObjectRefusesAConcurrentRun) {
  SimServer sim({"--sites", "2", "--visits-per-day", "130", "--from", "2026-10-31", "--to", "2026-11-04", "--now", kNow,
                 "--latency-ms", "150"});
  TempDir dir;
  GoogleFake gcs(dir);
  const std::string gs = "gs://land-bkt/locked";
  auto store = gcs.Store(gs);
  ASSERT_TRUE(store);
  std::vector<std::string> argv = {EtlBin(),        "extract", "--url",           sim.url(), "--landing",    gs,
                                   "--now",         kNow,      "--backfill-days", "3",       "--page-size",  "100",
                                   "--concurrency", "1",       "--progress",      "never",   "--rate-limit", "100000"};
  BackgroundProcess first(argv, gcs.env());
  bool locked = false;
  for (int i = 0; i < 200 && !locked; ++i) {
    auto info = store->Stat(".lock");
    locked = info.ok() && info->has_value();
    if (!locked) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(locked) << first.Stderr();
  auto holder = store->GetString(".lock");
  ASSERT_TRUE(holder.ok());
  EXPECT_NE(holder->find("\"pid\": " + std::to_string(first.pid())), std::string::npos) << *holder;

  auto second = RunExtract(sim.url(), gs, {"--now", kNow, "--backfill-days", "3"}, gcs.env());
  EXPECT_EQ(second.exit_code, 2) << second.err;
  EXPECT_NE(second.err.find("another matomo-etl run holds the landing zone " + gs), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("pid " + std::to_string(first.pid())), std::string::npos) << second.err;

  EXPECT_EQ(first.Wait(120), 0) << first.Stderr();
  auto after = store->Stat(".lock");
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->has_value()) << "released at the end";

  // A lock held from another machine cannot be checked for liveness: refused, with the way out.
  ASSERT_TRUE(store
                  ->PutString(".lock",
                              "{\"pid\": 4242, \"host\": \"other-machine\", \"started_at\": "
                              "\"2026-11-05T11:00:00Z\", \"command\": \"extract\"}\n")
                  .ok());
  auto blocked = RunExtract(sim.url(), gs, {"--now", kNow, "--backfill-days", "3"}, gcs.env());
  EXPECT_EQ(blocked.exit_code, 2) << blocked.err;
  EXPECT_NE(blocked.err.find("pid 4242 on other-machine"), std::string::npos) << blocked.err;
  EXPECT_NE(blocked.err.find("gcloud storage rm " + gs + "/.lock"), std::string::npos) << blocked.err;
  auto still = store->Stat(".lock");
  ASSERT_TRUE(still.ok());
  EXPECT_TRUE(still->has_value()) << "someone else's lock is never deleted";
}

}  // namespace
}  // namespace metl::e2e
