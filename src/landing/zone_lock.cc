#include "landing/zone_lock.h"

#include <chrono>

#include "landing/object_run_lock.h"
#include "landing/run_lock.h"

namespace metl::landing {

Result<std::shared_ptr<void>> AcquireZoneLock(const LandingZone& zone, const std::string& command) {
  if (zone.store() || !zone.open_status().ok()) {
    METL_TRY(zone.open_status());
    // The real time, not --now: the lock's age is compared with the store's clock.
    const int64_t wall = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    METL_ASSIGN_OR_RETURN(auto lock, ObjectRunLock::Acquire(zone.shared_store(), zone.root().string(), command, wall));
    return std::shared_ptr<void>(std::move(lock));
  }
  METL_ASSIGN_OR_RETURN(auto lock, RunLock::Acquire(zone.root(), command));
  return std::shared_ptr<void>(std::move(lock));
}

}  // namespace metl::landing
