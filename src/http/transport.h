// HTTP behind a small interface (DESIGN.md "I/O behind small interfaces"): the libcurl transport
// in production, a scripted fake in unit tests. Only POST with a form body is needed: Matomo takes
// every parameter in the body, which is where the token must travel.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace metl::http {

struct HttpResponse {
  long status = 0;
  std::string content_type;
  std::string body;
  std::optional<double> retry_after_s;  // from a Retry-After header (seconds or HTTP date)
  double elapsed_s = 0;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // POSTs an application/x-www-form-urlencoded body. Any HTTP status is a response; a failure to
  // get one (timeout, reset, cut-off body, refused connection, unknown host, failed TLS handshake) is a
  // kTransient error, a bad URL or
  // a TLS verification failure a kConfig error. Errors never contain the body. Thread-safe.
  virtual Result<HttpResponse> Post(const std::string& url, const std::string& form_body) = 0;
};

// Failures to reach a server at all, told apart by the start of the error message (the transport
// writes these prefixes): a wrong host name, nothing listening at the host and port, or no TLS
// spoken there (an https:// URL on a plain-HTTP port).
inline constexpr std::string_view kResolveFailed = "cannot resolve the host: ";
inline constexpr std::string_view kConnectFailed = "cannot connect to the server: ";
inline constexpr std::string_view kTlsHandshakeFailed = "TLS handshake failed: ";
enum class ReachFailure { kNone, kResolve, kConnect, kTls };
inline ReachFailure ReachFailureOf(const Error& e) {
  const std::string& m = e.message();
  if (m.starts_with(kResolveFailed)) return ReachFailure::kResolve;
  if (m.starts_with(kConnectFailed)) return ReachFailure::kConnect;
  if (m.starts_with(kTlsHandshakeFailed)) return ReachFailure::kTls;
  return ReachFailure::kNone;
}

// application/x-www-form-urlencoded escaping of one key or value.
std::string FormEncode(const std::string& s);

}  // namespace metl::http
