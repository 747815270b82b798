// The DWC path with its landing zone on gs://, through the real binaries: matomo-sim writes a DWC
// export (zstd, one day re-encoded as gzip), a real local S3 (s3rver, SigV4 checked) serves it, and
// google-fake serves Cloud Storage (STORAGE_EMULATOR_HOST, a service-account key it wrote; loopback
// only). `dwc extract` mirrors the files into gs://.../dwc/ with their `_landed` records, `status`
// counts them pending, `dwc load` reads them back from Cloud Storage and lands its days as gs://
// partitions: the same curated tables and partitions as a local landing. A rerun writes no object
// and changes no row; 503s and cut uploads are retried.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "core/digest.h"
#include "dwc_test_util.h"
#include "extract_util.h"
#include "google_fake.h"
#include "harness.h"
#include "landing/compressed_file.h"
#include "objstore/s3_store.h"
#include "s3_server.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;

constexpr const char* kKeyId = "METLTESTKEYID0007";
constexpr const char* kSecret = "metl-test-secret-dwc-gcs-9c1e";  // a test value; must never be printed or written
constexpr const char* kBucket = "dwc-gcs";
constexpr const char* kGs = "gs://land-bkt/landing";
const std::vector<std::string> kCurated = {"matomo_visits",      "matomo_actions",         "matomo_custom_dimensions",
                                           "matomo_conversions", "matomo_ecommerce_items", "matomo_raw_visits"};


std::string Gzip(const fs::path& dir, const std::string& plain) {
  const fs::path tmp = dir / "regzip.jsonl.gz";
  fs::remove(tmp);
  auto w = landing::CompressedFileWriter::Create(tmp.string(), landing::Compression::kGzip);
  EXPECT_TRUE(w.ok());
  EXPECT_TRUE((*w)->Write(plain).ok());
  EXPECT_TRUE((*w)->Finish().ok());
  return ReadFile(tmp);
}

// One export in a local S3, shared by the tests: day 1's files zstd as the simulator wrote them,
// day 2's re-encoded as gzip (the reader tells them apart by their first bytes).
class DwcGcs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    SimServer sim({"--sites", "2", "--visits-per-day", "12", "--from", "2026-11-24", "--to", "2026-11-25", "--now",
                   "2026-11-27 08:00:00", "--dwc-export", (dir_->path() / "export").string(), "--dwc-compression",
                   "zstd"});
    s3rver_ = new LocalS3Server({kBucket}, kKeyId, kSecret);
    if (s3rver_->port() == 0) return;
    objstore::S3Options o;
    o.env = {{"AWS_ACCESS_KEY_ID", kKeyId}, {"AWS_SECRET_ACCESS_KEY", kSecret}, {"AWS_ENDPOINT_URL_S3", s3rver_->endpoint()}};
    o.region = "eu-west-1";
    auto store = objstore::S3ObjectStore::Open("s3://" + std::string(kBucket) + "/export", o);
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    files_ = new std::map<std::string, std::string>();
    const fs::path root = dir_->path() / "export";
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (!e.is_regular_file()) continue;
      std::string key = fs::relative(e.path(), root).generic_string(), bytes = ReadFile(e.path());
      if (key.find("2026-11-25") != std::string::npos) bytes = Gzip(dir_->path(), DecompressedFile(e.path()));
      ASSERT_TRUE((*store)->PutString(key, bytes).ok()) << key;
      (*files_)[key] = bytes;
    }
  }
  static void TearDownTestSuite() {
    delete files_;
    delete s3rver_;
    delete dir_;
  }
  void SetUp() override { ASSERT_GT(s3rver_->port(), 0) << "s3rver did not start: " << s3rver_->Stderr(); }

  static Env RunEnv(const GoogleFake& gcs) {
    Env env = IsolatedAwsEnv(kKeyId, kSecret, s3rver_->endpoint());
    for (const auto& [k, v] : gcs.env()) env[k] = v;
    return env;
  }
  static ProcessResult Dwc(const std::string& verb, const std::string& landing, const std::string& db,
                           const GoogleFake& gcs) {
    std::vector<std::string> argv = {EtlBin(), "dwc", verb, "--landing", landing};
    if (verb != "load") argv.insert(argv.end(), {"--retry-delay-ms", "1"});
    if (verb != "extract") argv.insert(argv.end(), {"--warehouse", "duckdb:" + db, "--progress", "never"});
    if (verb != "load") argv.insert(argv.end(), {"--s3", "s3://" + std::string(kBucket) + "/export", "--region", "eu-west-1"});
    return RunProcess(argv, RunEnv(gcs), "", 300);
  }
  static ProcessResult Status(const std::string& landing, const std::string& db, const GoogleFake& gcs) {
    return RunEtl({"status", "--landing", landing, "--warehouse", "duckdb:" + db, "--from", "2026-11-24", "--to",
                   "2026-11-24", "--json"},
                  gcs.env());
  }
  // What a run leaves in the warehouse, without the columns that say when it ran.
  static std::string Dump(const std::string& db) {
    return DumpTables("duckdb:" + db, kCurated, {"extracted_at"}) +
           DumpTables("duckdb:" + db, {"matomo_etl_dwc_files"}, {"loaded_at"});
  }
  // key -> version (GCS generation) of every object under the gs:// landing zone.
  static std::map<std::string, std::string> Versions(const GoogleFake& gcs) {
    std::map<std::string, std::string> out;
    auto objects = gcs.Store(kGs)->List("");
    EXPECT_TRUE(objects.ok()) << objects.error().ToString();
    if (objects.ok()) {
      for (const auto& o : *objects) out[o.key] = o.version;
    }
    return out;
  }

  static inline TempDir* dir_ = nullptr;
  static inline LocalS3Server* s3rver_ = nullptr;
  static inline std::map<std::string, std::string>* files_ = nullptr;
};

TEST_F(DwcGcs, ExtractStatusLoadOnGcsGiveTheTablesOfALocalLandingAndARerunChangesNothing) {
  TempDir dir;
  GoogleFake gcs(dir);
  const std::string n = std::to_string(files_->size());
  ASSERT_GE(files_->size(), 10u);  // site, goal, custom_dimensions + 5 log tables x 2 days
  const std::string local_db = (dir.path() / "local.duckdb").string(), gcs_db = (dir.path() / "gcs.duckdb").string();
  ProcessResult local = Dwc("sync", (dir.path() / "landing").string(), local_db, gcs);
  ASSERT_EQ(local.exit_code, 0) << local.out << local.err;

  // extract: the files and their records on gs://, byte for byte, with S3's ETag.
  ProcessResult extracted = Dwc("extract", kGs, "", gcs);
  ASSERT_EQ(extracted.exit_code, 0) << extracted.out << extracted.err;
  EXPECT_NE(extracted.out.find(n + " files listed, " + n + " landed"), std::string::npos) << extracted.out;
  auto store = gcs.Store(kGs);
  for (const auto& [key, bytes] : *files_) {
    auto landed = store->GetString("dwc/" + key);
    ASSERT_TRUE(landed.ok()) << key << ": " << landed.error().ToString();
    EXPECT_TRUE(*landed == bytes) << key;
    auto record = store->GetString("dwc/_landed/" + key + ".json");
    ASSERT_TRUE(record.ok()) << key;
    EXPECT_NE(record->find("\"etag\":\"" + HexMd5(bytes) + "\""), std::string::npos) << *record;
    EXPECT_NE(record->find(key.find("2026-11-25") != std::string::npos ? "\"compression\":\"gzip\""
                                                                       : "\"compression\":\"zstd\""),
              std::string::npos)
        << *record;
  }

  // status: every file landed and pending, read from gs:// (`status` opens only a warehouse that exists).
  ASSERT_EQ(QueryInt("duckdb:" + gcs_db, "SELECT 1"), 1);
  ProcessResult pending = Status(kGs, gcs_db, gcs);
  EXPECT_EQ(pending.exit_code, 0) << pending.out << pending.err;
  EXPECT_NE(pending.out.find("\"dwc\":{\"folder\":\"" + std::string(kGs) + "/dwc\",\"files\":" + n +
                             ",\"loaded\":0,\"pending\":" + n + ","),
            std::string::npos)
      << pending.out;

  // load: read back from gs:// (no file hashed: the records give the ETags), days landed as gs:// partitions.
  ProcessResult loaded = Dwc("load", kGs, gcs_db, gcs);
  ASSERT_EQ(loaded.exit_code, 0) << loaded.out << loaded.err;
  EXPECT_NE(loaded.out.find("dwc: " + n + " files (" + n + " new or changed, 0 failed"), std::string::npos)
      << loaded.out;
  EXPECT_NE(loaded.out.find("0 without a _landed record hashed"), std::string::npos) << loaded.out;
  EXPECT_GT(QueryInt("duckdb:" + gcs_db, "SELECT count(*) FROM matomo_visits"), 20);
  EXPECT_EQ(Dump(gcs_db), Dump(local_db));
  LandingSnapshot partitions = SnapshotLanding((dir.path() / "landing").string());
  EXPECT_EQ(partitions.size(), 4u);  // 2 sites x 2 days
  EXPECT_EQ(SnapshotLanding(kGs), partitions);
  ProcessResult none = Status(kGs, gcs_db, gcs);
  EXPECT_NE(none.out.find(",\"loaded\":" + n + ",\"pending\":0,"), std::string::npos) << none.out;

  // sync again: nothing lands, nothing loads, no object is rewritten, no row changes (times included).
  const auto versions = Versions(gcs);
  const std::string rows = DumpTables("duckdb:" + gcs_db, kCurated) + DumpTables("duckdb:" + gcs_db, {"matomo_etl_partitions"});
  ProcessResult again = Dwc("sync", kGs, gcs_db, gcs);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("dwc sync: " + n + " files listed, 0 landed, " + n + " already landed"), std::string::npos)
      << again.out;
  EXPECT_NE(again.out.find(n + " files in the mirror, 0 loaded (new or changed), 0 failed to load"), std::string::npos)
      << again.out;
  EXPECT_EQ(Versions(gcs), versions);
  EXPECT_EQ(DumpTables("duckdb:" + gcs_db, kCurated) + DumpTables("duckdb:" + gcs_db, {"matomo_etl_partitions"}), rows);

  // No secret in an output or a request the fake saw.
  for (const ProcessResult* r : {&extracted, &loaded, &again}) {
    EXPECT_EQ(r->out.find(kSecret), std::string::npos);
    EXPECT_EQ(r->err.find(kSecret), std::string::npos);
    EXPECT_EQ(r->err.find(gcs.KeySlice()), std::string::npos);
  }
  EXPECT_EQ(gcs.RequestLog().find(kSecret), std::string::npos);
}

TEST_F(DwcGcs, FailingAndCutCloudStorageRequestsAreRetried) {
  TempDir dir;
  // Every 4th API call answered 503 (no Retry-After), every 3rd upload cut after it was stored.
  GoogleFake gcs(dir, "land-bkt:EU", {"--fail-503", "every:4", "--retry-after", "0", "--cut-upload", "every:3"});
  const std::string local_db = (dir.path() / "local.duckdb").string(), gcs_db = (dir.path() / "gcs.duckdb").string();
  ProcessResult local = Dwc("sync", (dir.path() / "landing").string(), local_db, gcs);
  ASSERT_EQ(local.exit_code, 0) << local.out << local.err;

  ProcessResult synced = Dwc("sync", kGs, gcs_db, gcs);
  ASSERT_EQ(synced.exit_code, 0) << synced.out << synced.err;
  EXPECT_NE(synced.err.find("retrying a Cloud Storage request"), std::string::npos) << synced.err;
  EXPECT_EQ(Dump(gcs_db), Dump(local_db));
  EXPECT_EQ(SnapshotLanding(kGs), SnapshotLanding((dir.path() / "landing").string()));

  const std::string n = std::to_string(files_->size());
  ProcessResult again = Dwc("sync", kGs, gcs_db, gcs);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("0 landed, " + n + " already landed"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("0 loaded (new or changed)"), std::string::npos) << again.out;
  EXPECT_EQ(Dump(gcs_db), Dump(local_db));
}

}  // namespace
}  // namespace metl::e2e
