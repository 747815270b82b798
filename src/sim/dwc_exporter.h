// The writer behind WriteDwcExport (dwc_export.h), shared by the files that build its tables: the visit
// (dwc_export_visit.cc), its actions (dwc_export_actions.cc), its conversions and items
// (dwc_export_conversions.cc), log_action (dwc_export_log_action.cc), site, goal and custom_dimensions
// (dwc_export_site_tables.cc), and the files of a day (dwc_export_files.cc).
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/civil_date.h"
#include "core/error.h"
#include "sim/dataset.h"
#include "sim/dwc_export.h"
#include "sim/dwc_export_binary.h"
#include "sim/dwc_export_columns.h"
#include "sim/dwc_export_values.h"
#include "sim/log_actions.h"

namespace metl::sim::dwcx {

// What the rows of a visit's entries carry from one entry to the next, in Live's order.
struct VisitRows {
  const SimSite* site = nullptr;
  int64_t idvisit = 0;
  std::string idvisitor;  // encoded (EncodeBinary)
  int64_t first = 0, last = 0;  // the visit's first and last action, UTC
  Row conv_common;              // the visit's columns every log_conversion row repeats
  std::optional<int64_t> entry_url, entry_name, exit_url, exit_name, prev_url, prev_name;
  int64_t prev_time = 0, pageviews = 0;
};

class Exporter {
 public:
  Exporter(const Dataset& dataset, DwcExportOptions options)
      : dataset_(dataset), o_(std::move(options)), known_(dataset.Actions()) {
    next_id_ = known_ ? known_->MaxId() + 1 : 1;
  }

  Status Visit(const SimSite& site, const SimVisit& visit, simdjson::dom::parser& parser);
  Status WriteSiteTables();
  // Writes the rows collected for `day`, one file per table.
  Status WriteDay(CivilDate day);

 private:
  std::string Binary(std::string_view bytes, bool ip) const { return EncodeBinary(bytes, ip, o_.binary); }
  int64_t ActionId(int type, const std::string& name, std::optional<int> url_prefix = std::nullopt);
  int64_t UrlAction(int type, const std::string& url);
  // The UTC time of a Live timestamp (site-local wall time written as UTC) within the visit [lo, hi].
  int64_t ServerTime(const SimSite& site, int64_t local_as_utc, int64_t lo, int64_t hi) const;
  // One actionDetails entry: a log_link_visit_action row, or a conversion.
  void Entry(VisitRows& s, simdjson::dom::element a);
  // A goal, order or cart: its log_conversion row and an order's or cart's log_conversion_item rows.
  void Conversion(VisitRows& s, simdjson::dom::element a, const std::string& type, const std::string& server_time);
  Status WriteFile(const std::string& table, CivilDate day, const std::vector<std::string>& rows);

  const Dataset& dataset_;
  DwcExportOptions o_;
  const LogActions* known_;
  int64_t next_id_ = 1;
  std::map<std::pair<int, std::string>, int64_t> actions_;  // written so far
  std::map<std::string, std::vector<std::string>> day_rows_;  // table -> JSONL lines of the day
};

}  // namespace metl::sim::dwcx
