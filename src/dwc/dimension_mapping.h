// Where `dwc load` learns which custom dimension id each storage column holds. The export has the
// columns (log_visit.custom_dimension_<index>, log_link_visit_action.custom_dimension_<index>) but not
// Matomo's `custom_dimensions` table that maps a dimension id to its scope and index (DWC.md §2.4), so
// the mapping comes, first found wins, from:
//   1. the config option dwc_custom_dimensions (explicit: the user said so);
//   2. Matomo's API, CustomDimensions.getConfiguredCustomDimensions per site, when a Matomo URL and a
//      token are configured (the same ones `verify` uses);
//   3. custom_dimensions rows in the export folder (custom_dimensions.jsonl), read with the files.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "dwc/raw_store.h"
#include "matomo/client.h"

namespace metl::dwc {

enum class DimensionSource { kNone, kFile, kConfig, kApi };
std::string_view DimensionSourceName(DimensionSource source);

// The config option's text: entries "site=1 id=2 scope=action index=1" separated by ';' (an entry may
// add "active=0"). A malformed entry is a kConfig error naming it.
Result<std::vector<CustomDimensionConfig>> ParseDimensionOption(std::string_view text);

// One site's answer of CustomDimensions.getConfiguredCustomDimensions: a JSON array of Matomo's rows
// ({"idcustomdimension":"1","idsite":"1","index":"1","scope":"visit","active":true,...}).
Result<std::vector<CustomDimensionConfig>> ParseConfiguredCustomDimensions(std::string_view body, int64_t site_id);
// Asks Matomo for one site's dimensions (the token travels in the POST body, as for every call).
Result<std::vector<CustomDimensionConfig>> FetchConfiguredCustomDimensions(matomo::MatomoClient& client,
                                                                          int64_t site_id);

// Per site, the custom_dimension_<index> columns of its log rows ("log_visit.custom_dimension_3")
// that hold a value while no active dimension of that scope and index is known: they are left out of
// the curated tables, and `dwc load` warns.
std::map<int64_t, std::set<std::string>> UnmappedDimensionColumns(const RawStore& store,
                                                                  const std::set<int64_t>& sites);

}  // namespace metl::dwc
