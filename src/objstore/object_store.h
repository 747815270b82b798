// Object stores behind one small interface (DESIGN.md): a local folder, gs:// (GCS JSON API) and
// s3:// (SigV4). The landing zone, the DWC ingester and BigQuery's staging files use it.
// Keys are '/'-separated paths relative to the store's root (its bucket and prefix).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace metl::objstore {

struct ObjectInfo {
  std::string key;         // relative to the store's root
  int64_t size = 0;
  std::string version;     // GCS generation, S3 ETag, a local file's mtime+size: changes when content does
  int64_t updated_at = 0;  // epoch seconds
};

struct PutOptions {
  // Fail with ErrorKind::kTerminal and message starting "precondition failed" when the key exists
  // (GCS ifGenerationMatch=0; locally O_EXCL + rename).
  bool if_absent = false;
  // Replace only this version (GCS ifGenerationMatch=<generation>); fails like if_absent when the
  // object changed or vanished meanwhile. The local store checks it before its rename (not atomic).
  std::optional<std::string> if_version;
  std::string content_type = "application/octet-stream";
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  // "gs://bucket/prefix", "/path/to/landing": for messages.
  virtual std::string Describe() const = 0;
  // Streams the object's content from `source` (returns bytes written into buf, 0 at the end).
  // The object appears whole or not at all; content is checked end to end (MD5/CRC32C).
  virtual Status Put(std::string_view key, const std::function<size_t(char*, size_t)>& source,
                     const PutOptions& options = {}) = 0;
  Status PutString(std::string_view key, std::string_view content, const PutOptions& options = {});
  // Streams the object to `sink`; kTerminal "not found" when absent.
  virtual Status Get(std::string_view key, const std::function<bool(std::string_view)>& sink) = 0;
  Result<std::string> GetString(std::string_view key);
  // nullopt when absent.
  virtual Result<std::optional<ObjectInfo>> Stat(std::string_view key) = 0;
  // Every object whose key starts with `prefix`, in key order (listings paged underneath).
  virtual Result<std::vector<ObjectInfo>> List(std::string_view prefix) = 0;
  // Deleting an absent key is not an error. `if_version`: only that version (GCS ifGenerationMatch).
  virtual Status Delete(std::string_view key, std::optional<std::string> if_version = std::nullopt) = 0;
};

// Whether an error is Get's "not found: ..." (the object is absent, e.g. deleted since it was listed).
bool IsNotFound(const Error& e);

// "gs://BUCKET/PREFIX", "s3://BUCKET/PREFIX", a plain folder path or file://PATH.
Result<std::unique_ptr<ObjectStore>> OpenObjectStore(std::string_view url);

}  // namespace metl::objstore
