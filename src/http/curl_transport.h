// Transport over libcurl: keep-alive connections (a pool of easy handles, one per concurrent
// request), gzip/deflate, connect and total timeouts, TLS verification (with a CA file option and
// a loudly warned opt-out), proxies from the environment (http_proxy, https_proxy, no_proxy, as
// libcurl reads them), and the user agent METL_USER_AGENT.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/transport.h"

namespace metl::http {

struct CurlOptions {
  long connect_timeout_s = 15;
  long timeout_s = 300;
  std::string ca_file;  // "" = the system's bundle
  bool insecure_skip_tls_verify = false;
  std::string user_agent;  // "" = METL_USER_AGENT
};

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(CurlOptions options);
  ~CurlTransport() override;
  Result<HttpResponse> Post(const std::string& url, const std::string& form_body) override;

 private:
  void* Acquire();
  void Release(void* handle);
  CurlOptions options_;
  std::mutex mu_;
  std::vector<void*> idle_;  // CURL* handles keeping their connections alive
};

}  // namespace metl::http
