// Turns the raw store into landing partitions (site, site-local day) of Live-shaped visits, so that
// the ordinary loader loads them with its exactly-once contract (manifest hash <-> ledger) unchanged.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/error.h"
#include "dwc/day_key.h"
#include "dwc/raw_store.h"
#include "landing/landing_zone.h"

namespace metl::dwc {

struct LandedDay {
  DayKey key;
  int64_t visits = 0;
  bool changed = false;  // false: the landed partition already held the same content
  std::string error;     // non-empty: this day could not be built
};

// Renders the visits of each day in `days` (the store holds at least all rows of their visits:
// dwc/rebuild.h) and commits them as landing partitions marked source=dwc; a day whose content is
// unchanged is left as it is.
Result<std::vector<LandedDay>> LandDays(const RawStore& store, const landing::LandingZone& zone,
                                        const std::set<DayKey>& days, int64_t now_epoch,
                                        const std::string& extractor_version);

}  // namespace metl::dwc
