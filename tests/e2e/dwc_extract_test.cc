// `matomo-etl dwc extract` end to end: matomo-sim writes a DWC export (--dwc-export), the files go
// into a real local S3 (s3rver, which verifies every SigV4 signature), and the real binary lands
// them under <landing>/dwc/ exactly once; faults come from a proxy in front of s3rver.
// One s3rver and one export per test binary (SetUpTestSuite); each test uses its own prefix.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "dwc/landed_files.h"
#include "dwc_test_util.h"
#include "harness.h"
#include "objstore/local_store.h"
#include "objstore/s3_store.h"
#include "s3_fault_proxy.h"
#include "s3_server.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;

constexpr const char* kKeyId = "METLTESTKEYID0001";
constexpr const char* kSecret = "metl-test-secret-7c1e9a5b3d";  // a test value; must never be printed or written
constexpr const char* kBucket = "dwc-bucket";

std::map<std::string, std::string> ReadTree(const fs::path& root) {
  std::map<std::string, std::string> out;
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) out[fs::relative(e.path(), root).string()] = ReadFile(e.path());
  }
  return out;
}

class DwcExtractS3 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    // Two small exports of the same simulated visits: partitioned + gzip + MySQL's base64:type254:,
    // and flat + zstd + plain base64.
    for (const auto& [name, layout, compression, binary] :
         {std::tuple{"partitioned", "partitioned", "gzip", "mysql"}, std::tuple{"flat", "flat", "zstd", "base64"}}) {
      SimServer sim({"--sites", "2", "--visits-per-day", "15", "--from", "2026-11-24", "--to", "2026-11-25", "--now",
                     "2026-11-27 08:00:00", "--dwc-export", (dir_->path() / "export" / name).string(), "--dwc-layout",
                     layout, "--dwc-compression", compression, "--dwc-binary", binary});
    }
    s3rver_ = new LocalS3Server({kBucket}, kKeyId, kSecret);
    port_ = s3rver_->port();
  }
  static void TearDownTestSuite() {
    delete s3rver_;
    delete dir_;
  }

  void SetUp() override { ASSERT_GT(port_, 0) << "s3rver did not start: " << s3rver_->Stderr(); }

  static std::string Endpoint() { return "http://127.0.0.1:" + std::to_string(port_); }

  // The AWS environment of a run; every other AWS_* variable of the outer environment unset.
  static Env AwsEnv(const std::string& endpoint, const std::string& secret = kSecret) {
    return IsolatedAwsEnv(kKeyId, secret, endpoint);
  }

  static std::unique_ptr<objstore::S3ObjectStore> Store(const std::string& prefix) {
    objstore::S3Options o;
    o.env = {{"AWS_ACCESS_KEY_ID", kKeyId}, {"AWS_SECRET_ACCESS_KEY", kSecret}, {"AWS_ENDPOINT_URL_S3", Endpoint()}};
    o.region = "eu-west-1";
    o.list_page_size = 7;  // several ListObjectsV2 pages
    o.retry.max_retries = 3;
    o.retry.base_delay_s = 0.01;
    auto s = objstore::S3ObjectStore::Open("s3://" + std::string(kBucket) + "/" + prefix, o);
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    return std::move(s).value();
  }

  // Uploads export `name` under `prefix`; returns its files (relative key -> bytes).
  static std::map<std::string, std::string> Upload(const std::string& name, const std::string& prefix) {
    auto files = ReadTree(dir_->path() / "export" / name);
    auto store = Store(prefix);
    for (const auto& [key, bytes] : files) {
      auto put = store->PutString(key, bytes);
      EXPECT_TRUE(put.ok()) << key << ": " << put.error().ToString();
    }
    return files;
  }

  static ProcessResult Extract(const std::string& prefix, const fs::path& landing, const std::string& endpoint,
                               const std::string& secret = kSecret, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"dwc",
                                     "extract",
                                     "--s3",
                                     "s3://" + std::string(kBucket) + "/" + prefix,
                                     "--region",
                                     "eu-west-1",
                                     "--landing",
                                     landing.string(),
                                     "--retry-delay-ms",
                                     "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunEtl(args, AwsEnv(endpoint, secret), "", 120);
  }

  static std::map<std::string, dwc::LandedFile> Ledger(const fs::path& landing) {
    objstore::LocalObjectStore store(landing.string());
    auto files = dwc::ReadLandedFiles(store);
    EXPECT_TRUE(files.ok()) << files.error().ToString();
    std::map<std::string, dwc::LandedFile> out;
    if (files.ok()) {
      for (auto& f : *files) out[f.key] = f;
    }
    return out;
  }

  static void ExpectNoSecret(const ProcessResult& r, const fs::path& landing) {
    EXPECT_EQ(r.out.find(kSecret), std::string::npos);
    EXPECT_EQ(r.err.find(kSecret), std::string::npos);
    EXPECT_TRUE(FilesContaining(landing, kSecret).empty());
  }

  static inline TempDir* dir_ = nullptr;
  static inline LocalS3Server* s3rver_ = nullptr;
  static inline int port_ = 0;
};

TEST_F(DwcExtractS3, LandsEveryFileOnceByteForByteThenNothingThenOnlyTheChangedOne) {
  auto files = Upload("partitioned", "roundtrip");
  ASSERT_GE(files.size(), 10u);  // site, goal, custom_dimensions + 5 log tables x 2 days
  // ListObjectsV2 pages of 7 keys: continuation tokens (signed in sorted order) on the real server.
  auto listed = Store("roundtrip")->List("");
  ASSERT_TRUE(listed.ok()) << listed.error().ToString();
  ASSERT_EQ(listed->size(), files.size());
  for (const auto& o : *listed) EXPECT_TRUE(files.count(o.key)) << o.key;
  TempDir landing;
  ProcessResult r = Extract("roundtrip", landing.path(), Endpoint());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(std::to_string(files.size()) + " files listed, " + std::to_string(files.size()) + " landed"),
            std::string::npos)
      << r.out;
  auto landed = ReadTree(landing.path() / "dwc");
  auto ledger = Ledger(landing.path());
  ASSERT_EQ(ledger.size(), files.size());
  for (const auto& [key, bytes] : files) {
    EXPECT_TRUE(landed[key] == bytes) << key;  // the bytes, unchanged
    const auto& entry = ledger[key];
    EXPECT_EQ(entry.size, static_cast<int64_t>(bytes.size()));
    EXPECT_EQ(entry.compression, "gzip") << key;
    EXPECT_FALSE(entry.etag.empty());
    EXPECT_EQ(entry.source, "s3://dwc-bucket/roundtrip");
    // The table is the first path segment: log_conversion_item is not taken for log_conversion.
    EXPECT_EQ(entry.table, key.substr(0, key.find('/'))) << key;
  }
  EXPECT_TRUE(ledger.count("log_conversion_item/date=2026-11-24/part-0.jsonl.gz"));
  ExpectNoSecret(r, landing.path());

  // A second run lands nothing.
  ProcessResult again = Extract("roundtrip", landing.path(), Endpoint());
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find(" 0 landed (0 of them changed), " + std::to_string(files.size()) + " already landed"),
            std::string::npos)
      << again.out;

  // Matomo re-delivers one file with new content: only that one lands again, with its new ETag.
  const std::string changed = "log_visit/date=2026-11-25/part-0.jsonl.gz";
  std::string old_etag = ledger[changed].etag;
  std::string new_bytes =
      ReadFile(dir_->path() / "export" / "partitioned" / "log_visit/date=2026-11-24/part-0.jsonl.gz");
  ASSERT_TRUE(Store("roundtrip")->PutString(changed, new_bytes).ok());
  ProcessResult third = Extract("roundtrip", landing.path(), Endpoint());
  ASSERT_EQ(third.exit_code, 0) << third.out << third.err;
  EXPECT_NE(third.out.find(" 1 landed (1 of them changed), " + std::to_string(files.size() - 1) + " already landed"),
            std::string::npos)
      << third.out;
  EXPECT_TRUE(ReadFile(landing.path() / "dwc" / changed) == new_bytes);
  auto ledger3 = Ledger(landing.path());
  EXPECT_NE(ledger3[changed].etag, old_etag);
}

TEST_F(DwcExtractS3, FlatZstdExportTablesFromFileNamePrefixesLongestFirst) {
  auto files = Upload("flat", "flat/2026");
  TempDir landing;
  ProcessResult r = Extract("flat/2026", landing.path(), Endpoint());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto ledger = Ledger(landing.path());
  ASSERT_EQ(ledger.size(), files.size());
  EXPECT_EQ(ledger["log_conversion_item_20261124.jsonl.zst"].table, "log_conversion_item");
  EXPECT_EQ(ledger["log_conversion_20261124.jsonl.zst"].table, "log_conversion");
  EXPECT_EQ(ledger["log_link_visit_action_20261125.jsonl.zst"].table, "log_link_visit_action");
  EXPECT_EQ(ledger["site_20261124.jsonl.zst"].table, "site");
  for (const auto& [key, f] : ledger) EXPECT_EQ(f.compression, "zstd") << key;

  // --table-pattern overrides the built-in rule; a name it does not know stays "unknown".
  TempDir landing2;
  ProcessResult p =
      Extract("flat/2026", landing2.path(), Endpoint(), kSecret, {"--table-pattern", "^(?P<table>log_[a-z]+)_2026"});
  ASSERT_EQ(p.exit_code, 0) << p.out << p.err;
  auto ledger2 = Ledger(landing2.path());
  EXPECT_EQ(ledger2["log_visit_20261124.jsonl.zst"].table, "log_visit");
  EXPECT_EQ(ledger2["log_action_20261124.jsonl.zst"].table, "log_action");
  EXPECT_EQ(ledger2["site_20261124.jsonl.zst"].table, "unknown");
  EXPECT_TRUE(fs::exists(landing2.path() / "dwc" / "site_20261124.jsonl.zst"));  // kept anyway
}

TEST_F(DwcExtractS3, SlowDownAnd429And5xxAndCutDownloadsAreRetriedAndAVanishedFileIsSkipped) {
  auto files = Upload("partitioned", "faults");
  S3FaultProxy proxy(port_);
  proxy.AddFault({"GET", "list-type=2", 1, 503, "SlowDown"});
  proxy.AddFault({"GET", "list-type=2", 1, 400, "RequestTimeout"});
  proxy.AddFault({"HEAD", "log_visit/date%3D2026-11-24", 1, 429, ""});
  proxy.AddFault({"GET", "log_link_visit_action/date%3D2026-11-24", 1, 500, "InternalError"});
  proxy.AddFault({"GET", "log_link_visit_action/date%3D2026-11-25", 1, 0, ""});  // cut halfway
  proxy.AddFault({"GET", "log_action/date%3D2026-11-24", 2, 0, ""});             // cut twice
  const std::string gone = "log_conversion/date=2026-11-25/part-0.jsonl.gz";
  // Deleted in s3rver between the listing and the download (Matomo expires files).
  proxy.BeforeFirstRead("log_conversion/date%3D2026-11-25", [gone] {
    auto deleted = Store("faults")->Delete(gone);
    EXPECT_TRUE(deleted.ok()) << deleted.error().ToString();
  });
  TempDir landing;
  ProcessResult r = Extract("faults", landing.path(), proxy.url());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(proxy.faults_fired(), 7);
  EXPECT_NE(r.out.find("1 deleted before download, 0 failed"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("deleted between the listing and its download"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("retrying an S3 request"), std::string::npos) << r.err;
  auto landed = ReadTree(landing.path() / "dwc");
  auto ledger = Ledger(landing.path());
  EXPECT_EQ(ledger.size(), files.size() - 1);
  EXPECT_FALSE(ledger.count(gone));
  EXPECT_FALSE(fs::exists(landing.path() / "dwc" / gone));
  for (const auto& [key, bytes] : files) {
    if (key != gone) {
      EXPECT_TRUE(landed[key] == bytes) << key << " differs after retries";
    }
  }
  ExpectNoSecret(r, landing.path());
}

TEST_F(DwcExtractS3, PersistentFailuresAndCorruptBytesFailThoseFilesExit3AndLandTheOthers) {
  auto files = Upload("partitioned", "broken");
  S3FaultProxy proxy(port_);
  proxy.AddFault({"GET", "log_visit/date%3D2026-11-24", 100, 503, "ServiceUnavailable"});
  proxy.AddFault({"GET", "log_action/date%3D2026-11-25", 100, -1, ""});  // bytes corrupted on the way
  TempDir landing;
  ProcessResult r = Extract("broken", landing.path(), proxy.url(), kSecret, {"--max-retries", "2"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("2 failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("failed: log_visit/date=2026-11-24/part-0.jsonl.gz"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("failed: log_action/date=2026-11-25/part-0.jsonl.gz"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("do not match the object's MD5"), std::string::npos) << r.out;
  EXPECT_EQ(Ledger(landing.path()).size(), files.size() - 2);
  EXPECT_FALSE(fs::exists(landing.path() / "dwc" / "log_action/date=2026-11-25/part-0.jsonl.gz"));
  // The next run (the faults gone) lands just those files.
  ProcessResult again = Extract("broken", landing.path(), Endpoint());
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find(" 2 landed (0 of them changed)"), std::string::npos) << again.out;
}

TEST_F(DwcExtractS3, BadCredentialsAreAClearErrorExit2AndNeverPrinted) {
  Upload("partitioned", "creds");
  TempDir landing;
  const std::string wrong = "wrong-secret-0b7d4e2a91";
  ProcessResult r = Extract("creds", landing.path(), Endpoint(), wrong);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("were refused"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("SignatureDoesNotMatch"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("AWS_SECRET_ACCESS_KEY"), std::string::npos) << r.err;  // the hint names where it comes from
  EXPECT_EQ(r.err.find(wrong), std::string::npos);
  EXPECT_EQ(r.out.find(wrong), std::string::npos);
  EXPECT_TRUE(Ledger(landing.path()).empty());

  // A secret offered as a flag is refused without being echoed (it would be visible in `ps`).
  ProcessResult flag = RunEtl(
      {"dwc", "extract", "--s3", "s3://dwc-bucket/creds", "--region", "eu-west-1", "--aws-secret-access-key", kSecret},
      AwsEnv(Endpoint()));
  EXPECT_EQ(flag.exit_code, 2) << flag.err;
  EXPECT_EQ(flag.err.find(kSecret), std::string::npos) << flag.err;
  EXPECT_EQ(flag.out.find(kSecret), std::string::npos);

  // No credentials at all, and no region: said before any request.
  ProcessResult none = RunEtl({"dwc", "extract", "--s3", "s3://dwc-bucket/creds", "--landing", landing.str()},
                              {{"AWS_ACCESS_KEY_ID", "\x01"},
                               {"AWS_SECRET_ACCESS_KEY", "\x01"},
                               {"AWS_REGION", "\x01"},
                               {"AWS_DEFAULT_REGION", "\x01"},
                               {"HOME", landing.str()},
                               {"AWS_SHARED_CREDENTIALS_FILE", "\x01"},
                               {"AWS_PROFILE", "\x01"}});
  EXPECT_EQ(none.exit_code, 2) << none.err;
  EXPECT_NE(none.err.find("--region"), std::string::npos) << none.err;
}

TEST_F(DwcExtractS3, SharedCredentialsFileProfileAndAwsRegionFromTheEnvironment) {
  auto files = Upload("partitioned", "profile");
  TempDir landing;
  fs::path credentials = landing.path() / "aws-credentials";
  WriteFile(credentials,
            "[default]\naws_access_key_id = nobody\naws_secret_access_key = nothing\n\n[dwc]\n"
            "aws_access_key_id = " +
                std::string(kKeyId) + "\naws_secret_access_key = " + kSecret + "\n");
  fs::path out = landing.path() / "zone";
  ProcessResult r = RunEtl({"dwc", "extract", "--s3", "s3://dwc-bucket/profile", "--landing", out.string()},
                           {{"AWS_ACCESS_KEY_ID", "\x01"},
                            {"AWS_SECRET_ACCESS_KEY", "\x01"},
                            {"AWS_SHARED_CREDENTIALS_FILE", credentials.string()},
                            {"AWS_PROFILE", "dwc"},
                            {"AWS_REGION", "eu-central-1"},
                            {"AWS_ENDPOINT_URL_S3", "\x01"},
                            {"AWS_ENDPOINT_URL", Endpoint()},
                            {"AWS_SESSION_TOKEN", "\x01"}});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(Ledger(out).size(), files.size());
  EXPECT_TRUE(FilesContaining(out, kSecret).empty());
}

}  // namespace
}  // namespace metl::e2e
