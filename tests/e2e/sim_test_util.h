// Helpers shared by the matomo-sim end-to-end tests (sim_*_test.cc): API calls with the token in
// the POST body, JSON parsing, and reading the request log.
#pragma once

#include <curl/curl.h>
#include <simdjson.h>

#include <cctype>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"
#include "sim/dom_fields.h"

namespace metl::e2e::simtest {

constexpr const char* kNow = "2026-11-27 08:00:00";  // the clock the simulator pretends to have

inline std::string ApiUrl(const SimServer& sim, const std::string& query) {
  return sim.url() + "index.php?module=API&format=JSON&" + query;
}

// POST with token_auth in the body (the only place a secure-only token counts).
inline HttpResponse Api(const SimServer& sim, const std::string& query) {
  return HttpPost(ApiUrl(sim, query), "token_auth=" + UrlEncode(SimServer::kToken));
}

// A parsed JSON document that stays valid while the object lives.
class Json {
 public:
  explicit Json(const std::string& text) : padded_(text) { error_ = parser_.parse(padded_).get(root_); }
  bool ok() const { return error_ == simdjson::SUCCESS; }
  simdjson::dom::element root() const { return root_; }

 private:
  simdjson::padded_string padded_;
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
  simdjson::error_code error_;
};

// Integer value of a field that Matomo sends as a number or a numeric string; -1 if absent.
inline int64_t Int(simdjson::dom::element obj, const char* key) { return sim::IntField(obj, key, -1); }

inline std::string Str(simdjson::dom::element obj, const char* key) { return sim::StringField(obj, key); }

// The idVisit values of a Live response (empty if it is not an array).
inline std::vector<int64_t> VisitIds(const std::string& body) {
  std::vector<int64_t> ids;
  Json j(body);
  if (!j.ok() || !j.root().is_array()) return ids;
  for (auto v : simdjson::dom::array(j.root())) ids.push_back(Int(v, "idVisit"));
  return ids;
}

// Lines of the request log, waiting (briefly) until at least `n` are there.
inline std::vector<std::string> LogLines(const std::string& path, size_t n) {
  std::vector<std::string> lines;
  for (int i = 0; i < 100; ++i) {
    lines.clear();
    std::string text = ReadFile(path);
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) break;  // a partial line is not complete yet
      lines.push_back(text.substr(pos, nl - pos));
      pos = nl + 1;
    }
    if (lines.size() >= n) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return lines;
}

// A POST that also returns the response headers (the shared harness returns status and body only).
struct RawResponse {
  long status = 0;
  std::string headers;  // raw header block, lower-cased names
  std::string body;
  CURLcode code = CURLE_OK;
};
inline size_t RawAppend(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}
inline RawResponse RawPost(const std::string& url, const std::string& form, bool gzip = false) {
  RawResponse r;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, RawAppend);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, RawAppend);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (gzip) curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "gzip");
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form.c_str());
  r.code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  curl_easy_cleanup(curl);
  for (auto& c : r.headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

}  // namespace metl::e2e::simtest
