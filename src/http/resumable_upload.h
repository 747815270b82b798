// Google's resumable media upload, shared by Cloud Storage objects (objstore/gcs_store.cc) and
// BigQuery load jobs (warehouse/bigquery/bq_client.cc); both APIs speak the same protocol
// (reference/BIGQUERY-GCS.md §2.2; cloud.google.com/bigquery/docs/reference/api-uploads):
//   1. POST .../upload/...?uploadType=resumable with the resource's metadata (an object, a Job)
//      -> 200 and the session URI in `Location`;
//   2. PUT the bytes in chunks, every chunk but the last a multiple of 256 KiB, each with
//      `Content-Range: bytes FIRST-LAST/TOTAL` (TOTAL `*` until the last chunk);
//      an intermediate chunk -> 308 and `Range: bytes=0-N` (N+1 bytes persisted; no Range: none);
//      the last chunk -> 200/201 and the resource (the object, the Job);
//   3. after a cut connection or a 408/429/5xx: a status query, `Content-Range: bytes */TOTAL`
//      (`*/*` while the total is unknown) with no body, says what the server persisted; the
//      upload resumes from there. A chunk is never assumed to have arrived whole.
// A 404 or 410 on the session means it expired or was cancelled: the error carries that status and
// the caller starts over (a new session). What is retried, and how long, is the shared RetryPolicy.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "http/http_client.h"
#include "http/retry_policy.h"

namespace metl::http {

inline constexpr int64_t kResumableQuantum = 256 * 1024;

// Fills up to n bytes of buf; 0 = the end.
using ByteSource = std::function<size_t(char* buf, size_t n)>;

// Reads from `source` until `buf` holds `target` bytes or the source ends (then sets `eof`).
void FillFrom(const ByteSource& source, std::string& buf, size_t target, bool& eof);

// Whether a session URI a server returned may receive our credentials: on the endpoint itself, or,
// for an endpoint of Google's (https://*.googleapis.com), on another https://*.googleapis.com host.
bool TrustedSessionUri(std::string_view endpoint, std::string_view location);

class ResumableUpload {
 public:
  struct Hooks {
    // One exchange carrying the caller's credentials (a 401 may be retried with a fresh token);
    // `make` builds the request anew for each send (a streamed body starts over).
    std::function<Result<HttpResult>(const std::function<HttpRequest()>& make)> send;
    // The caller's error for a final answer that is neither 2xx nor 308 (its 412, 409, hints, the
    // service's own message). A 408/429/5xx is retried whatever kind this returns.
    std::function<Error(const HttpResult&)> error_of;
    // Told before each retry's wait (for logs).
    std::function<void(const Error&, int retry, double delay_s)> on_retry;
  };

  // `what` names the upload in errors ("upload gs://b/k"); `chunk_size` is rounded down to a
  // multiple of 256 KiB (at least one).
  ResumableUpload(Hooks hooks, RetryPolicy& retry, std::string what, int64_t chunk_size);

  int64_t chunk_size() const { return chunk_size_; }
  // Requests sent to the session so far (chunks, resent chunks and status queries).
  int64_t requests() const { return requests_; }

  // Step 1: `init` through the retry policy; 200 with a trusted Location (TrustedSessionUri of
  // `endpoint`) gives the session URI.
  Result<std::string> Start(const std::function<HttpRequest()>& init, const std::string& endpoint);

  // Steps 2-3: everything `source` yields, after the bytes already read into `first` (`eof`: the
  // source is already exhausted). `observe` sees every byte once, in order, before its chunk is sent
  // (digests); `final_headers` adds headers to the last chunk (X-Goog-Hash). Returns the body of the
  // final answer: the resource.
  Result<std::string> Send(const std::string& session, const ByteSource& source, std::string first, bool eof,
                           const std::function<void(std::string_view)>& observe = {},
                           const std::function<HeaderList()>& final_headers = {});

 private:
  // Sends `data` (bytes [offset, offset + size)) until the session persisted all of it; `total`
  // >= 0 marks the last chunk, whose answer's body lands in `final_body`.
  Status SendChunk(const std::string& session, std::string_view data, int64_t offset, int64_t total,
                   const HeaderList& extra, std::string& final_body);
  Error Classify(const HttpResult& r, std::optional<double>& retry_after) const;

  Hooks hooks_;
  RetryPolicy& retry_;
  std::string what_;
  int64_t chunk_size_;
  int64_t requests_ = 0;
};

}  // namespace metl::http
