// libFuzzer target: arbitrary Matomo HTTP responses (status + body) through the error classifier
// and, for the answers it accepts, the Live page parser. Checks the classifier's promises: every
// response gets a verdict, 429/5xx and non-JSON 200s are transient, error texts hold no control
// characters, and parsed visits point inside the body.
//
// Input: byte 0 picks the HTTP status, the rest is the body.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "matomo/api.h"
#include "matomo/classify.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

bool HasControl(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static constexpr long kStatuses[] = {200, 200, 200, 200, 401, 403, 404, 429, 500, 502, 503, 301, 302, 0, 204, 999};
  if (size == 0) return 0;
  metl::http::HttpResponse response;
  response.status = kStatuses[data[0] % 16];
  response.body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::string snippet = metl::matomo::Snippet(response.body);
  Check(snippet.size() <= 123);
  Check(!HasControl(snippet));

  metl::Status status = metl::matomo::ClassifyResponse(response);
  if (response.status == 429 || response.status >= 500) Check(!status.ok() && status.error().transient());
  if (!status.ok()) {
    Check(!status.error().message().empty());
    // The message quotes the body through Snippet only: no raw newlines reach a log line.
    Check(status.error().message().find('\n') == std::string::npos);
    return 0;
  }
  Check(response.status == 200);
  auto page = metl::matomo::ParseLivePage(std::string(response.body));
  if (page.ok()) {
    const char* begin = page->body.data();
    const char* end = begin + page->body.size();
    for (const auto& v : page->visits) Check(v.raw.data() >= begin && v.raw.data() + v.raw.size() <= end);
  } else {
    Check(page.error().transient());  // a malformed page is retried, never fatal
  }
  return 0;
}
