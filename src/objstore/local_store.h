// An ObjectStore on a local folder: keys are relative paths. Writes go to a temporary file in the
// same folder, are fsynced, then renamed into place (atomic); `if_absent` links instead of renaming,
// so an existing key is never replaced (link(2) fails with EEXIST).
#pragma once

#include <string>

#include "objstore/object_store.h"

namespace metl::objstore {

class LocalObjectStore final : public ObjectStore {
 public:
  explicit LocalObjectStore(std::string root);
  std::string Describe() const override { return root_; }
  Status Put(std::string_view key, const std::function<size_t(char*, size_t)>& source,
             const PutOptions& options = {}) override;
  Status Get(std::string_view key, const std::function<bool(std::string_view)>& sink) override;
  Result<std::optional<ObjectInfo>> Stat(std::string_view key) override;
  Result<std::vector<ObjectInfo>> List(std::string_view prefix) override;
  Status Delete(std::string_view key, std::optional<std::string> if_version = std::nullopt) override;

 private:
  Result<std::string> PathOf(std::string_view key) const;
  std::string root_;
};

// The temporary files Put leaves behind only when killed carry this marker; List skips them.
inline constexpr std::string_view kLocalTempMarker = ".metl-tmp-";

}  // namespace metl::objstore
