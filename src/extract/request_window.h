// Requests started in the last kRateWindowSeconds, from samples of a running request counter: the
// figure the progress line shows next to the limit. Measured over the limiter's own window it can
// never exceed the limit the client enforces, unlike a rate extrapolated from a few seconds (one
// request in the first half second read as 120 req/min under a limit of 30).
#pragma once

#include <cstdint>
#include <deque>
#include <utility>

namespace metl::extract {

class RequestWindow {
 public:
  explicit RequestWindow(double window_s);
  // Records the counter's value at `now_s` (seconds, non-decreasing).
  void Sample(double now_s, int64_t requests);
  // Requests counted after the oldest sample still inside the window (so over at most window_s).
  int64_t InWindow() const;

 private:
  double window_s_;
  std::deque<std::pair<double, int64_t>> samples_;  // (time, counter), oldest first
};

}  // namespace metl::extract
