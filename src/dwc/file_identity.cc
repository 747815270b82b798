#include "dwc/file_identity.h"

#include <fstream>
#include <sstream>

#include "core/civil_date.h"
#include "core/log.h"
#include "dwc/export_folder.h"
#include "objstore/local_store.h"

namespace metl::dwc {
namespace fs = std::filesystem;

std::map<std::string, LandedFile> ReadLandedRecords(const fs::path& dir) {
  std::map<std::string, LandedFile> out;
  const fs::path root = dir / "_landed";
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return out;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    // Entries are written through a temporary name (objstore/local_store.h): a killed writer's is not one.
    if (!it->is_regular_file() || !name.ends_with(".json") ||
        name.find(objstore::kLocalTempMarker) != std::string::npos) {
      continue;
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto record = ParseLandedFile(text.str());
    if (!in || !record.ok()) {
      LogWarn("DWC landed-file record not readable: the file it describes is hashed instead",
              {{"record", it->path().string()}});
      continue;
    }
    std::string key = record->key;
    out[key] = std::move(record).value();
  }
  if (ec) LogWarn("cannot list the DWC landed-file records", {{"folder", root.string()}, {"error", ec.message()}});
  return out;
}

namespace {

FileIdentity RecordedIdentity(const ExportFile& file, const LandedFile& record) {
  FileIdentity id;
  id.etag = record.etag;
  auto t = ParseTimestamp(record.last_modified);
  id.written_at = t.ok() ? *t : file.mtime;
  return id;
}

}  // namespace

Result<FileIdentity> IdentifyFile(const ExportFile& file, const std::map<std::string, LandedFile>& records) {
  auto r = records.find(file.key);
  // The size guards against a record that no longer describes the bytes (a file replaced by hand).
  if (r != records.end() && !r->second.etag.empty() && r->second.size == file.size) {
    return RecordedIdentity(file, r->second);
  }
  METL_ASSIGN_OR_RETURN(std::string md5, ExportFileEtag(file));
  FileIdentity id;
  id.etag = std::move(md5);
  id.hashed = true;
  id.written_at = file.mtime;
  return id;
}

}  // namespace metl::dwc
