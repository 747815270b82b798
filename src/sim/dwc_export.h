// matomo-sim --dwc-export DIR: the Data Warehouse Connector export of the visits the simulator
// serves, as raw rows of Matomo's tables (log_visit, log_link_visit_action, log_action,
// log_conversion, log_conversion_item, site, goal, custom_dimensions) in the shapes of the real
// Matomo 5.1.2 sample (shared/reference/matomo-5.1.2-raw-sample/raw: same columns, same order,
// same value types). The rows are derived back from each visit's Live JSON, so option A (Live) and
// option B (DWC) describe the same visits; a visit Live cuts at 500 actions is whole here
// (SimVisit::cut_actions_json), as in Matomo's log tables. What the real export's layout, compression and binary
// encoding are is not public (DWC.md §1.7, §1.4): flags choose them so tests cover several.
#pragma once

#include <string>

#include "core/civil_date.h"
#include "core/error.h"
#include "sim/dataset.h"

namespace metl::sim {

struct DwcExportOptions {
  std::string dir;
  // "partitioned": <table>/date=YYYY-MM-DD/part-0.jsonl[.gz|.zst] (keys with '=');
  // "flat": <table>_YYYYMMDD.jsonl[.gz|.zst].
  std::string layout = "partitioned";
  std::string compression = "none";  // none|gzip|zstd
  // idvisitor/config_id/location_ip: "hex" (16 hex chars, as in the real sample), "base64", or
  // "mysql" (MySQL 8 JSON_OBJECT's "base64:type254:..."; "base64:type15:..." for location_ip).
  std::string binary = "hex";
  // Also write Matomo's custom_dimensions table (which the real export lacks: DWC.md §0) with the first
  // day's files. false (--dwc-custom-dimensions none): as the real export, the mapping then comes
  // from the simulator's CustomDimensions.getConfiguredCustomDimensions.
  bool custom_dimensions = true;
};

Status ValidateDwcExportOptions(const DwcExportOptions& options);

// Writes the days [from, to] (site-local days, every site; visits after `now` left out). The date
// of a file is the day it holds; log_action files hold the actions first used that day, site,
// goal and custom_dimensions are written with the first day.
Status WriteDwcExport(const Dataset& dataset, CivilDate from, CivilDate to, int64_t now,
                      const DwcExportOptions& options);

}  // namespace metl::sim
