// Transport over libcurl: keep-alive connections (a pool of easy handles, one per concurrent
// request), gzip/deflate, connect and total timeouts, TLS verification (with a CA file option and
// a loudly warned opt-out), proxies from the environment (http_proxy, https_proxy, no_proxy, as
// libcurl reads them), and the user agent METL_USER_AGENT.
#pragma once

#include "http/curl_handle_pool.h"
#include "http/transport.h"

namespace metl::http {

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(CurlOptions options) : pool_(std::move(options)) {}
  Result<HttpResponse> Post(const std::string& url, const std::string& form_body) override;

 private:
  CurlHandlePool pool_;
};

}  // namespace metl::http
