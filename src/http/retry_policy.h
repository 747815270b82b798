// The one retry policy of every Matomo call (DESIGN.md "Errors"): only kTransient errors are
// retried, with exponential backoff and full jitter, a server's Retry-After honoured (never
// retried sooner), and a bound on the number of retries and on each wait.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <random>

#include "core/error.h"

namespace metl::http {

struct RetryOptions {
  int max_retries = 8;
  double base_delay_s = 0.5;
  double max_delay_s = 30;         // cap of the exponential part
  double max_retry_after_s = 600;  // a longer Retry-After is not waited for: the call fails
};

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options = {}, uint64_t seed = std::random_device{}());

  const RetryOptions& options() const { return options_; }
  // Delay before retry number `retry` (1-based), or nullopt when no more retries are allowed.
  std::optional<double> Delay(int retry, std::optional<double> retry_after_s);

  // Runs `attempt` until it succeeds, fails terminally, or retries run out. `attempt` reports a
  // server's Retry-After through its argument. `on_retry(error, retry, delay)` is told before
  // each wait (for logs and counters). `sleep` is injectable for tests.
  template <typename T>
  Result<T> Run(const std::function<Result<T>(std::optional<double>& retry_after)>& attempt,
                const std::function<void(const Error&, int, double)>& on_retry = {}) {
    for (int retry = 1;; ++retry) {
      std::optional<double> retry_after;
      Result<T> r = attempt(retry_after);
      if (r.ok() || !r.error().transient()) return r;
      std::optional<double> delay = Delay(retry, retry_after);
      if (!delay) {
        Error e = std::move(r).error();
        return Error(e.kind(), e.message() + " (gave up after " + std::to_string(retry - 1) + " retries)",
                     e.context());
      }
      if (on_retry) on_retry(r.error(), retry, *delay);
      sleep_(*delay);
    }
  }

  void set_sleep_for_test(std::function<void(double)> sleep) { sleep_ = std::move(sleep); }

 private:
  RetryOptions options_;
  std::mutex mu_;
  std::mt19937_64 rng_;
  std::function<void(double)> sleep_;
};

void SleepSeconds(double s);

}  // namespace metl::http
