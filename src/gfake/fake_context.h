// What every API module of the Google fake shares (the token endpoint, GCS, and BigQuery added by
// its own module): the tokens it issued, the request log, the fault injector and the GCS objects.
// A module is a function `void RegisterXRoutes(httplib::Server&, FakeContext&)`; each API handler
// starts with `if (!ctx.Admit(req, res, scopes)) return;` (auth, scopes, faults); every request is
// logged by the server (FakeServer).
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "gfake/gcs_state.h"
#include "sim/faults.h"

namespace httplib {
struct Request;
struct Response;
class Server;
}  // namespace httplib

namespace metl::gfake {

struct FakeFaults {
  sim::FaultSpec fail_429;  // per API call
  sim::FaultSpec fail_503;
  int retry_after_s = 1;           // on those faults; 0 = no Retry-After header
  sim::FaultSpec cut_upload;       // per resumable chunk: half persisted, then the connection drops
  int64_t revoke_token_after = 0;  // a token stops working after N API calls (0 = never): expiry mid-run
  uint64_t seed = 1;
};

struct FakeOptions {
  std::string trusted_client_email;  // the service account the token endpoint accepts
  std::string trusted_public_key_pem;
  double token_lifetime_s = 3600;
  int64_t bq_max_multipart_bytes = 0;  // BigQuery multipart media uploads above it: 413 (0 = no limit of its own)
  FakeFaults faults;
  std::string request_log_path;  // "" = in memory only
  // For secret-leak tests: every assertion accepted and access token issued, one per line
  // ("assertion JWT", "token TOKEN"), so that a test knows exactly what must appear nowhere.
  std::string secrets_log_path;
};

// One line of the request log: never the Authorization header's value, never a body.
struct LoggedRequest {
  std::string method, path, query;
  std::vector<std::pair<std::string, std::string>> headers;  // Authorization replaced by "<redacted>"
  int status = 0;
  std::string fault;
};

class TokenIssuer {
 public:
  // A new opaque token for these scopes, valid for `lifetime_s`.
  std::string Issue(const std::set<std::string>& scopes, double lifetime_s);
  enum class Check { kOk, kUnknown, kExpired, kRevoked, kScope };
  // Whether `token` is valid and holds one of `any_of_scopes`; counts a use.
  Check Use(const std::string& token, const std::vector<std::string>& any_of_scopes, int64_t revoke_after);
  int issued() const;
  std::vector<std::string> IssuedTokens() const;  // for secret-leak tests

 private:
  struct Issued {
    std::set<std::string> scopes;
    double expires_at = 0;  // epoch seconds
    int64_t uses = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, Issued> tokens_;
};

class FakeContext {
 public:
  explicit FakeContext(FakeOptions options);
  ~FakeContext();
  const FakeOptions& options() const { return options_; }
  TokenIssuer& tokens() { return tokens_; }
  GcsState& gcs() { return gcs_; }
  // "http://127.0.0.1:PORT", known once bound (session URIs, the token endpoint's audience).
  std::string base_url() const;
  void set_base_url(std::string url);

  // For an API call: checks the bearer token (401/403 in Google's error shape) and
  // injects the configured 429/503 faults. false = `res` is already the answer.
  bool Admit(const httplib::Request& req, httplib::Response& res, const std::vector<std::string>& any_of_scopes);
  // Called by the server's logger for every request; `fault` = the X-Fake-Fault header set by a
  // handler ("" = none).
  void LogRequest(const httplib::Request& req, int status, const std::string& fault = "");
  // Whether the resumable chunk being served is cut (--cut-upload), counting chunks.
  bool NextChunkIsCut();

  std::vector<LoggedRequest> RequestLogSnapshot() const;
  // {"error":{"code":..,"message":..,"errors":[{"domain":"global","reason":..,"message":..}]}}
  static void SendError(httplib::Response& res, int code, const std::string& reason, const std::string& message);

 private:
  FakeOptions options_;
  TokenIssuer tokens_;
  GcsState gcs_;
  mutable std::mutex mu_;
  std::string base_url_;
  std::vector<LoggedRequest> log_;
  std::FILE* log_file_ = nullptr;
  std::atomic<uint64_t> calls_{0};
  std::atomic<uint64_t> chunks_{0};
};

}  // namespace metl::gfake
