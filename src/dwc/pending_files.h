// What `status` says of the DWC export: the files mirrored under <landing>/dwc/ (by `dwc extract`,
// or copied there; a local folder or gs://, export_folder.h) that the file ledger (matomo_etl_dwc_files) does not hold with the same ETag yet,
// i.e. landed but not loaded, and those of them older than the configured age. Matomo says it
// deletes export files after 14 days (unconfirmed): a file still unloaded near that age is a file
// that may never load again once the mirror is lost, so `status` warns about it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "dwc/export_folder.h"
#include "dwc/file_ledger.h"

namespace metl::dwc {

struct PendingFile {
  std::string key;
  int64_t written_at = 0;  // the object's time in S3 (its `_landed` record), else the file's mtime
};

struct PendingFiles {
  int64_t files = 0;    // export files of mapped tables in the folder
  int64_t loaded = 0;   // of them, in the ledger with the same ETag
  std::vector<PendingFile> pending;  // the others, oldest first
  std::vector<PendingFile> too_old;  // pending files older than max_age_seconds, oldest first
};

// Files of tables `dwc load` does not map (forms, media, ...) are neither loaded nor pending.
Result<PendingFiles> FindPendingFiles(const ExportFolder& folder,
                                      const std::map<std::string, LedgerFile>& ledger, int64_t now,
                                      int64_t max_age_seconds);

}  // namespace metl::dwc
