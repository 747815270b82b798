// Client-side request rate limit: a token bucket refilled at `per_minute` / 60 tokens per second
// holding at most `burst` tokens. The default burst of 1 spaces requests evenly, which is what a
// server counting requests in a sliding 60-second window (Matomo Cloud) tolerates; a 2% margin
// absorbs network jitter between our clock and the server's.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>

namespace metl::http {

// The window a per-minute limit is counted over (Matomo Cloud counts Live requests per IP in a sliding
// 60-second window); the progress display measures over the same window.
inline constexpr double kRateWindowSeconds = 60;

class RateLimiter {
 public:
  explicit RateLimiter(double per_minute, double burst = 1, double margin = 0.02);
  // Blocks until a request may start. Thread-safe; waiters are served in arrival order.
  void Acquire();
  // Seconds the caller must wait for a token taken now (the token is taken); for tests.
  double Reserve(double now_s);
  // After a 429, hold everyone back for `seconds`.
  void Pause(double seconds);

  void set_clock_for_test(std::function<double()> now) { now_ = std::move(now); }

 private:
  std::mutex mu_;
  double interval_s_;  // seconds per token
  double burst_;
  double next_free_s_ = 0;  // the time at which the bucket is next "empty" (virtual scheduling)
  std::function<double()> now_;
};

// Limits requests in flight (a counting semaphore).
class ConcurrencyGate {
 public:
  explicit ConcurrencyGate(int limit) : available_(limit) {}
  void Enter();
  void Leave();
  class Scope {
   public:
    explicit Scope(ConcurrencyGate& g) : g_(g) { g_.Enter(); }
    ~Scope() { g_.Leave(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    ConcurrencyGate& g_;
  };

 private:
  std::mutex mu_;
  std::condition_variable_any cv_;
  int available_;
};

}  // namespace metl::http
