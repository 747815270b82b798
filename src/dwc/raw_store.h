// Matomo's raw log tables as the export delivered them, held in memory for one `dwc load` run:
// rows upserted by primary key (DWC.md §0: Matomo updates visits, actions and conversions after
// inserting them), files added oldest first so the newest file's version of a row wins.
// `dwc load` fills it with the rows of the days it rebuilds only (dwc/day_rows.h), not the whole
// export: Remove() takes out a stored version whose newer version is not wanted.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "dwc/raw_row.h"

namespace metl::dwc {

// The tables `dwc load` reads; the export's other tables (forms, media, heatmaps, ...) are skipped.
enum class RawTable {
  kVisit,
  kLinkVisitAction,
  kAction,
  kConversion,
  kConversionItem,
  kSite,
  kGoal,
  kCustomDimensions,
  kOther
};
// The table a file belongs to, from its key: a path segment or a file-name prefix naming a known
// table, the longest name winning (log_conversion_item before log_conversion). Known tables that
// `dwc load` does not map (log_form, ...) and unknown names give kOther; `name` receives the match.
RawTable TableOfKey(std::string_view key, std::string* name);
std::string_view RawTableName(RawTable table);

struct CustomDimensionConfig {
  int64_t site_id = 0;
  int64_t id = 0;     // idcustomdimension: Live's dimension<id>
  int64_t index = 0;  // storage column custom_dimension_<index>
  std::string scope;  // "visit" or "action"
  bool active = true;
};

class RawStore {
 public:
  // Upserts one row of `table`; `what` names the file and line for errors. A row without its
  // primary key is a kData error; other tables than those above are ignored.
  Status Add(RawTable table, RawRow row, const std::string& what);
  // The check Add makes: the row has its table's primary key (for custom_dimensions: idsite,
  // idcustomdimension and index).
  static Status CheckKey(RawTable table, const RawRow& row, const std::string& what);
  // Removes the stored row of `row`'s primary key, if any (site, goal and custom_dimensions: no-op).
  void Remove(RawTable table, const RawRow& row);
  // Adds custom dimension settings from the config or the API (the export has no such table).
  void AddCustomDimension(const CustomDimensionConfig& config);
  // Replaces a site's dimensions by another source's (the API's or the config's answer wins over a
  // custom_dimensions file of the export folder).
  void SetCustomDimensions(int64_t site_id, const std::vector<CustomDimensionConfig>& configs);
  // True when some custom_dimensions row was read from the export folder.
  bool HasCustomDimensions() const { return !dimensions_.empty(); }
  // Builds the per-visit indices; call after the last Add and before the getters below.
  void Index();

  const std::map<int64_t, RawRow>& visits() const { return visits_; }
  const std::map<int64_t, RawRow>& link_actions() const { return link_actions_; }
  const RawRow* Site(int64_t site_id) const;
  const RawRow* Goal(int64_t site_id, int64_t goal_id) const;
  const RawRow* Action(std::optional<int64_t> idaction) const;
  const RawRow* LinkAction(std::optional<int64_t> idlink_va) const;
  std::vector<CustomDimensionConfig> CustomDimensions(int64_t site_id) const;
  // The rows of a visit: link_visit_action rows by (server_time, idlink_va); conversions and items.
  const std::vector<const RawRow*>& ActionsOf(int64_t idvisit) const;
  const std::vector<const RawRow*>& ConversionsOf(int64_t idvisit) const;
  const std::vector<const RawRow*>& ItemsOf(int64_t idvisit) const;
  // Every conversion of a visitor (hex visitor id) on a site, for Live's lifetime totals.
  const std::vector<const RawRow*>& ConversionsOfVisitor(int64_t site_id, const std::string& visitor_hex) const;
  std::vector<int64_t> SiteIds() const;

  using ConversionKey = std::tuple<int64_t, int64_t, int64_t>;  // idvisit, idgoal, buster
  using ItemKey = std::tuple<int64_t, std::string, int64_t>;    // idvisit, idorder, idaction_sku
  const std::map<ConversionKey, RawRow>& conversions() const { return conversions_; }
  const std::map<ItemKey, RawRow>& items() const { return items_; }

 private:
  std::map<int64_t, RawRow> visits_;
  std::map<int64_t, RawRow> link_actions_;
  std::unordered_map<int64_t, RawRow> actions_;
  std::map<ConversionKey, RawRow> conversions_;
  std::map<ItemKey, RawRow> items_;
  std::map<int64_t, RawRow> sites_;
  std::map<std::pair<int64_t, int64_t>, RawRow> goals_;
  std::map<std::pair<int64_t, int64_t>, CustomDimensionConfig> dimensions_;

  std::unordered_map<int64_t, std::vector<const RawRow*>> actions_of_, conversions_of_, items_of_;
  std::map<std::pair<int64_t, std::string>, std::vector<const RawRow*>> conversions_of_visitor_;
};

// Parses a custom_dimensions row (Matomo's table, as in tests/data/dwc-real-sample) or an element
// of CustomDimensions.getConfiguredCustomDimensions.
std::optional<CustomDimensionConfig> CustomDimensionFromRow(const RawRow& row);

}  // namespace metl::dwc
