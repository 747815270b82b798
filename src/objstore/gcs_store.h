// gs://BUCKET/PREFIX over the GCS JSON API (CurlHttpClient + a Google AccessTokenSource):
// small objects in one multipart upload, larger ones in a resumable upload of chunks (multiples of
// 256 KiB) resumed after a cut by a status query; ifGenerationMatch=0 for `if_absent`; MD5 and
// CRC32C compared with what GCS reports; listings paged; downloads resumed with a Range request.
// STORAGE_EMULATOR_HOST (http://HOST:PORT, or a bare HOST:PORT meaning http) replaces the
// endpoint; requests keep their usual /storage/v1 and /upload/storage/v1 paths and keep
// authenticating.
#pragma once

#include <memory>
#include <string>

#include "cloud/access_token.h"
#include "http/http_client.h"
#include "http/resumable_upload.h"
#include "http/retry_policy.h"
#include "objstore/object_store.h"

namespace metl::objstore {

inline constexpr int64_t kGcsChunkQuantum = http::kResumableQuantum;

struct GcsOptions {
  std::shared_ptr<http::HttpClient> http;            // null = a CurlHttpClient
  std::shared_ptr<cloud::AccessTokenSource> tokens;  // null = Google ADC with devstorage.read_write
  std::string key_file;                              // for the ADC default: an explicit key file
  std::string endpoint;                              // "" = STORAGE_EMULATOR_HOST, else storage.googleapis.com
  int64_t chunk_size = 32 * kGcsChunkQuantum;        // 8 MiB; rounded down to a multiple of 256 KiB
  int list_page_size = 1000;                         // maxResults per listing page (GCS's maximum)
  http::RetryOptions retry;
};

class GcsObjectStore final : public ObjectStore {
 public:
  static Result<std::unique_ptr<GcsObjectStore>> Open(std::string_view url, GcsOptions options);
  std::string Describe() const override;
  Status Put(std::string_view key, const std::function<size_t(char*, size_t)>& source,
             const PutOptions& options = {}) override;
  Status Get(std::string_view key, const std::function<bool(std::string_view)>& sink) override;
  Result<std::optional<ObjectInfo>> Stat(std::string_view key) override;
  Result<std::vector<ObjectInfo>> List(std::string_view prefix) override;
  Status Delete(std::string_view key, std::optional<std::string> if_version = std::nullopt) override;

  // The bucket's location ("EU", "US", "EUROPE-WEST1"), for BigQuery's same-location rule.
  Result<std::string> BucketLocation();

  struct Impl;
  ~GcsObjectStore() override;

 private:
  explicit GcsObjectStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// "https://storage.googleapis.com", or STORAGE_EMULATOR_HOST as a base URL.
std::string GcsEndpointFromEnvironment();

}  // namespace metl::objstore
