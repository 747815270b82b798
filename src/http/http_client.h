// General HTTP requests for cloud APIs (GCS, BigQuery, S3): any method, headers, a body from memory
// or streamed from a callback, a response body kept or streamed to a callback, and the response's
// headers. Matomo's form POSTs keep the narrower Transport (transport.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "http/transport.h"

namespace metl::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";  // GET, PUT, POST, PATCH, DELETE, HEAD
  std::string url;             // never carries a secret (tokens travel in headers or bodies)
  HeaderList headers;          // e.g. {"Authorization", "Bearer ..."}: never logged
  std::string body;            // used when body_source is empty
  // Streams the body instead: fills up to `n` bytes of `buf`, returns how many (0 = end). With
  // body_size >= 0 the request sends a Content-Length, else chunked transfer encoding.
  std::function<size_t(char* buf, size_t n)> body_source;
  int64_t body_size = -1;
  // Receives the response body in pieces instead of HttpResponse::body; returning false cuts the
  // transfer (a kTransient error). Called only for 2xx responses; other bodies are kept for errors.
  std::function<bool(std::string_view chunk)> on_body;
};

// The response's headers: names lower-cased, in arrival order.
const std::string* FindHeader(const HeaderList& headers, std::string_view lower_name);

struct HttpResult {
  HttpResponse response;  // status, content type, body (unless streamed), Retry-After
  HeaderList headers;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Any HTTP status is a result; a failure to get one (timeout, reset, refused connection, cut-off
  // body) is kTransient, a bad URL or a TLS verification failure kConfig. Errors never contain a
  // header value or a body. Thread-safe.
  virtual Result<HttpResult> Send(const HttpRequest& request) = 0;
};

}  // namespace metl::http
