// The DWC part of `status`: export files landed under <landing>/dwc/ (local or gs://) and not loaded yet (pending),
// and a warning when one is older than dwc_max_file_age_days (dwc/pending_files.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/config.h"
#include "dwc/pending_files.h"
#include "warehouse/warehouse.h"

namespace metl::cli {

struct DwcStatus {
  std::string folder;
  dwc::PendingFiles files;
  int64_t max_age_days = 10;
  bool alert() const { return !files.too_old.empty(); }
};

// nullopt when the landing zone (a folder or gs://) has no dwc/ folder (the DWC is not used); an
// error reading it is reported and gives nullopt too.
std::optional<DwcStatus> ReadDwcStatus(warehouse::Warehouse& warehouse, const Config& config, int64_t now);
// `"dwc":` of status --json: null, or {"folder","files","loaded","pending","oldest_pending_key",
// "oldest_pending_written_at","max_file_age_days","too_old","too_old_keys"}.
std::string DwcStatusJson(const std::optional<DwcStatus>& status);
void PrintDwcStatus(const DwcStatus& status, int64_t now);

}  // namespace metl::cli
