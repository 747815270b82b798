#include "http/rate_limiter.h"

#include <algorithm>

#include "core/clock.h"
#include "http/retry_policy.h"

namespace metl::http {

RateLimiter::RateLimiter(double per_minute, double burst, double margin)
    : interval_s_(kRateWindowSeconds / per_minute * (1.0 + margin)),
      burst_(std::max(1.0, burst)),
      now_(MonotonicSeconds) {}

double RateLimiter::Reserve(double now_s) {
  std::lock_guard<std::mutex> lock(mu_);
  // GCRA, the scheduling form of a token bucket: `next_free_s_` is the theoretical arrival time
  // of the next request; up to `burst` requests may run ahead of it.
  double tat = std::max(next_free_s_, now_s);
  double earliest = std::max(now_s, tat - (burst_ - 1) * interval_s_);
  next_free_s_ = tat + interval_s_;
  return earliest - now_s;
}

void RateLimiter::Acquire() { SleepSeconds(Reserve(now_())); }

void RateLimiter::Pause(double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  next_free_s_ = std::max(next_free_s_, now_() + seconds);
}

void ConcurrencyGate::Enter() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return available_ > 0; });
  --available_;
}

void ConcurrencyGate::Leave() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++available_;
  }
  cv_.notify_one();
}

}  // namespace metl::http
