// Google's own client accepts the fake: `gcloud storage` (google-cloud-cli, on our machine image)
// logs in with the test service account through google-fake's token endpoint, uploads a small file
// (multipart) and a 3 MB one (resumable), lists, and downloads both, byte for byte. It runs inside
// `unshare -rn` (only loopback exists) where the kernel allows it, so nothing can leave the machine.
// Where gcloud is absent the test says that it skipped.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "harness.h"

namespace metl::e2e {
namespace {

std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "";
  size_t start = 0;
  while (start <= p.size()) {
    size_t colon = p.find(':', start);
    std::string dir = p.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    std::string candidate = dir + "/" + name;
    if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return "";
}

TEST(GcloudStorage, UploadsAndDownloadsThroughTheFake) {
  if (FindOnPath("gcloud").empty()) GTEST_SKIP() << "gcloud is not installed: skipped (google-cloud-cli provides it)";
  TempDir dir;
  std::string small = "hello from gcloud\n";
  std::string big(3 * 1000 * 1000 + 17, '\0');
  std::mt19937 rng(5);
  for (auto& c : big) c = static_cast<char>(rng());
  WriteFile(dir.path() / "small.txt", small);
  WriteFile(dir.path() / "big.bin", big);
  std::string script = SourceDir() + "/tests/e2e/gcloud_storage_roundtrip.sh";
  std::vector<std::string> argv = {"/usr/bin/unshare", "-rn", "bash", script, GFAKE_BIN_PATH, dir.str()};
  bool isolated =
      ::access("/usr/bin/unshare", X_OK) == 0 && RunProcess({"/usr/bin/unshare", "-rn", "true"}).exit_code == 0;
  if (!isolated) {
    std::fprintf(stderr, "note: unshare -rn is not permitted here; running gcloud with loopback-only settings\n");
    argv = {"/bin/bash", script, GFAKE_BIN_PATH, dir.str()};
  }
  ProcessResult r = RunProcess(argv, {}, "", 240);
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
