// The run lock of a landing zone, whatever it is on: a RunLock (flock on <landing>/.lock) for a
// local folder, an ObjectRunLock (the .lock object, created only if absent) on gs://. Shared by
// `extract` and `dwc load`, the two writers of landing partitions.
#pragma once

#include <memory>
#include <string>

#include "core/error.h"
#include "landing/landing_zone.h"

namespace metl::landing {

// Held while the returned pointer lives. A zone whose store could not be opened gives that error.
Result<std::shared_ptr<void>> AcquireZoneLock(const LandingZone& zone, const std::string& command);

}  // namespace metl::landing
