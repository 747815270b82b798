#include "http/resumable_upload.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace metl::http {
namespace {

bool RetryableStatus(long s) {
  return s == 408 || s == 429 || s >= 500;
}

// Bytes the session has persisted, from a 308's Range header ("bytes=0-N": N+1; none: 0).
int64_t Persisted(const HttpResult& r) {
  const std::string* range = FindHeader(r.headers, "range");
  if (range == nullptr) return 0;
  size_t dash = range->find('-');
  if (dash == std::string::npos) return 0;
  return std::atoll(range->c_str() + dash + 1) + 1;
}

// "https://host[:port]" of a URL ("" when it has no scheme).
std::string_view Origin(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  size_t end = url.find_first_of("/?#", scheme + 3);
  return url.substr(0, end);
}

bool GoogleApisHttps(std::string_view origin) {
  if (!origin.starts_with("https://")) return false;
  std::string_view host = origin.substr(8);
  return host.ends_with(".googleapis.com") && host.find_first_of(":@") == std::string_view::npos;
}

}  // namespace

void FillFrom(const ByteSource& source, std::string& buf, size_t target, bool& eof) {
  while (!eof && buf.size() < target) {
    size_t old = buf.size();
    buf.resize(target);
    size_t n = source(buf.data() + old, target - old);
    buf.resize(old + n);
    if (n == 0) eof = true;
  }
}

bool TrustedSessionUri(std::string_view endpoint, std::string_view location) {
  while (endpoint.ends_with("/")) endpoint.remove_suffix(1);
  if (location.size() > endpoint.size() && location.starts_with(endpoint) && location[endpoint.size()] == '/') {
    return true;
  }
  // Google may hand out the session on a sibling host (www.googleapis.com for bigquery.googleapis.com).
  return GoogleApisHttps(Origin(endpoint)) && GoogleApisHttps(Origin(location)) &&
         location.size() > Origin(location).size();
}

ResumableUpload::ResumableUpload(Hooks hooks, RetryPolicy& retry, std::string what, int64_t chunk_size)
    : hooks_(std::move(hooks)),
      retry_(retry),
      what_(std::move(what)),
      chunk_size_(std::max<int64_t>(kResumableQuantum, chunk_size / kResumableQuantum * kResumableQuantum)) {}

// A non-2xx, non-308 answer: the caller's error, made transient for 408/429/5xx (Retry-After kept).
Error ResumableUpload::Classify(const HttpResult& r, std::optional<double>& retry_after) const {
  Error e = hooks_.error_of(r);
  const long s = r.response.status;
  if (!RetryableStatus(s)) return e;
  retry_after = r.response.retry_after_s;
  ErrorContext context = e.context();
  context.http_status = static_cast<int>(s);
  return Error(ErrorKind::kTransient, e.message(), std::move(context));
}

Result<std::string> ResumableUpload::Start(const std::function<HttpRequest()>& init, const std::string& endpoint) {
  return retry_.Run<std::string>(
      [&](std::optional<double>& retry_after) -> Result<std::string> {
        METL_ASSIGN_OR_RETURN(HttpResult r, hooks_.send(init));
        const std::string* location = FindHeader(r.headers, "location");
        if (r.response.status != 200) return Classify(r, retry_after);
        if (location == nullptr) {
          return Error(ErrorKind::kTransient, what_ + ": the server started no upload session (no Location header)");
        }
        // The session URI receives the token with every chunk: only on a host we trust with it.
        if (!TrustedSessionUri(endpoint, *location)) {
          return Error(ErrorKind::kTerminal, what_ + ": the server returned an upload session on another host: " +
                                                 std::string(Origin(*location)));
        }
        return *location;
      },
      hooks_.on_retry);
}

Result<std::string> ResumableUpload::Send(const std::string& session, const ByteSource& source, std::string first,
                                          bool eof, const std::function<void(std::string_view)>& observe,
                                          const std::function<HeaderList()>& final_headers) {
  std::string cur = std::move(first), next;
  int64_t offset = 0;
  const size_t chunk = static_cast<size_t>(chunk_size_);
  FillFrom(source, cur, chunk, eof);
  for (;;) {
    FillFrom(source, next, chunk, eof);  // look ahead: is `cur` the last chunk?
    const bool last = next.empty() && eof;
    if (observe) observe(cur);
    const int64_t total = last ? offset + static_cast<int64_t>(cur.size()) : -1;
    HeaderList extra;
    if (last && final_headers) extra = final_headers();
    std::string final_body;
    METL_TRY(SendChunk(session, cur, offset, total, extra, final_body));
    offset += static_cast<int64_t>(cur.size());
    if (last) return final_body;
    cur.swap(next);
    next.clear();
  }
}

Status ResumableUpload::SendChunk(const std::string& session, std::string_view data, int64_t offset, int64_t total,
                                  const HeaderList& extra, std::string& final_body) {
  bool need_query = false;
  int64_t persisted = offset;
  const int64_t end = offset + static_cast<int64_t>(data.size());
  const std::string total_text = total >= 0 ? std::to_string(total) : "*";
  auto sent = retry_.Run<Ok>(
      [&](std::optional<double>& retry_after) -> Result<Ok> {
        for (;;) {
          bool query = need_query;
          if (!query && persisted >= end) {
            if (total < 0) return Ok{};  // the whole chunk is stored
            query = true;                // every byte sent: ask for the resource
          }
          const int64_t from = persisted;
          auto make = [&] {
            HttpRequest req{.method = "PUT", .url = session};
            if (query) {
              req.headers = {{"Content-Range", "bytes */" + total_text}};  // no body
              return req;
            }
            req.headers = {
                {"Content-Range", "bytes " + std::to_string(from) + "-" + std::to_string(end - 1) + "/" + total_text}};
            if (total >= 0) req.headers.insert(req.headers.end(), extra.begin(), extra.end());
            // A fresh cursor for each send: the bytes from what the server confirmed.
            std::string_view rest = data.substr(static_cast<size_t>(from - offset));
            auto pos = std::make_shared<size_t>(0);
            req.body_size = static_cast<int64_t>(rest.size());
            req.body_source = [rest, pos](char* buf, size_t n) {
              size_t take = std::min(n, rest.size() - *pos);
              std::memcpy(buf, rest.data() + *pos, take);
              *pos += take;
              return take;
            };
            return req;
          };
          ++requests_;
          auto r = hooks_.send(make);
          if (!r.ok()) {
            if (r.error().transient()) need_query = true;  // cut: where did it stop?
            return std::move(r).error();
          }
          const long s = r->response.status;
          if (s == 308) {
            need_query = false;
            const int64_t now = Persisted(*r);
            if (now < offset) {
              return Error(ErrorKind::kTerminal, what_ + ": the server lost bytes it had confirmed (it has " +
                                                     std::to_string(now) + ", had " + std::to_string(offset) + ")");
            }
            if (now > end) {
              return Error(ErrorKind::kTerminal, what_ + ": the server says it has " + std::to_string(now) +
                                                     " bytes, more than the " + std::to_string(end) + " sent");
            }
            if (!query && now == from) {
              // Bytes sent and none taken: count it against the retries instead of looping.
              return Error(ErrorKind::kTransient, what_ + ": the server persisted none of a chunk");
            }
            persisted = now;
            continue;  // send what is missing, or finish
          }
          if (s == 200 || s == 201) {
            if (total < 0) {
              return Error(ErrorKind::kTerminal, what_ + ": the server completed the upload before its last chunk");
            }
            final_body = std::move(r->response.body);
            return Ok{};
          }
          if (s == 404 || s == 410) {  // the caller may start over with a new session
            Error e = hooks_.error_of(*r);
            return Error(ErrorKind::kTerminal,
                         what_ + ": the upload session expired or was cancelled (HTTP " + std::to_string(s) +
                             "): " + e.message(),
                         e.context())
                .WithHttpStatus(static_cast<int>(s));
          }
          if (RetryableStatus(s)) need_query = true;  // a 5xx may have stored part of the chunk
          return Classify(*r, retry_after);
        }
      },
      hooks_.on_retry);
  if (!sent.ok()) return std::move(sent).error();
  return OkStatus();
}

}  // namespace metl::http
