// `dwc load`'s custom dimension mapping (dwc/dimension_mapping.h says where it comes from and in which
// order): applied to the store for the sites whose days are rebuilt, with a warning for each site
// whose log rows hold dimension values that no known dimension maps.
#pragma once

#include <cstdint>
#include <set>

#include "cli/commands.h"
#include "dwc/dimension_mapping.h"
#include "dwc/raw_store.h"

namespace metl::cli {

struct DwcDimensions {
  dwc::DimensionSource source = dwc::DimensionSource::kNone;
  int64_t dimensions = 0;       // known for the sites asked
  int64_t unmapped_sites = 0;   // sites warned about
};

// An error (the option does not parse, Matomo refused or could not be reached) stops the load before
// anything is written: loading without the mapping would drop the dimensions silently.
Result<DwcDimensions> ApplyDwcDimensions(CommandContext& ctx, dwc::RawStore& store, const std::set<int64_t>& sites);

}  // namespace metl::cli
