#include "http/curl_transport.h"

#include <curl/curl.h>

#include <cctype>
#include <chrono>
#include <cstring>
#include <ctime>

#include "core/log.h"
#include "core/version.h"

namespace metl::http {
namespace {

struct GlobalInit {
  GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

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
    for (size_t i = 0; i < kName.size(); ++i) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(line[i])));
    if (lower == kName) {
      std::string value(line.substr(kName.size()));
      while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
      size_t start = value.find_first_not_of(' ');
      value = start == std::string::npos ? "" : value.substr(start);
      if (!value.empty() && std::isdigit(static_cast<unsigned char>(value[0]))) {
        c->response->retry_after_s = std::strtod(value.c_str(), nullptr);
      } else if (!value.empty()) {
        time_t when = curl_getdate(value.c_str(), nullptr);
        if (when > 0) c->response->retry_after_s = std::max(0.0, static_cast<double>(when - std::time(nullptr)));
      }
    }
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

CurlTransport::CurlTransport(CurlOptions options) : options_(std::move(options)) {
  static GlobalInit init;
  if (options_.user_agent.empty()) options_.user_agent = METL_USER_AGENT;
}

CurlTransport::~CurlTransport() {
  for (void* h : idle_) curl_easy_cleanup(static_cast<CURL*>(h));
}

void* CurlTransport::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      void* h = idle_.back();
      idle_.pop_back();
      return h;
    }
  }
  CURL* h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl supports (gzip, deflate, ...)
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, options_.connect_timeout_s);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, options_.timeout_s);
  curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect would drop the POST body; report it instead
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (options_.insecure_skip_tls_verify) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  return h;
}

void CurlTransport::Release(void* handle) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(handle);
}

Result<HttpResponse> CurlTransport::Post(const std::string& url, const std::string& form_body) {
  CURL* h = static_cast<CURL*>(Acquire());
  HttpResponse response;
  Collector collector{&response};
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, form_body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(form_body.size()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &collector);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &collector);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  auto start = std::chrono::steady_clock::now();
  CURLcode rc = curl_easy_perform(h);
  response.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (rc == CURLE_OK) {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
    char* ct = nullptr;
    curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
    if (ct) response.content_type = ct;
  }
  // Drop pointers into this call's stack before the handle is reused.
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, nullptr);
  if (rc != CURLE_OK) {
    // A failed connection may be half-dead; start the next request on a fresh handle.
    curl_easy_cleanup(h);
  } else {
    Release(h);
  }
  if (rc == CURLE_OK) return response;

  std::string detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return Error(ErrorKind::kConfig, "bad Matomo URL: " + detail).WithHint("check the `url` option");
    // Not reaching the server at all. Transient, since a server restarting mid-run refuses for a
    // moment and DNS can hiccup; the caller decides whether it has ever reached this server
    // (ReachFailureOf in transport.h) and fails fast on first contact.
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Error(ErrorKind::kTransient, std::string(kResolveFailed) + detail);
    case CURLE_COULDNT_CONNECT:
      return Error(ErrorKind::kTransient, std::string(kConnectFailed) + detail);
    case CURLE_SSL_CONNECT_ERROR:
      return Error(ErrorKind::kTransient, std::string(kTlsHandshakeFailed) + detail);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return Error(ErrorKind::kConfig, "TLS verification failed: " + detail)
          .WithHint("set `ca_file` to the CA bundle that signed the server's certificate");
    case CURLE_OPERATION_TIMEDOUT:
      return Error(ErrorKind::kTransient, "request timed out: " + detail);
    default:
      return Error(ErrorKind::kTransient, "HTTP request failed: " + detail);
  }
}

}  // namespace metl::http
