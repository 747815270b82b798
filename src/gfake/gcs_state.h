// The Google fake's Cloud Storage: buckets, their objects (bytes, generation, MD5, CRC32C) and
// resumable upload sessions. Thread-safe; the BigQuery module reads objects for gs:// load jobs.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace metl::gfake {

struct FakeObject {
  std::string bucket, name, data, content_type;
  int64_t generation = 0;
  int64_t metageneration = 1;
  int64_t created_ms = 0;  // epoch milliseconds
  std::string md5_b64, crc32c_b64;
};

struct UploadSession {
  std::string bucket, name, content_type;
  std::optional<int64_t> if_generation_match;
  std::string data;    // persisted bytes
  int64_t total = -1;  // known once a chunk or the initiation says it
  bool finalized = false;
  std::optional<FakeObject> result;
};

class GcsState {
 public:
  void AddBucket(const std::string& name, const std::string& location);
  std::optional<std::string> BucketLocation(const std::string& bucket) const;

  enum class PutOutcome { kOk, kNoBucket, kPreconditionFailed };
  // Creates a new generation of the object unless `if_generation_match` says otherwise
  // (0 = only if absent).
  PutOutcome Put(const std::string& bucket, const std::string& name, std::string data, const std::string& content_type,
                 std::optional<int64_t> if_generation_match, FakeObject* out);
  std::optional<FakeObject> Get(const std::string& bucket, const std::string& name) const;
  enum class DeleteOutcome { kOk, kNotFound, kPreconditionFailed };
  DeleteOutcome Delete(const std::string& bucket, const std::string& name, std::optional<int64_t> generation,
                       std::optional<int64_t> if_generation_match);
  // Objects whose names start with `prefix`, by name.
  std::vector<FakeObject> List(const std::string& bucket, const std::string& prefix) const;

  std::string NewSession(UploadSession session);
  // Runs `fn` on the session under the lock; false when the id is unknown.
  template <typename Fn>
  bool WithSession(const std::string& id, Fn&& fn) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return false;
    fn(it->second);
    return true;
  }
  bool DropSession(const std::string& id);

  // Fills the digests and timestamps of an object built from `data`.
  static void Describe(FakeObject& object);

 private:
  PutOutcome PutLocked(const std::string& bucket, const std::string& name, std::string data,
                       const std::string& content_type, std::optional<int64_t> if_generation_match, FakeObject* out);
  struct Bucket {
    std::string location;
    std::map<std::string, FakeObject> objects;
  };
  mutable std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
  std::map<std::string, UploadSession> sessions_;
  int64_t next_generation_ = 1765000000000000;  // GCS generations are microsecond timestamps
  uint64_t next_session_ = 1;
};

}  // namespace metl::gfake
