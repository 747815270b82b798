// A fault-injecting HTTP proxy in front of the local S3 (s3rver), for what s3rver cannot do itself:
// 429 / 503 SlowDown / 500 answers, downloads cut halfway or corrupted, and a key that vanishes between the
// listing and its download (deleted upstream just before the read). Requests
// are forwarded with their Host header untouched, so SigV4 signatures (made for the proxy's
// address) still verify upstream. Runs in the test process on a free loopback port.
#pragma once

#include <httplib.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace metl::e2e {

class S3FaultProxy {
 public:
  struct Fault {
    std::string method;    // "GET", "HEAD", ... ("" = any)
    std::string contains;  // a substring of the raw request target ("list-type=2", a key)
    int times = 1;         // how many matching requests get it
    int status = 503;      // the answer; 0 = cut the download halfway, -1 = flip a byte of it (GET only)
    std::string code;      // S3 error code in the XML body ("SlowDown"), "" = none
  };

  explicit S3FaultProxy(int upstream_port);
  ~S3FaultProxy();
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void AddFault(Fault f);
  // The first HEAD/GET whose target contains `contains` runs `action` before it is forwarded (e.g.
  // deletes that object in the real server: a file deleted between the listing and its download).
  void BeforeFirstRead(const std::string& contains, std::function<void()> action);
  // Requests whose fault fired, and all requests seen.
  int faults_fired() const { return fired_; }
  int requests() const { return requests_; }

 private:
  void Handle(const httplib::Request& req, httplib::Response& res);

  int upstream_port_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::vector<Fault> faults_;
  std::vector<std::pair<std::string, std::function<void()>>> before_read_;
  std::atomic<int> fired_{0}, requests_{0};
};

}  // namespace metl::e2e
