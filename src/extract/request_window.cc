#include "extract/request_window.h"

namespace metl::extract {

RequestWindow::RequestWindow(double window_s) : window_s_(window_s) {}

void RequestWindow::Sample(double now_s, int64_t requests) {
  samples_.emplace_back(now_s, requests);
  // Keep the oldest sample at or after now - window: the count then spans at most the window.
  while (samples_.size() > 1 && samples_.front().first < now_s - window_s_) samples_.pop_front();
}

int64_t RequestWindow::InWindow() const {
  if (samples_.empty()) return 0;
  // Before the window is full, the first sample is the start (counter 0 at construction time).
  return samples_.back().second - samples_.front().second;
}

}  // namespace metl::extract
