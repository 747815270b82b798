// `matomo-etl dwc sync` end to end, on DuckDB and PostgreSQL: matomo-sim writes a DWC export, a
// real local S3 (s3rver, checking every SigV4 signature) serves it, and the real binary lands and
// loads it. Covers: one command does both steps and says so; the file identity is the ETag `dwc
// extract` recorded (an unchanged file is not even read; a re-delivered one is loaded again; a file
// copied by hand is hashed); `status` shows pending files and warns past dwc_max_file_age_days; and
// runs killed by SIGKILL at random moments, then rerun, leave what one clean run leaves.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "core/digest.h"
#include "dwc/landed_files.h"
#include "dwc_test_util.h"
#include "harness.h"
#include "landing/compressed_file.h"
#include "objstore/local_store.h"
#include "objstore/s3_store.h"
#include "s3_server.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;

constexpr const char* kKeyId = "METLTESTKEYID0002";
constexpr const char* kSecret = "metl-test-secret-sync-4f2d8e";  // a test value; must never be printed or written
constexpr const char* kBucket = "dwc-sync";

const std::vector<std::string> kCurated = {"matomo_visits",       "matomo_actions",         "matomo_custom_dimensions",
                                           "matomo_conversions",  "matomo_ecommerce_items", "matomo_raw_visits"};

std::map<std::string, std::string> ReadTree(const fs::path& root) {
  std::map<std::string, std::string> out;
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) out[fs::relative(e.path(), root).generic_string()] = ReadFile(e.path());
  }
  return out;
}




class DwcSync : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    SimServer sim({"--sites", "2", "--visits-per-day", "12", "--from", "2026-11-24", "--to", "2026-11-25", "--now",
                   "2026-11-27 08:00:00", "--dwc-export", (dir_->path() / "export").string(), "--dwc-compression",
                   "gzip"});
    s3rver_ = new LocalS3Server({kBucket}, kKeyId, kSecret);
  }
  static void TearDownTestSuite() {
    delete s3rver_;
    delete dir_;
  }

  void SetUp() override {
    ASSERT_GT(s3rver_->port(), 0) << "s3rver did not start: " << s3rver_->Stderr();
    url_ = GetParam().FreshUrl(tmp_);
    landing_ = tmp_.path() / "landing";
  }

  // Each test's own prefix in the bucket (per engine: the tests of both engines share the server).
  std::string Prefix(const std::string& name) const { return name + "-" + GetParam().engine; }

  static std::unique_ptr<objstore::S3ObjectStore> Store(const std::string& prefix) {
    objstore::S3Options o;
    o.env = {{"AWS_ACCESS_KEY_ID", kKeyId}, {"AWS_SECRET_ACCESS_KEY", kSecret},
             {"AWS_ENDPOINT_URL_S3", s3rver_->endpoint()}};
    o.region = "eu-west-1";
    auto s = objstore::S3ObjectStore::Open("s3://" + std::string(kBucket) + "/" + prefix, o);
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    return std::move(s).value();
  }

  // Uploads the export's files whose key contains `filter` under `prefix`; returns them (key -> bytes).
  static std::map<std::string, std::string> Upload(const std::string& prefix, const std::string& filter = "") {
    std::map<std::string, std::string> out;
    auto store = Store(prefix);
    for (const auto& [key, bytes] : ReadTree(dir_->path() / "export")) {
      if (key.find(filter) == std::string::npos) continue;
      auto put = store->PutString(key, bytes);
      EXPECT_TRUE(put.ok()) << key << ": " << put.error().ToString();
      out[key] = bytes;
    }
    return out;
  }

  // The AWS environment of a run; every other AWS_* variable of the outer environment unset.
  static Env AwsEnv() { return IsolatedAwsEnv(kKeyId, kSecret, s3rver_->endpoint()); }

  std::vector<std::string> SyncArgv(const std::string& prefix) const {
    return {EtlBin(),    "dwc",         "sync",     "--s3",       "s3://" + std::string(kBucket) + "/" + prefix,
            "--region",  "eu-west-1",   "--landing", landing_.string(), "--warehouse", url_, "--retry-delay-ms",
            "1",         "--progress",  "never"};
  }
  ProcessResult Sync(const std::string& prefix) const { return RunProcess(SyncArgv(prefix), AwsEnv(), "", 300); }
  ProcessResult Load() const {
    return RunEtl({"dwc", "load", "--landing", landing_.string(), "--warehouse", url_, "--progress", "never"});
  }

  // Everything a run leaves in the warehouse, without the columns that say when it ran.
  std::string Dump() const {
    return DumpTables(url_, kCurated, {"extracted_at"}) +
           DumpTables(url_, {"matomo_etl_partitions"}, {"loaded_at", "extracted_at"}) +
           DumpTables(url_, {"matomo_etl_dwc_files"}, {"loaded_at"});
  }

  std::map<std::string, std::string> FileLedgerEtags() const {
    std::map<std::string, std::string> out;
    for (const auto& row : QueryWarehouse(url_, "SELECT \"key\", etag FROM matomo_etl_dwc_files").rows) {
      out[row[0].value_or("")] = row[1].value_or("");
    }
    return out;
  }
  std::map<std::string, std::string> LandedEtags() const {
    objstore::LocalObjectStore store(landing_.string());
    auto files = dwc::ReadLandedFiles(store);
    EXPECT_TRUE(files.ok()) << files.error().ToString();
    std::map<std::string, std::string> out;
    if (files.ok()) {
      for (const auto& f : *files) out[f.key] = f.etag;
    }
    return out;
  }

  static inline TempDir* dir_ = nullptr;
  static inline LocalS3Server* s3rver_ = nullptr;
  TempDir tmp_;
  std::string url_;
  fs::path landing_;
};

TEST_P(DwcSync, LandsAndLoadsOnceThenOnlyWhatChangedByTheRecordedEtag) {
  if (url_.empty()) return;
  const std::string prefix = Prefix("once");
  auto files = Upload(prefix);
  ASSERT_GE(files.size(), 10u);  // site, goal, custom_dimensions + 5 log tables x 2 days
  const std::string n = std::to_string(files.size());

  ProcessResult first = Sync(prefix);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("dwc sync: " + n + " files listed, " + n + " landed, 0 already landed"), std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find(n + " loaded (new or changed), 0 failed to load"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("exit 0"), std::string::npos) << first.out;
  const int64_t visits = QueryInt(url_, "SELECT count(*) FROM matomo_visits");
  EXPECT_GT(visits, 20);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_etl_partitions WHERE source = 'dwc'"), 4);  // 2 sites x 2 days
  // The file ledger's identity of each file is the ETag `dwc extract` recorded (S3's).
  auto landed = LandedEtags();
  ASSERT_EQ(landed.size(), files.size());
  EXPECT_EQ(FileLedgerEtags(), landed);
  for (const auto& [key, bytes] : files) EXPECT_EQ(landed[key], HexMd5(bytes)) << key;  // single-part: the MD5
  EXPECT_EQ(first.err.find(kSecret), std::string::npos);
  EXPECT_EQ(first.out.find(kSecret), std::string::npos);

  // Again: nothing lands, nothing loads, the warehouse is untouched (its times included).
  const std::string before = DumpTables(url_, kCurated) + DumpTables(url_, {"matomo_etl_partitions"});
  ProcessResult again = Sync(prefix);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("0 landed, " + n + " already landed"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("0 new or changed"), std::string::npos) << again.out;
  EXPECT_EQ(DumpTables(url_, kCurated) + DumpTables(url_, {"matomo_etl_partitions"}), before);

  // A landed file is not read when its recorded ETag is unchanged: garbage of the same size in its
  // place goes unnoticed (were it read, its gzip would fail the run with exit 3).
  const std::string visit_key = "log_visit/date=2026-11-25/part-0.jsonl.gz";
  ASSERT_TRUE(files.count(visit_key));
  WriteFile(landing_ / "dwc" / visit_key, std::string(files[visit_key].size(), 'x'));
  ProcessResult unread = Load();
  ASSERT_EQ(unread.exit_code, 0) << unread.out << unread.err;
  EXPECT_NE(unread.out.find("0 new or changed, 0 failed"), std::string::npos) << unread.out;
  EXPECT_NE(unread.out.find("0 without a _landed record hashed"), std::string::npos) << unread.out;
  WriteFile(landing_ / "dwc" / visit_key, files[visit_key]);

  // Matomo re-delivers a file with other bytes (a new ETag), here the same rows uncompressed: it lands
  // and is read again, its day rebuilt (into the same partitions: none reloaded).
  const std::string action_key = "log_link_visit_action/date=2026-11-25/part-0.jsonl.gz";
  ASSERT_TRUE(files.count(action_key));
  const std::string plain = DecompressedFile(landing_ / "dwc" / action_key);
  ASSERT_GT(plain.size(), files[action_key].size());
  ASSERT_TRUE(Store(prefix)->PutString(action_key, plain).ok());
  ProcessResult changed = Sync(prefix);
  ASSERT_EQ(changed.exit_code, 0) << changed.out << changed.err;
  EXPECT_NE(changed.out.find(", 1 landed, "), std::string::npos) << changed.out;
  EXPECT_NE(changed.out.find("1 loaded (new or changed)"), std::string::npos) << changed.out;
  EXPECT_NE(changed.out.find("days rebuilt: 0 partitions loaded"), std::string::npos) << changed.out;
  auto landed2 = LandedEtags();
  EXPECT_NE(landed2[action_key], landed[action_key]);
  EXPECT_EQ(FileLedgerEtags(), landed2);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits"), visits);

  // A file copied into the mirror by hand (no _landed record) is identified by the MD5 of its bytes.
  const std::string by_hand = "log_conversion/by-hand.jsonl";
  WriteFile(landing_ / "dwc" / by_hand, "\n");
  ProcessResult hand = Load();
  ASSERT_EQ(hand.exit_code, 0) << hand.out << hand.err;
  EXPECT_NE(hand.out.find("1 new or changed, 0 failed"), std::string::npos) << hand.out;
  EXPECT_NE(hand.out.find("1 without a _landed record hashed"), std::string::npos) << hand.out;
  EXPECT_EQ(FileLedgerEtags()[by_hand], HexMd5("\n"));
  ProcessResult hand_again = Load();
  ASSERT_EQ(hand_again.exit_code, 0) << hand_again.out << hand_again.err;
  EXPECT_NE(hand_again.out.find("0 new or changed"), std::string::npos) << hand_again.out;
}

TEST_P(DwcSync, StatusShowsPendingFilesAndWarnsPastTheirAge) {
  if (url_.empty()) return;
  const std::string prefix = Prefix("status");
  auto day1 = Upload(prefix, "2026-11-24");  // the first day's files (site, goal, ... among them)
  ProcessResult first = Sync(prefix);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  auto day2 = Upload(prefix, "2026-11-25");
  ASSERT_GE(day2.size(), 5u);
  ProcessResult extracted = RunProcess({EtlBin(), "dwc", "extract", "--s3", "s3://" + std::string(kBucket) + "/" + prefix,
                                        "--region", "eu-west-1", "--landing", landing_.string()},
                                       AwsEnv(), "", 300);
  ASSERT_EQ(extracted.exit_code, 0) << extracted.out << extracted.err;

  const std::string pending = "\"pending\":" + std::to_string(day2.size()) + ",";
  auto status = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"status", "--landing", landing_.string(), "--warehouse", url_,
                                     "--from", "2026-11-24", "--to", "2026-11-24"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunEtl(args);
  };
  ProcessResult fresh = status({"--json"});
  EXPECT_EQ(fresh.exit_code, 0) << fresh.out << fresh.err;
  EXPECT_NE(fresh.out.find("\"files\":" + std::to_string(day1.size() + day2.size()) +
                           ",\"loaded\":" + std::to_string(day1.size()) + "," + pending),
            std::string::npos)
      << fresh.out;
  EXPECT_NE(fresh.out.find("\"oldest_pending_key\":\"log_"), std::string::npos) << fresh.out;
  EXPECT_NE(fresh.out.find("\"too_old\":0,"), std::string::npos) << fresh.out;

  // Eleven days later, unloaded: past the default 10 days, a warning and exit 3.
  const std::string later = std::to_string(static_cast<long long>(std::time(nullptr)) + 11 * 86400);
  ProcessResult old = status({"--now", later});
  EXPECT_EQ(old.exit_code, 3) << old.out << old.err;
  EXPECT_NE(old.out.find(std::to_string(day2.size()) + " pending (landed, not loaded)"), std::string::npos) << old.out;
  EXPECT_NE(old.out.find("WARNING: " + std::to_string(day2.size()) +
                         " DWC file(s) still not loaded more than 10 days after Matomo wrote them"),
            std::string::npos)
      << old.out;
  ProcessResult old_json = status({"--now", later, "--json"});
  EXPECT_EQ(old_json.exit_code, 3);
  EXPECT_NE(old_json.out.find("\"too_old\":" + std::to_string(day2.size()) + ","), std::string::npos) << old_json.out;
  // A larger allowance (config, environment or flag) silences it.
  ProcessResult allowed = status({"--now", later, "--dwc-max-file-age-days", "12"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.out << allowed.err;
  EXPECT_EQ(allowed.out.find("WARNING"), std::string::npos) << allowed.out;

  // Loaded: nothing pending any more.
  ProcessResult load = Load();
  ASSERT_EQ(load.exit_code, 0) << load.out << load.err;
  ProcessResult after = status({"--now", later, "--json"});
  EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
  EXPECT_NE(after.out.find("\"pending\":0,"), std::string::npos) << after.out;
}

TEST_P(DwcSync, KilledRunsThenRerunLeaveWhatOneCleanRunLeaves) {
  if (url_.empty()) return;
  const std::string prefix = Prefix("killed");
  auto files = Upload(prefix);
  const std::string clean_url = url_;
  const fs::path clean_landing = landing_;
  auto started = std::chrono::steady_clock::now();
  ProcessResult clean = Sync(prefix);
  const int run_ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
  ASSERT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  const std::string expected = Dump();
  ASSERT_NE(expected.find("matomo_etl_dwc_files"), std::string::npos);
  // The mirror, without what says when (the _landed records' downloaded_at) and a killed writer's temporaries.
  auto mirror = [](const fs::path& landing) {
    std::map<std::string, std::string> out;
    for (auto& [key, bytes] : ReadTree(landing / "dwc")) {
      if (key.starts_with("_landed/") || key.find(objstore::kLocalTempMarker) != std::string::npos) continue;
      out[key] = bytes;
    }
    return out;
  };
  const auto expected_mirror = mirror(clean_landing);
  ASSERT_EQ(expected_mirror.size(), files.size());

  // Kill moments drawn over the whole length of a clean run: during listing, downloads, the
  // _landed records, reading, landing days, loading, and the file ledger. The assertions hold
  // whatever the moment; the seed is printed so that a failure can be replayed.
  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  SCOPED_TRACE("seed " + std::to_string(seed) + ", clean run " + std::to_string(run_ms) + " ms");
  int killed_before_end = 0, killed_after_downloads = 0;  // informative: where the kills fell
  for (int round = 0; round < 4; ++round) {
    TempDir round_dir;
    url_ = GetParam().FreshUrl(round_dir);
    ASSERT_FALSE(url_.empty());
    landing_ = round_dir.path() / "landing";
    for (int kill = 0; kill < 2; ++kill) {
      BackgroundProcess p(SyncArgv(prefix), AwsEnv());
      // The second run has less to land (the first one's files are there): an earlier moment.
      const int delay = std::uniform_int_distribution<int>(0, kill == 0 ? run_ms : run_ms / 2)(rng);
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));
      p.Signal(SIGKILL);
      int rc = p.Wait(30);
      if (rc == 128 + SIGKILL) ++killed_before_end;
      if (rc == 128 + SIGKILL && mirror(landing_).size() == files.size()) ++killed_after_downloads;
    }
    ProcessResult rerun = Sync(prefix);
    ASSERT_EQ(rerun.exit_code, 0) << "round " << round << "\n" << rerun.out << rerun.err;
    EXPECT_EQ(Dump(), expected) << "round " << round;
    EXPECT_EQ(mirror(landing_), expected_mirror) << "round " << round;
    // And a further run changes nothing.
    ProcessResult again = Sync(prefix);
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_NE(again.out.find("0 new or changed"), std::string::npos) << again.out;
    EXPECT_EQ(Dump(), expected) << "round " << round;
  }
  std::printf("[ info ] %d of 8 runs killed before their end, %d of them after every download (clean run %d ms, seed %u)\n",
              killed_before_end, killed_after_downloads, run_ms, seed);
  url_ = clean_url;
  landing_ = clean_landing;
}

INSTANTIATE_TEST_SUITE_P(, DwcSync, ::testing::ValuesIn(DwcTargets()), TargetTestName);

}  // namespace
}  // namespace metl::e2e
