#include "dwc/pending_files.h"

#include <algorithm>

#include "dwc/export_files.h"
#include "dwc/file_identity.h"

namespace metl::dwc {

Result<PendingFiles> FindPendingFiles(const ExportFolder& folder,
                                      const std::map<std::string, LedgerFile>& ledger, int64_t now,
                                      int64_t max_age_seconds) {
  METL_ASSIGN_OR_RETURN(std::vector<ExportFile> files, folder.List());
  const std::map<std::string, LandedFile> records = folder.LandedRecords();
  PendingFiles out;
  for (const ExportFile& f : files) {
    if (f.table == RawTable::kOther) continue;
    ++out.files;
    // The same identity as `dwc load`'s: a recorded file is not read; an unrecorded one is hashed.
    auto id = IdentifyFile(f, records);
    auto known = ledger.find(f.key);
    if (id.ok() && known != ledger.end() && known->second.etag == id->etag) {
      ++out.loaded;
      continue;
    }
    PendingFile p{f.key, id.ok() ? id->written_at : f.mtime};
    out.pending.push_back(p);
    if (now - p.written_at > max_age_seconds) out.too_old.push_back(p);
  }
  auto by_age = [](const PendingFile& a, const PendingFile& b) {
    return a.written_at != b.written_at ? a.written_at < b.written_at : a.key < b.key;
  };
  std::sort(out.pending.begin(), out.pending.end(), by_age);
  std::sort(out.too_old.begin(), out.too_old.end(), by_age);
  return out;
}

}  // namespace metl::dwc
