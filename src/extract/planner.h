// Which (site, site-local day) partitions are due (DESIGN.md "Day semantics"):
// - a day is closed once the site-local clock is past its end plus the 30-minute visit timeout;
// - explicit --from/--to: every closed day of the range (replaced only if changed);
// - otherwise incremental: a first run backfills `backfill_days` closed days; later runs take every
//   closed day not landed yet since the first landed day (so gaps left by failures are retried),
//   or since the site's backfill marker when it is earlier (a backfill a kill or failures left
//   unfinished: landing/backfill_marker.h), plus the last `lookback_days` closed days again;
// - include_today adds the open day, which lands marked partial;
// - no day before the site was created, nor after the last closed day, is planned: an explicit
//   --from/--to beyond them is clamped with a note (never thousands of empty days).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/error.h"
#include "core/time_zone.h"
#include "landing/landing_zone.h"

namespace metl::extract {

inline constexpr int64_t kVisitTimeoutSeconds = 30 * 60;

enum class DueReason { kNew, kLookback, kRequested, kToday };
const char* DueReasonName(DueReason r);

struct SiteRef {
  int64_t id = 0;
  std::string name;
  std::string timezone_name;
  std::shared_ptr<const TimeZone> tz;
  // The site-local day Matomo created the site (SitesManager ts_created, UTC): no visit is older
  // (Matomo moves ts_created back when older visits are tracked or imported), so no day before it is planned.
  std::optional<CivilDate> created;
};

struct PlannedPartition {
  SiteRef site;
  CivilDate date;
  DueReason reason = DueReason::kNew;
  bool partial = false;  // today: not closed yet
};

struct PlanOptions {
  std::optional<CivilDate> from, to;
  int64_t backfill_days = 30;
  int64_t lookback_days = 3;
  bool include_today = false;
  int64_t now = 0;  // UTC epoch seconds
};

// The last closed site-local day at `now`.
CivilDate LastClosedDay(const TimeZone& tz, int64_t now);

// What the planner read of a site's landed days (the extractor keeps the backfill marker with it).
struct SiteLanding {
  std::optional<CivilDate> first_landed;
  std::optional<CivilDate> backfill_marker;
};

// Partitions due for `sites`, ordered by date then site (so that a killed run has landed whole
// days). Reads the landing zone to know what has landed; fills `landing` per site when given.
Result<std::vector<PlannedPartition>> PlanPartitions(const landing::LandingZone& zone,
                                                     const std::vector<SiteRef>& sites, const PlanOptions& options,
                                                     std::map<int64_t, SiteLanding>* landing = nullptr);

}  // namespace metl::extract
