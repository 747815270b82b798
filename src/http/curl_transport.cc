#include "http/curl_transport.h"

#include <curl/curl.h>

#include <cctype>
#include <chrono>
#include <cstring>

namespace metl::http {
namespace {

struct Collector {
  HttpResponse* response;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* c = static_cast<Collector*>(user);
  c->response->body.append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* c = static_cast<Collector*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) c->response->retry_after_s.reset();  // a new response (after 100-continue)
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lower;
    for (size_t i = 0; i < kName.size(); ++i)
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(line[i])));
    if (lower == kName) c->response->retry_after_s = ParseRetryAfter(line.substr(kName.size()));
  }
  return size * n;
}

}  // namespace

std::string FormEncode(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Result<HttpResponse> CurlTransport::Post(const std::string& url, const std::string& form_body) {
  CURL* h = pool_.Acquire();
  HttpResponse response;
  Collector collector{&response};
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, form_body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(form_body.size()));
  auto rc = static_cast<CURLcode>(PerformTransfer(h, url, OnBody, OnHeader, &collector, errbuf, response.elapsed_s));
  if (rc == CURLE_OK) {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
    char* ct = nullptr;
    curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
    if (ct) response.content_type = ct;
  }
  // Drop the pointer into this call's body before the handle is reused.
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, nullptr);
  pool_.Release(h, rc == CURLE_OK);
  if (rc == CURLE_OK) return response;
  // Not reaching the server at all. Transient, since a server restarting mid-run refuses for a
  // moment and DNS can hiccup; MatomoClient fails fast on these until the server has answered once
  // (ReachFailureOf in transport.h), with a hint about `url`.
  std::string detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Error(ErrorKind::kTransient, std::string(kResolveFailed) + detail);
    case CURLE_COULDNT_CONNECT:
      return Error(ErrorKind::kTransient, std::string(kConnectFailed) + detail);
    case CURLE_SSL_CONNECT_ERROR:
      return Error(ErrorKind::kTransient, std::string(kTlsHandshakeFailed) + detail);
    default:
      return CurlFailure(rc, errbuf, "Matomo", "the `url` option");
  }
}

}  // namespace metl::http
