// Fault injection (--rate-limit, --max-concurrent, --fail-5xx, --php-fatal, --cut-body,
// --random-errors, --latency-ms, --latency-per-visit-ms, --query-timeout-above, --late-data, --invalid-utf8).
// Random faults are a pure function of (--seed, fault kind, API call number), so a sequential
// client sees the same faults on every run.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "core/error.h"

namespace metl::sim {

// "0.25" = probability per API call; "every:N" = every Nth call (N, 2N, ...); "first:N" = the
// first N calls; "" or "0" = never.
struct FaultSpec {
  enum class Mode { kNever, kProbability, kEvery, kFirst };
  Mode mode = Mode::kNever;
  double probability = 0;
  uint64_t n = 0;
  static Result<FaultSpec> Parse(const std::string& text);
  bool active() const { return mode != Mode::kNever; }
  // Whether the fault fires on API call number `seq` (1-based).
  bool Fires(uint64_t seed, uint64_t salt, uint64_t seq) const;
};

struct FaultOptions {
  int64_t rate_limit_per_min = 0;  // 0 = off
  int64_t max_concurrent = 0;      // 0 = off
  FaultSpec fail_5xx;
  FaultSpec php_fatal;
  FaultSpec cut_body;
  FaultSpec random_errors;
  double latency_ms = 0;
  double latency_per_visit_ms = 0;
  int64_t query_timeout_above = 0;  // 0 = off; filter_limit above it (or -1) times out
  bool late_data = false;
  FaultSpec invalid_utf8;  // per visit (by idVisit), not per call: a visit is served the same bytes every time
};

enum class FaultKind {
  kNone,
  kRateLimit,
  kConcurrency,
  kFail5xx,
  kPhpFatal,
  kRandomError,
  kQueryTimeout,
  kCutBody,
  kInvalidUtf8
};
const char* FaultKindName(FaultKind kind);  // as written to the request log ("rate_limit", ...)

// A response a fault replaces the real answer with.
struct FaultResponse {
  FaultKind kind = FaultKind::kNone;
  int status = 200;
  std::string content_type;
  std::string body;
  int retry_after = 0;  // seconds; > 0 adds a Retry-After header
};

// A visit's JSON with a Latin-1 "é" (the lone byte 0xE9, invalid UTF-8) at the start of every non-null
// pageTitle, as a site that stored Latin-1 titles would send it; the JSON stays well-formed.
// `inserted` gets the number of invalid bytes.
std::string InsertInvalidUtf8(std::string_view visit_json, int64_t& inserted);

class FaultInjector {
 public:
  FaultInjector(FaultOptions options, uint64_t seed) : options_(std::move(options)), seed_(seed) {}
  const FaultOptions& options() const { return options_; }

  // Counts one API call in flight; the returned guard ends it.
  class InFlight {
   public:
    explicit InFlight(std::atomic<int64_t>& n) : n_(n), count_(++n) {}
    ~InFlight() { --n_; }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;
    int64_t count() const { return count_; }

   private:
    std::atomic<int64_t>& n_;
    int64_t count_;
  };
  InFlight Enter() { return InFlight(in_flight_); }

  // Numbers the next API call (1-based).
  uint64_t NextCall() { return ++calls_; }

  // Rate limit, concurrency, 5xx, PHP fatal and random errors, in that order; kNone = serve it.
  // `now_seconds` is monotonic time (tests pass their own).
  FaultResponse Decide(uint64_t call, int64_t in_flight, double now_seconds);
  // The "Could not run the query in time" error for a Live page size (-1 = all).
  bool QueryTimesOut(int64_t filter_limit) const;
  bool CutsBody(uint64_t call) const;
  // Whether visit `id_visit` is served with invalid UTF-8 in its page titles (--invalid-utf8).
  bool CorruptsVisit(int64_t id_visit) const;
  // Latency to add before answering a page of `visits` visits.
  double LatencyMs(size_t visits) const { return options_.latency_ms + options_.latency_per_visit_ms * visits; }

  static std::string QueryTimeoutMessage();

 private:
  FaultOptions options_;
  uint64_t seed_;
  std::atomic<uint64_t> calls_{0};
  std::atomic<int64_t> in_flight_{0};
  std::mutex mu_;
  std::deque<double> window_;  // times of the calls accepted in the last 60 s
};

}  // namespace metl::sim
