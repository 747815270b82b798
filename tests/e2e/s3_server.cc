#include "s3_server.h"

#include <csignal>
#include <cstdlib>

namespace metl::e2e {

LocalS3Server::LocalS3Server(const std::vector<std::string>& buckets, const std::string& key_id,
                             const std::string& secret) {
  // --openssl-legacy-provider: s3rver's ListObjectsV2 continuation tokens use DES, which OpenSSL 3
  // keeps in its legacy provider (without it, a second listing page fails with 500 InternalError).
  std::vector<std::string> argv = {"/usr/bin/env", "node", "--openssl-legacy-provider",
                                   SourceDir() + "/tests/servers/s3rver.js", dir_.str()};
  argv.insert(argv.end(), buckets.begin(), buckets.end());
  process_ = std::make_unique<BackgroundProcess>(argv, Env{{"S3RVER_TEST_KEY", key_id + ":" + secret}});
  port_ = std::atoi(process_->ReadFirstLine(60).c_str());
}

LocalS3Server::~LocalS3Server() {
  if (process_) {
    process_->Signal(SIGTERM);
    process_->Wait(10);
  }
}

}  // namespace metl::e2e
