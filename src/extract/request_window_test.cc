// The progress line's request count is measured over the rate limiter's window, so it never shows
// more than the limit the client enforces (issue 17).
#include "extract/request_window.h"

#include <gtest/gtest.h>

#include "http/rate_limiter.h"

namespace metl::extract {
namespace {

// A run as fast as the limiter lets it: requests start when RateLimiter::Reserve says, the display
// samples the counter twice a second, as ProgressDisplay does.
void ExpectNeverAboveLimit(double per_minute, double seconds) {
  http::RateLimiter limiter(per_minute);
  RequestWindow window(http::kRateWindowSeconds);
  double next_request = limiter.Reserve(0);
  int64_t requests = 0;
  int64_t most = 0;
  window.Sample(0, 0);
  for (double t = 0.5; t <= seconds; t += 0.5) {
    while (next_request <= t) {
      ++requests;
      next_request += limiter.Reserve(next_request);  // the next caller asks as this one starts
    }
    window.Sample(t, requests);
    most = std::max(most, window.InWindow());
    EXPECT_LE(window.InWindow(), static_cast<int64_t>(per_minute)) << "at " << t << " s, limit " << per_minute;
  }
  // ... and it shows the real pace once the window is full (the 2% margin and a sample's granularity aside).
  EXPECT_GE(most, static_cast<int64_t>(per_minute * 0.95)) << per_minute;
}

TEST(RequestWindow, NeverShowsMoreThanTheLimit) {
  for (double limit : {30.0, 60.0, 200.0, 1000.0}) ExpectNeverAboveLimit(limit, 300);
}

TEST(RequestWindow, CountsOnlyTheLastWindow) {
  RequestWindow w(60);
  w.Sample(0, 0);
  w.Sample(10, 50);
  EXPECT_EQ(w.InWindow(), 50);
  w.Sample(65, 60);  // the sample at 0 s left the window; the one at 10 s is the start
  EXPECT_EQ(w.InWindow(), 10);
  w.Sample(200, 60);
  EXPECT_EQ(w.InWindow(), 0);
}

}  // namespace
}  // namespace metl::extract
