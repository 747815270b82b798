// Clock behind an interface so that "today", closed days and freshness are testable (--now).
#pragma once

#include <chrono>
#include <cstdint>

namespace metl {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowEpochSeconds() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowEpochSeconds() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock pinned at a moment (`--now`), still advancing with real time so that durations work.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(int64_t now, bool advance = false)
      : now_(now), advance_(advance), started_(std::chrono::steady_clock::now()) {}
  int64_t NowEpochSeconds() const override {
    if (!advance_) return now_;
    return now_ + std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_).count();
  }

 private:
  int64_t now_;
  bool advance_;
  std::chrono::steady_clock::time_point started_;
};

// Monotonic seconds for measuring durations and rates.
inline double MonotonicSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace metl
