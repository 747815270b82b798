// HttpClient over libcurl (the cloud APIs' transport): any method, request headers, a body from
// memory or streamed from a callback (Content-Length when its size is known, else chunked), the
// response body kept or streamed, the response headers lower-cased. Connections, timeouts, TLS and
// the user agent come from the shared CurlHandlePool, as for Matomo's CurlTransport.
#pragma once

#include <string>

#include "http/curl_handle_pool.h"
#include "http/http_client.h"

namespace metl::http {

class CurlHttpClient final : public HttpClient {
 public:
  // `service` names the far end in errors ("Google Cloud Storage"); `url_option` where its URL
  // comes from, for hints ("the `--landing` option").
  explicit CurlHttpClient(CurlOptions options, std::string service = "the server",
                          std::string url_option = "the configured URL")
      : pool_(std::move(options)), service_(std::move(service)), url_option_(std::move(url_option)) {}
  Result<HttpResult> Send(const HttpRequest& request) override;

 private:
  CurlHandlePool pool_;
  std::string service_;
  std::string url_option_;
};

}  // namespace metl::http
