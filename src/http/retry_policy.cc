#include "http/retry_policy.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

namespace metl::http {

void SleepSeconds(double s) {
  if (s > 0) std::this_thread::sleep_for(std::chrono::duration<double>(s));
}

RetryPolicy::RetryPolicy(RetryOptions options, uint64_t seed) : options_(options), rng_(seed), sleep_(SleepSeconds) {}

std::optional<double> RetryPolicy::Delay(int retry, std::optional<double> retry_after_s) {
  if (retry > options_.max_retries) return std::nullopt;
  double cap = std::min(options_.max_delay_s, options_.base_delay_s * std::pow(2.0, retry - 1));
  double jitter;
  {
    std::lock_guard<std::mutex> lock(mu_);
    jitter = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  }
  // "Equal jitter": at least half the exponential delay, so retries really back off, plus a
  // random half so that concurrent clients spread out.
  double delay = cap / 2 + jitter * cap / 2;
  if (retry_after_s) {
    if (*retry_after_s > options_.max_retry_after_s) return std::nullopt;
    // Never sooner than the server asked; a little jitter so that waiters do not return together.
    delay = std::max(delay * 0.25, 0.0) + *retry_after_s;
  }
  return delay;
}

}  // namespace metl::http
