// The export files `dwc load` reads: JSONL files of Matomo's tables in a folder (the landing zone's
// dwc/ mirror, or a folder the user filled by hand: --from-dir), each read whole or not at all.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "dwc/raw_store.h"
#include "objstore/object_store.h"

namespace metl::dwc {

struct ExportFile {
  std::string key;  // path relative to the folder, '/'-separated
  std::filesystem::path path;
  int64_t size = 0;
  int64_t mtime = 0;  // epoch seconds
  RawTable table = RawTable::kOther;
  std::string table_name;  // "" when no known table name matched
  std::string etag;        // hex MD5 of the file's bytes: S3's ETag of a single-part upload
  // Set when the file is an object of a store (export_folder.h): its bytes are `store_key` there,
  // and `path` is its URL, for messages only.
  std::shared_ptr<objstore::ObjectStore> store;
  std::string store_key;
};

// Every regular file under `dir` (hidden names and the file ledger's own files skipped), oldest
// first (modification time, then key): the order in which a row's newer version wins. A folder
// local or on an object store: ExportFolder (export_folder.h).
Result<std::vector<ExportFile>> ListExportFolder(const std::filesystem::path& dir);
// Hex MD5 of the file's bytes (what S3 reports as the ETag of an object uploaded in one part).
Result<std::string> FileEtag(const std::filesystem::path& path);

// Sorts files oldest first (modification time, then key).
void SortOldestFirst(std::vector<ExportFile>& files);

// Calls `take` with every non-blank line of `file` (local or on a store; plain, gzip or zstd, told by magic bytes), trimmed,
// and its 1-based number; stops at the first error (a corrupt file's, or `take`'s).
Status ForEachExportLine(const ExportFile& file,
                         const std::function<Status(std::string_view line, size_t line_no)>& take);

}  // namespace metl::dwc
