// HTTP behind a small interface (DESIGN.md "I/O behind small interfaces"): the libcurl transport
// in production, a scripted fake in unit tests. Only POST with a form body is needed: Matomo takes
// every parameter in the body, which is where the token must travel.
#pragma once

#include <optional>
#include <string>

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
  // get one (timeout, reset, cut-off body, refused connection) is a kTransient error, a bad URL or
  // a TLS verification failure a kConfig error. Errors never contain the body. Thread-safe.
  virtual Result<HttpResponse> Post(const std::string& url, const std::string& form_body) = 0;
};

// application/x-www-form-urlencoded escaping of one key or value.
std::string FormEncode(const std::string& s);

}  // namespace metl::http
