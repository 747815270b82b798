#include "extract/progress.h"

#include <unistd.h>

#include <cstdio>

#include "core/clock.h"
#include "core/log.h"

namespace metl::extract {

ProgressDisplay::ProgressDisplay(const std::string& mode, int64_t total, const matomo::ClientStats* stats,
                                 const std::atomic<int64_t>* visits)
    : total_(total), stats_(stats), visits_(visits) {
  // With JSON logs every stderr line must be a JSON object: no redrawn line, even with `always`.
  const bool text_logs = CurrentLogFormat() == LogFormat::kText;
  bool tty = ::isatty(STDERR_FILENO) == 1;
  active_ = text_logs && (mode == "always" || (mode != "never" && tty));
  if (!active_) return;
  start_s_ = window_start_s_ = MonotonicSeconds();
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
  double now = MonotonicSeconds();
  int64_t req = stats_->requests.load();
  if (now - window_start_s_ >= 5) {  // request rate over the last few seconds
    rate_per_min_ = (req - window_requests_) / (now - window_start_s_) * 60;
    window_start_s_ = now;
    window_requests_ = req;
  } else if (rate_per_min_ == 0 && now > start_s_ + 0.5) {
    rate_per_min_ = req / (now - start_s_) * 60;
  }
  char buf[256];
  std::snprintf(buf, sizeof buf, "partitions %lld/%lld  visits %lld  requests %lld  retries %lld  %.0f req/min   ",
                static_cast<long long>(done_.load()), static_cast<long long>(total_),
                static_cast<long long>(visits_->load()), static_cast<long long>(req),
                static_cast<long long>(stats_->retries.load()), rate_per_min_);
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
