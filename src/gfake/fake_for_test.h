// In-process Google fake for unit tests: a FakeServer on a free loopback port trusting a throwaway
// test key, with that key written to a temporary JSON key file (token_uri = the fake).
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "cloud/google_credentials.h"
#include "gfake/fake_server.h"
#include "gfake/test_key.h"

namespace metl::gfake {

inline const TestServiceAccount& SharedTestAccount() {
  static const TestServiceAccount sa = *MakeTestServiceAccount();  // RSA generation is slow: once per process
  return sa;
}

class FakeGoogleForTest {
 public:
  explicit FakeGoogleForTest(FakeOptions options = {}, std::vector<RouteModule> modules = {}) {
    options.trusted_client_email = SharedTestAccount().client_email;
    options.trusted_public_key_pem = SharedTestAccount().public_key_pem;
    server_ = std::make_unique<FakeServer>(std::move(options), std::move(modules));
    (void)server_->Bind(0);
    server_->Start();
    static int counter = 0;
    key_path_ = (std::filesystem::temp_directory_path() /
                 ("metl-gfake-key-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".json"))
                    .string();
    std::ofstream(key_path_) << SharedTestAccount().KeyJson(token_uri());
    ::chmod(key_path_.c_str(), 0600);
  }
  ~FakeGoogleForTest() {
    server_->Stop();
    std::filesystem::remove(key_path_);
  }
  FakeContext& context() { return server_->context(); }
  std::string base_url() const { return server_->base_url(); }
  std::string token_uri() const { return server_->base_url() + "/token"; }
  const std::string& key_path() const { return key_path_; }

  std::shared_ptr<cloud::AccessTokenSource> Tokens(std::vector<std::string> scopes = {
                                                       cloud::kScopeDevstorageReadWrite}) {
    cloud::GoogleAuthOptions o;
    o.key_file = key_path_;
    o.scopes = std::move(scopes);
    o.retry.base_delay_s = 0.01;
    o.retry.max_delay_s = 0.1;
    return *cloud::MakeGoogleAccessTokenSource(std::move(o));
  }

 private:
  std::unique_ptr<FakeServer> server_;
  std::string key_path_;
};

}  // namespace metl::gfake
