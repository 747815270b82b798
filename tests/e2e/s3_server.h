// The local S3 the DWC tests use: @20minutes/s3rver 4.0.4 (installed by scripts/install-deps.sh
// under third_party/test-servers/node_modules), started by tests/servers/s3rver.js on 127.0.0.1 and
// a free port, storing objects in a folder of its own; stopped (by PID) when destroyed. It verifies
// the SigV4 signature of every signed request. Start one per test binary or fixture, not per test.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "harness.h"

namespace metl::e2e {

class LocalS3Server {
 public:
  // `buckets` exist from the start; requests must be signed with `key_id`/`secret` (test values:
  // handed to the server through its environment, never its argv) or S3RVER/S3RVER.
  LocalS3Server(const std::vector<std::string>& buckets, const std::string& key_id, const std::string& secret);
  ~LocalS3Server();
  LocalS3Server(const LocalS3Server&) = delete;
  LocalS3Server& operator=(const LocalS3Server&) = delete;

  int port() const { return port_; }  // 0 when it did not start
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string Stderr() const { return process_ ? process_->Stderr() : ""; }

 private:
  TempDir dir_;
  std::unique_ptr<BackgroundProcess> process_;
  int port_ = 0;
};

}  // namespace metl::e2e
