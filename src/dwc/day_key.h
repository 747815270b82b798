// A (site, site-local day) partition: what `dwc load` rebuilds and lands.
#pragma once

#include <cstdint>

#include "core/civil_date.h"

namespace metl::dwc {

struct DayKey {
  int64_t site_id = 0;
  CivilDate date;
  auto operator<=>(const DayKey&) const = default;
};

}  // namespace metl::dwc
