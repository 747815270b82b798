// Adaptive Live page size, shared by all partitions of a run: halved when a page times out (the
// transport's timeout or Matomo's "Could not run the query in time") or is slow, never below the
// minimum; doubled back towards the configured size after a run of quick pages.
#pragma once

#include <cstdint>
#include <mutex>

namespace metl::extract {

class PageSizer {
 public:
  PageSizer(int64_t configured, double slow_page_s, int64_t minimum = 100)
      : max_(configured), min_(std::min(minimum, configured)), current_(configured), slow_s_(slow_page_s) {}

  int64_t current() const {
    std::lock_guard<std::mutex> lock(mu_);
    return current_;
  }
  int64_t minimum() const { return min_; }
  // A page of `size` timed out; returns the new size.
  int64_t OnTimeout(int64_t size) {
    std::lock_guard<std::mutex> lock(mu_);
    current_ = std::max(min_, std::min(current_, size / 2));
    good_ = 0;
    return current_;
  }
  void OnPage(int64_t size, double elapsed_s) {
    std::lock_guard<std::mutex> lock(mu_);
    if (elapsed_s > slow_s_) {
      current_ = std::max(min_, std::min(current_, size / 2));
      good_ = 0;
      return;
    }
    if (size >= current_ && ++good_ >= kGrowAfter && current_ < max_) {
      current_ = std::min(max_, current_ * 2);
      good_ = 0;
    }
  }

 private:
  static constexpr int kGrowAfter = 5;
  mutable std::mutex mu_;
  int64_t max_, min_, current_;
  double slow_s_;
  int good_ = 0;
};

}  // namespace metl::extract
