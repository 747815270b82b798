#include "http/curl_http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>

namespace metl::http {
namespace {

struct Transfer {
  CURL* handle = nullptr;
  const HttpRequest* request = nullptr;
  HttpResult* result = nullptr;
  size_t sent = 0;            // in-memory body bytes handed to libcurl so far
  bool receiver_cut = false;  // on_body asked to stop
  bool source_failed = false;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {  // a new response (after a 100 Continue): forget the last one's headers
    t->result->headers.clear();
    t->result->response.retry_after_s.reset();
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;  // the blank line ending the headers
  std::string name = Lower(Trim(line.substr(0, colon)));
  std::string value(Trim(line.substr(colon + 1)));
  if (name == "retry-after") t->result->response.retry_after_s = ParseRetryAfter(value);
  t->result->headers.emplace_back(std::move(name), std::move(value));
  return size * n;
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t bytes = size * n;
  if (t->request->on_body) {
    long status = 0;
    curl_easy_getinfo(t->handle, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) {
      if (!t->request->on_body(std::string_view(data, bytes))) {
        t->receiver_cut = true;
        return 0;  // CURLE_WRITE_ERROR ends the transfer
      }
      return bytes;
    }
  }
  t->result->response.body.append(data, bytes);
  return bytes;
}

size_t OnRead(char* buf, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const HttpRequest& r = *t->request;
  size_t want = size * n;
  if (r.body_source) return r.body_source(buf, want);
  size_t take = std::min(want, r.body.size() - t->sent);
  std::memcpy(buf, r.body.data() + t->sent, take);
  t->sent += take;
  return take;
}

// libcurl rewinds an upload when it must resend it (a redirect or an auth round): only an
// in-memory body can be rewound.
int OnSeek(void* user, curl_off_t offset, int origin) {
  auto* t = static_cast<Transfer*>(user);
  if (t->request->body_source || origin != SEEK_SET || offset < 0 ||
      static_cast<size_t>(offset) > t->request->body.size()) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  t->sent = static_cast<size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

bool HasHeader(const HeaderList& headers, std::string_view lower_name) {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return Lower(h.first) == lower_name; });
}

}  // namespace

const std::string* FindHeader(const HeaderList& headers, std::string_view lower_name) {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return &value;
  }
  return nullptr;
}

Result<HttpResult> CurlHttpClient::Send(const HttpRequest& request) {
  CURL* h = pool_.Acquire();
  HttpResult result;
  Transfer t{h, &request, &result};
  char errbuf[CURL_ERROR_SIZE] = {0};

  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers) {
    std::string line = name + ": " + value;
    headers = curl_slist_append(headers, line.c_str());
  }
  // No "Expect: 100-continue" round trip before a body: every server we talk to answers directly.
  headers = curl_slist_append(headers, "Expect:");

  const std::string& method = request.method;
  bool has_body =
      request.body_source || !request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (has_body) {
    // UPLOAD + a custom verb sends any method with a body read through OnRead: Content-Length when
    // the size is known, chunked transfer encoding otherwise.
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, OnRead);
    curl_easy_setopt(h, CURLOPT_READDATA, &t);
    curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, OnSeek);
    curl_easy_setopt(h, CURLOPT_SEEKDATA, &t);
    curl_off_t size =
        request.body_source ? static_cast<curl_off_t>(request.body_size) : static_cast<curl_off_t>(request.body.size());
    if (size >= 0) {
      curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, size);
    } else if (!HasHeader(request.headers, "transfer-encoding")) {
      headers = curl_slist_append(headers, "Transfer-Encoding: chunked");
    }
    if (!HasHeader(request.headers, "content-type")) headers = curl_slist_append(headers, "Content-Type:");
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  } else if (method != "GET") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  auto rc =
      static_cast<CURLcode>(PerformTransfer(h, request.url, OnBody, OnHeader, &t, errbuf, result.response.elapsed_s));
  if (rc == CURLE_OK) {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &result.response.status);
    if (const std::string* ct = FindHeader(result.headers, "content-type")) result.response.content_type = *ct;
  }
  // Drop the pointer to this call's header list before the handle is reused.
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);
  pool_.Release(h, rc == CURLE_OK);
  if (rc == CURLE_OK) return result;
  if (t.receiver_cut) {
    return Error(ErrorKind::kTransient, "the response from " + service_ + " was cut off by its receiver");
  }
  if (rc == CURLE_ABORTED_BY_CALLBACK || rc == CURLE_READ_ERROR) {
    return Error(ErrorKind::kTransient, "the request body for " + service_ + " could not be read");
  }
  // errbuf never holds a header value or a body: libcurl reports hosts, codes and byte counts.
  return CurlFailure(rc, errbuf, service_, url_option_);
}

}  // namespace metl::http
