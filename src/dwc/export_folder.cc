#include "dwc/export_folder.h"

#include <unistd.h>

#include "core/digest.h"
#include "core/log.h"
#include "dwc/file_identity.h"
#include "dwc/raw_decode.h"
#include "dwc/table_discovery.h"
#include "objstore/local_store.h"
#include "objstore/temp_download.h"

namespace metl::dwc {
namespace {

// A key none of whose segments is hidden (".name"): the rule of a local folder's listing.
bool Hidden(std::string_view key) {
  size_t start = 0;
  while (start < key.size()) {
    if (key[start] == '.') return true;
    size_t slash = key.find('/', start);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return false;
}

}  // namespace

ExportFolder ExportFolder::Local(std::filesystem::path dir) {
  ExportFolder f;
  f.dir_ = std::move(dir);
  return f;
}

ExportFolder ExportFolder::OnStore(std::shared_ptr<objstore::ObjectStore> store, std::string prefix) {
  ExportFolder f;
  f.store_ = std::move(store);
  f.prefix_ = std::move(prefix);
  return f;
}

ExportFolder ExportFolder::OfLanding(const landing::LandingZone& zone) {
  if (zone.store()) return OnStore(zone.shared_store(), std::string(kDwcDir));
  return Local(zone.root() / "dwc");
}

std::string ExportFolder::Describe() const {
  if (!store_) return dir_.string();
  std::string where = store_->Describe() + "/" + prefix_;
  if (where.ends_with("/")) where.pop_back();
  return where;
}

Result<bool> ExportFolder::Exists() const {
  if (!store_) {
    std::error_code ec;
    return std::filesystem::is_directory(dir_, ec);
  }
  METL_ASSIGN_OR_RETURN(std::vector<objstore::ObjectInfo> objects, store_->List(prefix_));
  return !objects.empty();
}

Result<std::vector<ExportFile>> ExportFolder::List() const {
  if (!store_) return ListExportFolder(dir_);
  METL_ASSIGN_OR_RETURN(std::vector<objstore::ObjectInfo> objects, store_->List(prefix_));
  const std::string landed = prefix_ + "_landed/";
  std::vector<ExportFile> files;
  for (const objstore::ObjectInfo& o : objects) {
    if (o.key.starts_with(landed) || o.key.ends_with("/")) continue;
    ExportFile f;
    f.key = o.key.substr(prefix_.size());
    if (f.key.empty() || Hidden(f.key)) continue;
    f.store = store_;
    f.store_key = o.key;
    f.path = Describe() + "/" + f.key;
    f.size = o.size;
    f.mtime = o.updated_at;  // when it was landed, as a local file's mtime
    f.table = TableOfKey(f.key, &f.table_name);
    files.push_back(std::move(f));
  }
  SortOldestFirst(files);
  return files;
}

std::map<std::string, LandedFile> ExportFolder::LandedRecords() const {
  if (!store_) return ReadLandedRecords(dir_);
  std::map<std::string, LandedFile> out;
  const std::string root = prefix_ + "_landed/";
  auto entries = store_->List(root);
  if (!entries.ok()) {
    LogWarn("cannot list the DWC landed-file records", {{"folder", Describe() + "/_landed"},
                                                        {"error", entries.error().ToString()}});
    return out;
  }
  for (const objstore::ObjectInfo& e : *entries) {
    if (!e.key.ends_with(".json")) continue;
    auto text = store_->GetString(e.key);
    auto record = text.ok() ? ParseLandedFile(*text) : Result<LandedFile>(text.error());
    if (!record.ok()) {
      LogWarn("DWC landed-file record not readable: the file it describes is hashed instead",
              {{"record", store_->Describe() + "/" + e.key}});
      continue;
    }
    std::string key = record->key;
    out[key] = std::move(record).value();
  }
  return out;
}

Result<std::unique_ptr<landing::CompressedFileReader>> OpenExportFile(const ExportFile& file) {
  if (!file.store) return landing::CompressedFileReader::OpenSniffed(file.path.string());
  auto tmp = objstore::DownloadToTempFile(*file.store, file.store_key);
  if (!tmp.ok()) {
    Error e = std::move(tmp).error();
    return Error(e.kind() == ErrorKind::kTerminal ? ErrorKind::kData : e.kind(),
                 "file " + file.key + ": " + e.message())
        .WithHint("it is retried on the next run");
  }
  auto reader = landing::CompressedFileReader::OpenSniffed(*tmp);
  ::unlink(tmp->c_str());  // the open reader keeps the bytes
  return reader;
}

Result<std::string> ExportFileEtag(const ExportFile& file) {
  if (!file.store) return FileEtag(file.path);
  Md5 md5;
  Status got = file.store->Get(file.store_key, [&](std::string_view chunk) {
    md5.Update(chunk);
    return true;
  });
  if (!got.ok()) return Error(ErrorKind::kData, "cannot read " + file.path.string() + ": " + got.error().message());
  return HexOf(md5.Final());
}

}  // namespace metl::dwc
