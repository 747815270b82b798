// gs:// object store against the google-fake binary (not the in-process server): its flags inject
// 503s without Retry-After, cut uploads and revoked tokens; STORAGE_EMULATOR_HOST points the store
// at it and GOOGLE_APPLICATION_CREDENTIALS at the key it wrote. Every object arrives whole and once,
// and neither the token nor the key appears in the fake's request log.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "harness.h"
#include "objstore/object_store.h"

namespace metl::e2e {
namespace {

TEST(GcsObjectStoreE2E, RoundTripThroughTheFakeBinaryUnderFaults) {
  TempDir dir;
  std::string key = (dir.path() / "key.json").string();
  std::string log = (dir.path() / "requests.jsonl").string();
  std::string port_file = (dir.path() / "port").string();
  BackgroundProcess fake({GFAKE_BIN_PATH, "--write-test-key", key, "--bucket", "e2e-bkt:EU", "--fail-503", "every:4",
                          "--retry-after", "0", "--cut-upload", "every:3", "--revoke-token-after", "5", "--request-log",
                          log, "--port-file", port_file});
  std::string url = fake.ReadFirstLine();
  ASSERT_TRUE(url.starts_with("http://127.0.0.1:")) << url << fake.Stderr();
  std::string host = url.substr(7, url.size() - 8);  // HOST:PORT
  EXPECT_EQ(ReadFile(port_file), host.substr(host.find(':') + 1) + "\n");

  ::setenv("STORAGE_EMULATOR_HOST", host.c_str(), 1);
  ::setenv("GOOGLE_APPLICATION_CREDENTIALS", key.c_str(), 1);
  auto store = objstore::OpenObjectStore("gs://e2e-bkt/landing");
  ::unsetenv("STORAGE_EMULATOR_HOST");
  ::unsetenv("GOOGLE_APPLICATION_CREDENTIALS");
  ASSERT_TRUE(store.ok()) << store.error().ToString();

  std::mt19937_64 rng(11);
  std::vector<std::string> objects;
  objects.reserve(5);
  for (size_t size : {size_t{10}, size_t{300000}, size_t{9 * 1024 * 1024 + 5}, size_t{0}, size_t{70000}}) {
    std::string data(size, '\0');
    for (auto& c : data) c = static_cast<char>(rng());
    objects.push_back(std::move(data));
  }
  objstore::PutOptions once;
  once.if_absent = true;
  for (size_t i = 0; i < objects.size(); ++i) {
    auto put = (*store)->PutString("site=1/part-" + std::to_string(i), objects[i], once);
    ASSERT_TRUE(put.ok()) << i << ": " << put.error().ToString();
  }
  for (size_t i = 0; i < objects.size(); ++i) {
    auto back = (*store)->GetString("site=1/part-" + std::to_string(i));
    ASSERT_TRUE(back.ok()) << back.error().ToString();
    EXPECT_TRUE(*back == objects[i]) << i;
  }
  auto listed = (*store)->List("site=1/");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), objects.size());

  std::string requests = ReadFile(log);
  EXPECT_NE(requests.find("\"fault\":\"503\""), std::string::npos);
  EXPECT_NE(requests.find("\"fault\":\"cut_upload\""), std::string::npos);
  EXPECT_NE(requests.find("\"fault\":\"invalid_token\""), std::string::npos);  // revoked, refreshed
  EXPECT_NE(requests.find("\"path\":\"/upload/storage/v1/b/e2e-bkt/o\""), std::string::npos);
  EXPECT_EQ(requests.find("ya29."), std::string::npos);  // the token only ever in the redacted header
  std::string pem = ReadFile(key);
  size_t body = pem.find("PRIVATE KEY-----\\n");  // the key's base64 body, after the JSON-escaped newline
  ASSERT_NE(body, std::string::npos);
  std::string key_slice = pem.substr(body + 18, 40);
  EXPECT_EQ(requests.find(key_slice), std::string::npos);
  EXPECT_EQ(fake.Stderr().find("ya29."), std::string::npos);
}

}  // namespace
}  // namespace metl::e2e
