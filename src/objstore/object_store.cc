#include "objstore/object_store.h"

#include <cstring>

#include "core/config.h"
#include "objstore/gcs_store.h"
#include "objstore/local_store.h"
#include "objstore/s3_store.h"

namespace metl::objstore {

Status ObjectStore::PutString(std::string_view key, std::string_view content, const PutOptions& options) {
  size_t offset = 0;
  return Put(
      key,
      [&](char* buf, size_t n) {
        size_t take = std::min(n, content.size() - offset);
        std::memcpy(buf, content.data() + offset, take);
        offset += take;
        return take;
      },
      options);
}

Result<std::string> ObjectStore::GetString(std::string_view key) {
  std::string out;
  METL_TRY(Get(key, [&](std::string_view chunk) {
    out.append(chunk);
    return true;
  }));
  return out;
}

bool IsNotFound(const Error& e) { return e.message().starts_with("not found: "); }

Result<std::unique_ptr<ObjectStore>> OpenObjectStore(std::string_view url) {
  if (url.starts_with("gs://")) {
    METL_ASSIGN_OR_RETURN(auto gcs, GcsObjectStore::Open(url, GcsOptions{}));
    return std::unique_ptr<ObjectStore>(std::move(gcs));
  }
  if (url.starts_with("s3://")) {
    S3Options options;
    options.env = ProcessEnvironment();
    METL_ASSIGN_OR_RETURN(auto s3, S3ObjectStore::Open(url, std::move(options)));
    return std::unique_ptr<ObjectStore>(std::move(s3));
  }
  if (url.find("://") != std::string_view::npos && !url.starts_with("file://")) {
    return Error(ErrorKind::kConfig, "unknown object store URL '" + std::string(url) + "'")
        .WithHint("use a folder path, file://PATH or gs://BUCKET/PREFIX");
  }
  std::string_view path = url.starts_with("file://") ? url.substr(7) : url;
  if (path.empty()) return Error(ErrorKind::kConfig, "empty object store path");
  return std::unique_ptr<ObjectStore>(std::make_unique<LocalObjectStore>(std::string(path)));
}

}  // namespace metl::objstore
