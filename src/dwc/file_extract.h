// `dwc extract`: mirrors the new or changed files of a DWC export (any ObjectStore, in practice
// s3://) under <landing>/dwc/<key>, each exactly once, with a ledger entry per file
// (landed_files.h) written after the file. A file whose ETag and size are already landed is
// skipped; a changed ETag lands again. A key deleted between the listing and its download is
// skipped with a warning and counted; any other failure of one file is counted and the run goes on.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "dwc/table_discovery.h"
#include "objstore/object_store.h"

namespace metl::dwc {

struct FileExtractOptions {
  TableMatcher matcher;
  std::string temp_dir;                // where downloads are staged; "" = the system's temp folder
  std::function<int64_t()> now_epoch;  // for downloaded_at; null = the real clock
};

struct FileExtractSummary {
  int64_t listed = 0, landed = 0, changed = 0, skipped = 0, vanished = 0, failed = 0;
  int64_t bytes = 0;
  std::map<std::string, int64_t> landed_per_table;
  std::vector<std::string> failures;  // "key: message"
};

// "gzip", "zstd" or "none", from a file's first bytes.
std::string CompressionFromMagic(std::string_view first_bytes);

// Errors only when nothing can be done (the listing or the landing ledger cannot be read); a
// file's own failure is in the summary.
Result<FileExtractSummary> ExtractDwcFiles(objstore::ObjectStore& source, objstore::ObjectStore& landing,
                                           const FileExtractOptions& options);

}  // namespace metl::dwc
