// s3://BUCKET/PREFIX over the S3 REST API (CurlHttpClient + our SigV4 signer, cloud/aws_sigv4.h):
// ListObjectsV2 paged by continuation token, HEAD for Stat, GET streamed and resumed with a Range
// request pinned by If-Match after a cut (size checked, and MD5 when the ETag is one), a single PUT (objects up to 5
// GiB), DELETE. Every request sends x-amz-content-sha256 and is retried through the shared policy on transport errors,
// 408/429/5xx and S3's SlowDown/RequestTimeout/InternalError codes.
// Endpoint: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL (S3-compatible stores, local test servers) with
// path-style addressing, else https://BUCKET.s3.REGION.amazonaws.com (path-style on
// https://s3.REGION.amazonaws.com when the bucket name has dots).
#pragma once

#include <memory>
#include <string>

#include "cloud/aws_credentials.h"
#include "http/http_client.h"
#include "http/retry_policy.h"
#include "objstore/object_store.h"

namespace metl::objstore {

struct S3Options {
  std::shared_ptr<http::HttpClient> http;  // null = a CurlHttpClient
  cloud::Environment env;                  // credentials, region and endpoint come from here
  std::string region;                      // --region; beats AWS_REGION / AWS_DEFAULT_REGION
  int list_page_size = 1000;               // max-keys per ListObjectsV2 page
  http::RetryOptions retry;
};

class S3ObjectStore final : public ObjectStore {
 public:
  static Result<std::unique_ptr<S3ObjectStore>> Open(std::string_view url, S3Options options);
  std::string Describe() const override;
  Status Put(std::string_view key, const std::function<size_t(char*, size_t)>& source,
             const PutOptions& options = {}) override;
  // A key absent (deleted since it was listed) is kTerminal with a message starting "not found: ".
  Status Get(std::string_view key, const std::function<bool(std::string_view)>& sink) override;
  Result<std::optional<ObjectInfo>> Stat(std::string_view key) override;
  // ObjectInfo::version is the ETag without its quotes.
  Result<std::vector<ObjectInfo>> List(std::string_view prefix) override;
  Status Delete(std::string_view key, std::optional<std::string> if_version = std::nullopt) override;

  struct Impl;
  ~S3ObjectStore() override;

 private:
  explicit S3ObjectStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace metl::objstore
