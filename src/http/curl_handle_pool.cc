#include "http/curl_handle_pool.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <ctime>

#include "core/version.h"

namespace metl::http {
namespace {

struct GlobalInit {
  GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

CurlHandlePool::CurlHandlePool(CurlOptions options) : options_(std::move(options)) {
  static GlobalInit init;
  if (options_.user_agent.empty()) options_.user_agent = METL_USER_AGENT;
}

CurlHandlePool::~CurlHandlePool() {
  for (CURL* h : idle_) curl_easy_cleanup(h);
}

void CurlHandlePool::ApplyCommonOptions(CURL* h) const {
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl supports (gzip, deflate, ...)
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, options_.connect_timeout_s);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, options_.timeout_s);
  curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect would drop the body (and may leak headers)
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (options_.insecure_skip_tls_verify) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
}

CURL* CurlHandlePool::Acquire() {
  CURL* h = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      h = idle_.back();
      idle_.pop_back();
    }
  }
  if (h != nullptr) {
    curl_easy_reset(h);  // drops the last request's options; keeps the connection cache
  } else {
    h = curl_easy_init();
  }
  ApplyCommonOptions(h);
  return h;
}

void CurlHandlePool::Release(CURL* handle, bool healthy) {
  if (!healthy) {
    curl_easy_cleanup(handle);
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(handle);
}

std::optional<double> ParseRetryAfter(std::string_view value) {
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
  if (value.empty()) return std::nullopt;
  std::string text(value);
  if (std::isdigit(static_cast<unsigned char>(text[0]))) return std::strtod(text.c_str(), nullptr);
  time_t when = curl_getdate(text.c_str(), nullptr);
  if (when <= 0) return std::nullopt;
  return std::max(0.0, static_cast<double>(when - std::time(nullptr)));
}

int PerformTransfer(CURL* h, const std::string& url, CurlCallback on_body, CurlCallback on_header, void* user,
                    char* errbuf, double& elapsed_s) {
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, user);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, user);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  auto start = std::chrono::steady_clock::now();
  CURLcode rc = curl_easy_perform(h);
  elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  return rc;
}

Error CurlFailure(int curl_code, const std::string& detail_in, std::string_view what, std::string_view url_option) {
  auto rc = static_cast<CURLcode>(curl_code);
  std::string detail = detail_in.empty() ? curl_easy_strerror(rc) : detail_in;
  std::string w(what);
  switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return Error(ErrorKind::kConfig, "bad " + w + " URL: " + detail).WithHint("check " + std::string(url_option));
    case CURLE_COULDNT_RESOLVE_HOST:
      return Error(ErrorKind::kConfig, "cannot resolve the " + w + " host: " + detail)
          .WithHint("check " + std::string(url_option) + " and the network or proxy settings");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return Error(ErrorKind::kConfig, "TLS verification failed: " + detail)
          .WithHint("set `ca_file` to the CA bundle that signed the server's certificate");
    case CURLE_OPERATION_TIMEDOUT:
      return Error(ErrorKind::kTransient, "request timed out (" + w + "): " + detail);
    default:
      return Error(ErrorKind::kTransient, "HTTP request failed (" + w + "): " + detail);
  }
}

}  // namespace metl::http
