#include "gfake/gcs_state.h"

#include <chrono>

#include "core/base64.h"
#include "core/digest.h"

namespace metl::gfake {

void GcsState::AddBucket(const std::string& name, const std::string& location) {
  std::lock_guard<std::mutex> lock(mu_);
  buckets_[name].location = location;
}

std::optional<std::string> GcsState::BucketLocation(const std::string& bucket) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(bucket);
  if (it == buckets_.end()) return std::nullopt;
  return it->second.location;
}

void GcsState::Describe(FakeObject& o) {
  Md5 md5;
  md5.Update(o.data);
  o.md5_b64 = Base64Encode(md5.Final());
  Crc32c crc;
  crc.Update(o.data);
  o.crc32c_b64 = Base64Encode(crc.BigEndianBytes());
  o.created_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
}

GcsState::PutOutcome GcsState::Put(const std::string& bucket, const std::string& name, std::string data,
                                   const std::string& content_type, std::optional<int64_t> if_generation_match,
                                   FakeObject* out) {
  std::lock_guard<std::mutex> lock(mu_);
  return PutLocked(bucket, name, std::move(data), content_type, if_generation_match, out);
}

GcsState::PutOutcome GcsState::PutLocked(const std::string& bucket, const std::string& name, std::string data,
                                         const std::string& content_type, std::optional<int64_t> if_generation_match,
                                         FakeObject* out) {
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) return PutOutcome::kNoBucket;
  auto existing = b->second.objects.find(name);
  if (if_generation_match) {
    int64_t current = existing == b->second.objects.end() ? 0 : existing->second.generation;
    if (current != *if_generation_match) return PutOutcome::kPreconditionFailed;
  }
  FakeObject o;
  o.bucket = bucket;
  o.name = name;
  o.data = std::move(data);
  o.content_type = content_type.empty() ? "application/octet-stream" : content_type;
  o.generation = ++next_generation_;
  Describe(o);
  b->second.objects[name] = o;
  if (out != nullptr) *out = std::move(o);
  return PutOutcome::kOk;
}

std::optional<FakeObject> GcsState::Get(const std::string& bucket, const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) return std::nullopt;
  auto o = b->second.objects.find(name);
  if (o == b->second.objects.end()) return std::nullopt;
  return o->second;
}

GcsState::DeleteOutcome GcsState::Delete(const std::string& bucket, const std::string& name,
                                         std::optional<int64_t> generation,
                                         std::optional<int64_t> if_generation_match) {
  std::lock_guard<std::mutex> lock(mu_);
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) return DeleteOutcome::kNotFound;
  auto o = b->second.objects.find(name);
  if (o == b->second.objects.end()) {
    return if_generation_match && *if_generation_match != 0 ? DeleteOutcome::kPreconditionFailed
                                                            : DeleteOutcome::kNotFound;
  }
  if (generation && *generation != o->second.generation) return DeleteOutcome::kNotFound;
  if (if_generation_match && *if_generation_match != o->second.generation) return DeleteOutcome::kPreconditionFailed;
  b->second.objects.erase(o);
  return DeleteOutcome::kOk;
}

std::vector<FakeObject> GcsState::List(const std::string& bucket, const std::string& prefix) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<FakeObject> out;
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) return out;
  for (auto it = b->second.objects.lower_bound(prefix); it != b->second.objects.end(); ++it) {
    if (!it->first.starts_with(prefix)) break;
    out.push_back(it->second);
  }
  return out;
}

std::string GcsState::NewSession(UploadSession session) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string id = "fake-upload-" + std::to_string(next_session_++);
  sessions_[id] = std::move(session);
  return id;
}

bool GcsState::DropSession(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.erase(id) > 0;
}

}  // namespace metl::gfake
