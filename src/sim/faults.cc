#include "sim/faults.h"

#include <cmath>
#include <cstdlib>

namespace metl::sim {
namespace {

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double Unit(uint64_t seed, uint64_t salt, uint64_t seq) {
  uint64_t h = SplitMix64(SplitMix64(seed ^ (salt * 0x100000001b3ULL)) ^ seq);
  return static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0);
}

enum Salt : uint64_t { kSalt5xx = 1, kSalt5xxCode, kSaltFatal, kSaltRandom, kSaltRandomMsg, kSaltCut, kSaltUtf8 };

std::string HtmlPage(int status, const char* reason) {
  std::string title = std::to_string(status) + " " + reason;
  return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
         "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
}

}  // namespace

Result<FaultSpec> FaultSpec::Parse(const std::string& text) {
  FaultSpec spec;
  if (text.empty()) return spec;
  auto parse_n = [&](const std::string& digits) -> Result<uint64_t> {
    char* end = nullptr;
    unsigned long long n = std::strtoull(digits.c_str(), &end, 10);
    if (digits.empty() || *end != '\0' || n == 0) {
      return Error(ErrorKind::kConfig, "bad fault schedule '" + text + "'",
                   {.hint = "use a probability 0..1, every:N or first:N"});
    }
    return static_cast<uint64_t>(n);
  };
  if (text.rfind("every:", 0) == 0) {
    METL_ASSIGN_OR_RETURN(spec.n, parse_n(text.substr(6)));
    spec.mode = Mode::kEvery;
    return spec;
  }
  if (text.rfind("first:", 0) == 0) {
    METL_ASSIGN_OR_RETURN(spec.n, parse_n(text.substr(6)));
    spec.mode = Mode::kFirst;
    return spec;
  }
  char* end = nullptr;
  double p = std::strtod(text.c_str(), &end);
  if (*end != '\0' || !(p >= 0 && p <= 1)) {
    return Error(ErrorKind::kConfig, "bad fault rate '" + text + "'",
                 {.hint = "use a probability 0..1, every:N or first:N"});
  }
  if (p > 0) {
    spec.mode = Mode::kProbability;
    spec.probability = p;
  }
  return spec;
}

bool FaultSpec::Fires(uint64_t seed, uint64_t salt, uint64_t seq) const {
  switch (mode) {
    case Mode::kNever:
      return false;
    case Mode::kProbability:
      return Unit(seed, salt, seq) < probability;
    case Mode::kEvery:
      return seq % n == 0;
    case Mode::kFirst:
      return seq <= n;
  }
  return false;
}

const char* FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kNone:
      return "none";
    case FaultKind::kRateLimit:
      return "rate_limit";
    case FaultKind::kConcurrency:
      return "max_concurrent";
    case FaultKind::kFail5xx:
      return "fail_5xx";
    case FaultKind::kPhpFatal:
      return "php_fatal";
    case FaultKind::kRandomError:
      return "random_error";
    case FaultKind::kQueryTimeout:
      return "query_timeout";
    case FaultKind::kCutBody:
      return "cut_body";
    case FaultKind::kInvalidUtf8:
      return "invalid_utf8";
  }
  return "none";
}

std::string FaultInjector::QueryTimeoutMessage() {
  return "Could not run the query in time. Maybe the selected date range is too wide?";
}

FaultResponse FaultInjector::Decide(uint64_t call, int64_t in_flight, double now_seconds) {
  FaultResponse r;
  if (options_.max_concurrent > 0 && in_flight > options_.max_concurrent) {
    r.kind = FaultKind::kConcurrency;
    r.status = 429;
    r.retry_after = 1;
    r.content_type = "text/html; charset=utf-8";
    r.body = HtmlPage(429, "Too Many Requests");
    return r;
  }
  if (options_.rate_limit_per_min > 0) {
    std::lock_guard<std::mutex> lock(mu_);
    while (!window_.empty() && window_.front() <= now_seconds - 60) window_.pop_front();
    if (static_cast<int64_t>(window_.size()) >= options_.rate_limit_per_min) {
      r.kind = FaultKind::kRateLimit;
      r.status = 429;
      r.retry_after = std::max(1, static_cast<int>(std::ceil(window_.front() + 60 - now_seconds)));
      r.content_type = "text/html; charset=utf-8";
      r.body = HtmlPage(429, "Too Many Requests");
      return r;
    }
    window_.push_back(now_seconds);
  }
  if (options_.fail_5xx.Fires(seed_, kSalt5xx, call)) {
    static const int kCodes[] = {500, 502, 503, 504};
    static const char* kReasons[] = {"Internal Server Error", "Bad Gateway", "Service Unavailable", "Gateway Time-out"};
    auto i = static_cast<size_t>(Unit(seed_, kSalt5xxCode, call) * 4) % 4;
    r.kind = FaultKind::kFail5xx;
    r.status = kCodes[i];
    r.content_type = "text/html; charset=utf-8";
    r.body = HtmlPage(kCodes[i], kReasons[i]);
    return r;
  }
  if (options_.php_fatal.Fires(seed_, kSaltFatal, call)) {
    r.kind = FaultKind::kPhpFatal;
    r.status = 200;
    r.content_type = "text/html; charset=UTF-8";
    r.body =
        "<br />\n<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 "
        "bytes) in <b>/var/www/html/core/DataTable/Renderer/Json.php</b> on line <b>60</b><br />\n";
    return r;
  }
  if (options_.random_errors.Fires(seed_, kSaltRandom, call)) {
    static const char* kMessages[] = {
        "SQLSTATE[40001]: Serialization failure: 1213 Deadlock found when trying to get lock; try restarting "
        "transaction",
        "SQLSTATE[HY000]: General error: 2006 MySQL server has gone away",
        "SQLSTATE[HY000] [2002] Connection refused",
        "Mysqli statement execute error : Lost connection to MySQL server during query",
    };
    auto i = static_cast<size_t>(Unit(seed_, kSaltRandomMsg, call) * 4) % 4;
    r.kind = FaultKind::kRandomError;
    r.status = 200;
    r.content_type = "application/json; charset=utf-8";
    r.body = kMessages[i];  // the server wraps it as a Matomo error object
    return r;
  }
  return r;
}

bool FaultInjector::QueryTimesOut(int64_t filter_limit) const {
  if (options_.query_timeout_above <= 0) return false;
  return filter_limit < 0 || filter_limit > options_.query_timeout_above;
}

bool FaultInjector::CutsBody(uint64_t call) const {
  return options_.cut_body.Fires(seed_, kSaltCut, call);
}

bool FaultInjector::CorruptsVisit(int64_t id_visit) const {
  return options_.invalid_utf8.Fires(seed_, kSaltUtf8, static_cast<uint64_t>(id_visit));
}

std::string InsertInvalidUtf8(std::string_view visit_json, int64_t& inserted) {
  static constexpr std::string_view kKey = "\"pageTitle\":\"";
  inserted = 0;
  std::string out;
  out.reserve(visit_json.size() + 16);
  size_t pos = 0;
  for (size_t at; (at = visit_json.find(kKey, pos)) != std::string_view::npos; pos = at + kKey.size()) {
    out.append(visit_json.substr(pos, at + kKey.size() - pos));
    out += '\xE9';
    ++inserted;
  }
  out.append(visit_json.substr(pos));
  return out;
}

}  // namespace metl::sim
