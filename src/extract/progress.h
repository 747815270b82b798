// Progress of an extraction: on a terminal, one line redrawn twice a second (partitions done of
// total, visits, requests, retries, and the requests of the last 60 s: the window the rate limit is
// counted over); otherwise nothing here, the run logs one line per partition instead.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "extract/request_window.h"
#include "http/rate_limiter.h"
#include "matomo/client.h"

namespace metl::extract {

class ProgressDisplay {
 public:
  // `mode`: auto (stderr is a terminal and logs are text), always, never.
  ProgressDisplay(const std::string& mode, int64_t total, const matomo::ClientStats* stats,
                  const std::atomic<int64_t>* visits);
  ~ProgressDisplay();
  bool active() const { return active_; }
  void PartitionDone() { ++done_; }
  void Stop();

 private:
  void Loop();
  std::string Line();
  bool active_ = false;
  int64_t total_;
  std::atomic<int64_t> done_{0};
  const matomo::ClientStats* stats_;
  const std::atomic<int64_t>* visits_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
  RequestWindow window_{http::kRateWindowSeconds};  // requests over the rate limiter's window
};

}  // namespace metl::extract
