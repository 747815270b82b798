// The backfill marker: `<landing>/site=<id>/_backfill.json`, {"from":"YYYY-MM-DD"}.
//
// Runs without --from/--to continue from a site's first landed day. A first run lands its days
// concurrently, so when it is killed (or some of its days fail) the landed days may start later
// than the days it set out to take, and the next run would never take the ones before. The
// extractor therefore records where a backfill starts before it lands anything of it, the planner
// starts at the earlier of the marker and the first landed day, and the marker is deleted once the
// site's first landed day reaches it, so that deleting the oldest landed days stays free afterwards.
// Readers of partitions ignore the file (it is not a site=/date= folder).
#pragma once

#include <cstdint>
#include <optional>

#include "core/civil_date.h"
#include "core/error.h"
#include "landing/landing_zone.h"

namespace metl::landing {

inline constexpr const char* kBackfillMarkerFile = "_backfill.json";

// The marker's day, nullopt when there is none. An unreadable marker is an error naming the file.
Result<std::optional<CivilDate>> ReadBackfillMarker(const LandingZone& zone, int64_t site_id);

// Writes the marker (durably; replaces an existing one).
Status WriteBackfillMarker(const LandingZone& zone, int64_t site_id, CivilDate from);

// Deletes the marker; an absent marker is not an error.
Status DeleteBackfillMarker(const LandingZone& zone, int64_t site_id);

}  // namespace metl::landing
