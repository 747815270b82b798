// libcurl easy handles shared by CurlTransport and CurlHttpClient: one pool per client, handles kept
// (and with them their keep-alive connections) between requests, the common options (timeouts, TLS,
// user agent, protocols) applied in one place, and the Retry-After parser both use.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

typedef void CURL;  // NOLINT: libcurl's own typedef, repeated so that callers need not include curl.h

namespace metl::http {

struct CurlOptions {
  long connect_timeout_s = 15;
  long timeout_s = 300;
  std::string ca_file;  // "" = the system's bundle
  bool insecure_skip_tls_verify = false;
  std::string user_agent;  // "" = METL_USER_AGENT
};

class CurlHandlePool {
 public:
  explicit CurlHandlePool(CurlOptions options);
  ~CurlHandlePool();
  CurlHandlePool(const CurlHandlePool&) = delete;
  CurlHandlePool& operator=(const CurlHandlePool&) = delete;

  const CurlOptions& options() const { return options_; }
  // A handle with only the common options set (a reused one is reset, its connections kept).
  CURL* Acquire();
  // `healthy` = the transfer ended cleanly; a failed connection may be half-dead, so its handle is
  // closed and the next request starts on a fresh one.
  void Release(CURL* handle, bool healthy);

 private:
  void ApplyCommonOptions(CURL* h) const;
  CurlOptions options_;
  std::mutex mu_;
  std::vector<CURL*> idle_;
};

// The part of a transfer both clients share: the URL, the body and header callbacks (both given
// `user`), the error buffer (CURL_ERROR_SIZE bytes), the perform and its duration in `elapsed_s`.
// The error buffer, on the caller's stack, is detached again before the handle goes back to the pool.
// Returns libcurl's CURLcode.
using CurlCallback = size_t (*)(char* data, size_t size, size_t n, void* user);
int PerformTransfer(CURL* h, const std::string& url, CurlCallback on_body, CurlCallback on_header, void* user,
                    char* errbuf, double& elapsed_s);

// A Retry-After header's value, delay-seconds or an HTTP date, as seconds from now.
std::optional<double> ParseRetryAfter(std::string_view value);

// libcurl's result code as our error, for a request to `what` ("Matomo", "Google Cloud Storage"...);
// `url_option` names where the URL came from, for the hint ("the `url` option"). `detail` is
// libcurl's error buffer: it names hosts and timeouts, never header values or bodies.
Error CurlFailure(int curl_code, const std::string& detail, std::string_view what, std::string_view url_option);

}  // namespace metl::http
