// Matomo Reporting API client: every call is a POST whose body carries token_auth (and nothing
// else secret); the other parameters go in the query string so that server logs stay readable.
// One retry policy, a client-side rate limit and a concurrency gate apply to every call.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "http/rate_limiter.h"
#include "http/retry_policy.h"
#include "http/transport.h"

namespace metl::matomo {

using Params = std::vector<std::pair<std::string, std::string>>;

struct ClientOptions {
  std::string url;  // base URL or its index.php
  double rate_limit_per_min = 200;
  int concurrency = 4;
  http::RetryOptions retry;
};

struct ClientStats {
  std::atomic<int64_t> requests{0};  // HTTP requests sent (incl. retries)
  std::atomic<int64_t> retries{0};
  std::atomic<int64_t> rate_limited{0};  // 429 answers
  std::atomic<int64_t> bytes{0};
};

// Per-call details for the caller (page-size adaptation, manifest request counts).
struct CallInfo {
  int requests = 0;
  bool query_timeout = false;  // the last try ended in a timeout or Matomo's query timeout
  double last_elapsed_s = 0;
  // Return a query timeout at once instead of retrying it (the caller will ask for a smaller page).
  bool stop_on_query_timeout = false;
};

// Quick retries of a refused connection before the server ever answered: a Matomo or proxy that is
// restarting when a cron job starts is back within a second or two (the retry policy's first two
// waits), a wrong port never is; a minute of backoff would only hide the wrong `url`.
inline constexpr int kFirstContactConnectRetries = 2;

// "https://x/" or "https://x/index.php?..." -> "https://x/index.php"; error on other schemes.
Result<std::string> NormalizeApiUrl(const std::string& url);
// The API URL without "index.php" (the manifest's source_url).
std::string SourceUrl(const std::string& api_url);

class MatomoClient {
 public:
  MatomoClient(std::shared_ptr<http::Transport> transport, ClientOptions options, std::string token);

  const std::string& api_url() const { return api_url_; }
  ClientStats& stats() { return stats_; }
  // Must be OK before calls (the URL was valid).
  const Status& init_status() const { return init_; }

  // Calls `method` with `params`; `parse` turns a successful body into T (a kTransient parse
  // error, such as a cut-off body, is retried like any other transient error).
  template <typename T>
  Result<T> Call(const std::string& method, const Params& params,
                 const std::function<Result<T>(std::string&& body)>& parse, CallInfo* info = nullptr) {
    return retry_.Run<T>(
        [&](std::optional<double>& retry_after) -> Result<T> {
          auto body = Once(method, params, retry_after, info);
          if (!body.ok()) {
            if (info && info->stop_on_query_timeout && info->query_timeout) {
              Error e = std::move(body).error();
              return Error(ErrorKind::kTerminal, e.message(), e.context());
            }
            return std::move(body).error();
          }
          return parse(std::move(body).value());
        },
        [&](const Error& e, int retry, double delay) { OnRetry(method, params, e, retry, delay); });
  }

  // Convenience: the body as is (validated JSON-ish, not an error object).
  Result<std::string> CallRaw(const std::string& method, const Params& params, CallInfo* info = nullptr);

 private:
  Result<std::string> Once(const std::string& method, const Params& params, std::optional<double>& retry_after,
                           CallInfo* info);
  void OnRetry(const std::string& method, const Params& params, const Error& e, int retry, double delay);
  // A failure to reach a server that never answered this client: a kConfig error with a hint
  // about `url` (after kFirstContactConnectRetries for a refused connection); otherwise `e` as is.
  Error FailFastIfNeverReached(Error e);

  std::shared_ptr<http::Transport> transport_;
  ClientOptions options_;
  std::string token_;
  std::string api_url_;
  Status init_ = OkStatus();
  http::RetryPolicy retry_;
  http::RateLimiter limiter_;
  http::ConcurrencyGate gate_;
  ClientStats stats_;
  std::atomic<bool> answered_{false};   // some HTTP response came back from the server
  std::atomic<bool> json_seen_{false};  // some answer was JSON (the URL is a Matomo API)
  std::atomic<int> refused_before_answer_{0};
};

}  // namespace metl::matomo
