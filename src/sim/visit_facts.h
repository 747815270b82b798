// Derives a SimVisit's facts from one visit's JSON as Live.getLastVisitsDetails returns it.
// --replay uses this for real exported visits, so it accepts Matomo's loose types (numbers as
// strings, int or float, null, missing keys). The generator fills the same facts directly.
#pragma once

#include <string>

#include "core/error.h"
#include "sim/dataset.h"

namespace metl::sim {

// Parses one visit object. Conversions come from the "goal", "ecommerceOrder" and
// "ecommerceAbandonedCart" entries of actionDetails; revenue keeps the JSON's decimal text.
// A visit truncated by Matomo (truncatedActionsCount) lacks the entries that were cut, so its
// pageviews/downloads/... and conversions from JSON are lower than Matomo's own counts; the
// visit-level counters (actions, visitDuration, visitConverted) are complete.
Result<SimVisit> DescribeVisit(std::string json);

}  // namespace metl::sim
