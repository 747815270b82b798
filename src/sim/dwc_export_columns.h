// The columns of the raw tables the simulator's DWC export writes (dwc_export.h): the column lists and
// order of the real Matomo 5.1.2 sample (shared/reference/matomo-5.1.2-raw-sample/raw/*.jsonl), which the
// DWC mapping reads.
#pragma once

#include <string_view>
#include <vector>

namespace metl::sim::dwcx {

extern const std::vector<std::string_view> kLogVisitColumns;
extern const std::vector<std::string_view> kLvaColumns;
extern const std::vector<std::string_view> kConversionColumns;
extern const std::vector<std::string_view> kItemColumns;
extern const std::vector<std::string_view> kActionColumns;
extern const std::vector<std::string_view> kSiteColumns;
extern const std::vector<std::string_view> kGoalColumns;
extern const std::vector<std::string_view> kCustomDimensionColumns;

}  // namespace metl::sim::dwcx
