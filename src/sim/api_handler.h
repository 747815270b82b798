// The simulator's API logic, independent of HTTP: one ApiRequest in, one ApiResponse out.
// Order of checks follows Matomo: renderer format, token, method, mandatory parameters, access,
// then (for API calls that passed auth) fault injection, then the site, segment, period and date.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "sim/dataset.h"
#include "sim/faults.h"
#include "sim/live_query.h"
#include "sim/request.h"

namespace metl::sim {

// A JSON array body assembled from pieces without copying visit JSON (Live pages can be
// hundreds of MB). `pieces` point into `list`'s visits or into `owned`.
struct PiecewiseBody {
  VisitList list;
  std::vector<std::string> owned;
  std::vector<std::string_view> pieces;  // "[" , visit, ",", visit, ..., "]" written as one stream
  size_t size = 0;
  void Add(std::string_view piece) {
    pieces.push_back(piece);
    size += piece.size();
  }
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;                       // used when `stream` is null
  std::shared_ptr<PiecewiseBody> stream;  // large Live pages
  int retry_after = 0;                    // seconds, > 0 sets Retry-After
  FaultKind fault = FaultKind::kNone;
  bool cut_body = false;  // send half of the body, then close the connection
  double latency_ms = 0;  // waited before answering (--latency-ms + per visit)
  size_t visits = 0;      // visits in a Live page
  size_t size() const { return stream ? stream->size : body.size(); }
};

struct HandlerOptions {
  std::string token = "sim-token";
  bool allow_token_in_query = false;
  uint64_t seed = 1;
  FaultOptions faults;
};

class ApiHandler {
 public:
  ApiHandler(std::shared_ptr<const Dataset> dataset, std::shared_ptr<const Clock> clock, HandlerOptions options);

  // Thread-safe. `now_monotonic` feeds the rate limiter.
  ApiResponse Handle(const ApiRequest& req, double now_monotonic);

  FaultInjector& faults() { return faults_; }

  // The day's visits the APIs serve now: the dataset's, plus its late visits once released.
  void DayVisitsNow(const SimSite& site, CivilDate day, VisitList& out) const;

 private:
  ApiResponse Dispatch(const ApiRequest& req, const std::string& module, const std::string& action, bool xml,
                       uint64_t call);
  ApiResponse Live(const ApiRequest& req, const SimSite& site, bool xml, uint64_t call);
  ApiResponse Aggregate(const ApiRequest& req, const std::string& method, const SimSite& site, bool xml);
  bool Released(int64_t site, CivilDate day) const;
  // Marks the late visits of a past day to be released after this first Live request.
  void NoteLiveRequest(const SimSite& site, CivilDate day);

  std::shared_ptr<const Dataset> dataset_;
  std::shared_ptr<const Clock> clock_;
  HandlerOptions options_;
  FaultInjector faults_;
  mutable std::mutex mu_;
  std::set<std::pair<int64_t, int64_t>> released_;  // (site, day) whose late visits are served
};

// Matomo's error responses.
ApiResponse ErrorResponse(std::string_view message, bool xml, int status = 200);

}  // namespace metl::sim
