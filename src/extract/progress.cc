#include "extract/progress.h"

#include <unistd.h>

#include <cstdio>

#include "core/clock.h"
#include "core/log.h"
#include "http/rate_limiter.h"

namespace metl::extract {

ProgressDisplay::ProgressDisplay(const std::string& mode, int64_t total, const matomo::ClientStats* stats,
                                 const std::atomic<int64_t>* visits)
    : total_(total), stats_(stats), visits_(visits) {
  bool tty = ::isatty(STDERR_FILENO) == 1 && CurrentLogFormat() == LogFormat::kText;
  active_ = mode == "always" || (mode != "never" && tty);
  if (!active_) return;
  window_.Sample(MonotonicSeconds(), stats_->requests.load());
  thread_ = std::thread([this] { Loop(); });
}

ProgressDisplay::~ProgressDisplay() { Stop(); }

void ProgressDisplay::Stop() {
  if (!active_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  std::fprintf(stderr, "\r%s\n", Line().c_str());
}

std::string ProgressDisplay::Line() {
  int64_t req = stats_->requests.load();
  window_.Sample(MonotonicSeconds(), req);
  char buf[256];
  std::snprintf(
      buf, sizeof buf, "partitions %lld/%lld  visits %lld  requests %lld  retries %lld  %lld in the last %.0f s   ",
      static_cast<long long>(done_.load()), static_cast<long long>(total_), static_cast<long long>(visits_->load()),
      static_cast<long long>(req), static_cast<long long>(stats_->retries.load()),
      static_cast<long long>(window_.InWindow()), http::kRateWindowSeconds);
  return buf;
}

void ProgressDisplay::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    std::string line = Line();
    std::fprintf(stderr, "\r%s", line.c_str());
    std::fflush(stderr);
    cv_.wait_for(lock, std::chrono::milliseconds(500));
  }
}

}  // namespace metl::extract
