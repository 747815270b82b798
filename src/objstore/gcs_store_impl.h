// GcsObjectStore's state and request plumbing, shared by its two halves: gcs_store.cc (stat, get,
// list, delete, the bucket) and gcs_upload.cc (put: multipart or resumable). Internal to src/objstore/.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "cloud/access_token.h"
#include "core/digest.h"
#include "http/http_client.h"
#include "http/retry_policy.h"
#include "objstore/gcs_store.h"

namespace metl::objstore {

// Object names and query values: every byte but RFC 3986's unreserved ones percent-encoded ('/' too,
// as GCS wants it inside an object name).
std::string GcsEncode(std::string_view s);
// GCS's {"error":{"message":...}}, or "" when the body is something else.
std::string GcsErrorMessage(const std::string& body);
Error GcsPreconditionFailed(const std::string& where);

// An object's MD5 and CRC32C (big-endian), base64, as GCS reports them.
struct GcsDigests {
  std::string md5_b64, crc32c_b64;
};
GcsDigests GcsDigestsOf(Md5& md5, const Crc32c& crc);

struct GcsObjectStore::Impl {
  std::string bucket, prefix, endpoint;
  std::shared_ptr<http::HttpClient> http;
  std::shared_ptr<cloud::AccessTokenSource> tokens;
  int64_t chunk_size = 0;
  int list_page_size = 1000;
  http::RetryPolicy retry;

  explicit Impl(http::RetryOptions r) : retry(r) {}

  std::string Where(std::string_view key) const { return "gs://" + bucket + "/" + prefix + std::string(key); }
  std::string ObjectUrl(std::string_view key) const {
    return endpoint + "/storage/v1/b/" + bucket + "/o/" + GcsEncode(prefix + std::string(key));
  }

  // One exchange with the bearer token; a 401 drops the token and is tried once more with a fresh
  // one (it may have expired early or been revoked). `make` builds the request anew each time, so
  // a streamed body starts over.
  Result<http::HttpResult> Authed(const std::function<http::HttpRequest()>& make);
  // An answer GCS refused, as an Error that says what to do (credentials, role, bucket).
  Error StatusError(const http::HttpResult& r, const std::string& what) const;
  static bool Retryable(long s) { return s == 408 || s == 429 || s >= 500; }
  // `make`'s request through the retry policy: transport errors, 408, 429 and 5xx are retried.
  // `attempts` counts the tries (a retried write may already have happened).
  Result<http::HttpResult> Call(const std::function<http::HttpRequest()>& make, const std::string& what,
                                int* attempts = nullptr);
  static void LogRetry(const std::string& what, const Error& e, int n, double delay);

  // gcs_upload.cc
  Status Put(std::string_view key, const std::function<size_t(char*, size_t)>& source, const PutOptions& options);
  bool Holds(std::string_view key, const GcsDigests& d);
  Status CheckStored(std::string_view key, const std::string& object_json, const GcsDigests& d);
  Status PutMultipart(std::string_view key, const std::string& data, const PutOptions& options, const GcsDigests& d);
  Status PutResumable(std::string_view key, std::string first, bool eof,
                      const std::function<size_t(char*, size_t)>& source, const PutOptions& options);
};

}  // namespace metl::objstore
