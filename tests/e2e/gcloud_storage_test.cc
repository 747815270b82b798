// Google's own client accepts the fake: `gcloud storage` (google-cloud-cli, on our machine image)
// logs in with the test service account through google-fake's token endpoint, uploads a small file
// (multipart) and a 3 MB one (resumable), lists, and downloads both, byte for byte. It runs inside
// `unshare -rn` (only loopback exists) where the kernel allows it, so nothing can leave the machine.
// Where gcloud is absent the test says that it skipped.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "google_cli.h"

namespace metl::e2e {
namespace {

TEST(GcloudStorage, UploadsAndDownloadsThroughTheFake) {
  if (!OnPath("gcloud")) GTEST_SKIP() << "gcloud is not installed: skipped (google-cloud-cli provides it)";
  TempDir dir;
  std::string small = "hello from gcloud\n";
  std::string big(3 * 1000 * 1000 + 17, '\0');
  std::mt19937 rng(5);
  for (auto& c : big) c = static_cast<char>(rng());
  WriteFile(dir.path() / "small.txt", small);
  WriteFile(dir.path() / "big.bin", big);
  ProcessResult r = RunGoogleCliScript("gcloud_storage_roundtrip.sh", dir.str());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err << ReadFile(dir.path() / "fake.err");
  EXPECT_NE(r.out.find("gcloud round trip done"), std::string::npos);
  EXPECT_EQ(ReadFile(dir.path() / "small.back"), small);
  EXPECT_TRUE(ReadFile(dir.path() / "big.back") == big);
  std::string ls = ReadFile(dir.path() / "ls.out");
  EXPECT_NE(ls.find("gs://gcloud-bkt/up/small.txt"), std::string::npos) << ls;
  EXPECT_NE(ls.find("gs://gcloud-bkt/up/big.bin"), std::string::npos) << ls;

  // gcloud took both upload paths and authenticated every call with a token the fake issued.
  std::string log = ReadFile(dir.path() / "requests.jsonl");
  EXPECT_NE(log.find("uploadType=multipart"), std::string::npos);
  EXPECT_NE(log.find("uploadType=resumable"), std::string::npos);
  EXPECT_NE(log.find("\"path\":\"/token\""), std::string::npos);
  EXPECT_EQ(log.find("\"status\":401"), std::string::npos) << log;
  EXPECT_NE(log.find("\"authorization\":\"<redacted>\""), std::string::npos);
  EXPECT_EQ(log.find("ya29."), std::string::npos);  // no token outside the (redacted) header
}

}  // namespace
}  // namespace metl::e2e
