#include "google_fake.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace metl::e2e {

GoogleFake::GoogleFake(const TempDir& dir, const std::string& bucket, const std::vector<std::string>& flags) {
  key_ = (dir.path() / "sa-key.json").string();
  log_ = (dir.path() / "gfake-requests.jsonl").string();
  std::vector<std::string> argv = {GFAKE_BIN_PATH, "--write-test-key", key_, "--bucket", bucket, "--request-log", log_};
  argv.insert(argv.end(), flags.begin(), flags.end());
  process_ = std::make_unique<BackgroundProcess>(argv);
  std::string url = process_->ReadFirstLine();
  EXPECT_TRUE(url.starts_with("http://127.0.0.1:")) << url << process_->Stderr();
  host_ = url.size() > 8 ? url.substr(7, url.size() - 8) : "";
  ::setenv("STORAGE_EMULATOR_HOST", host_.c_str(), 1);
  ::setenv("GOOGLE_APPLICATION_CREDENTIALS", key_.c_str(), 1);
}

GoogleFake::~GoogleFake() {
  ::unsetenv("STORAGE_EMULATOR_HOST");
  ::unsetenv("GOOGLE_APPLICATION_CREDENTIALS");
}

Env GoogleFake::env() const {
  return {{"STORAGE_EMULATOR_HOST", host_},
          {"GOOGLE_APPLICATION_CREDENTIALS", key_},
          {"MATOMO_TOKEN_AUTH", SimServer::kToken}};
}

std::unique_ptr<objstore::ObjectStore> GoogleFake::Store(const std::string& url) const {
  auto store = objstore::OpenObjectStore(url);
  EXPECT_TRUE(store.ok()) << store.error().ToString();
  return store.ok() ? std::move(*store) : nullptr;
}

std::string GoogleFake::KeySlice() const {
  std::string pem = ReadFile(key_);
  size_t body = pem.find("PRIVATE KEY-----\\n");
  EXPECT_NE(body, std::string::npos);
  return body == std::string::npos ? "" : pem.substr(body + 18, 40);
}

std::string GoogleFake::RequestLog() const { return ReadFile(log_); }

}  // namespace metl::e2e
