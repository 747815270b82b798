// Converts actions' `timestamp`s (site-local wall time written as if UTC, matomo#22720) to true UTC.
// In a fall-back hour a wall time has two instants; each is resolved so that times never decrease
// within the visit and stay within [firstActionTimestamp, lastActionTimestamp] (MATOMO-API.md).
// One offset per visit, or always the first or the second occurrence, is wrong for visits that
// cross the change.
#pragma once

#include <cstdint>
#include <vector>

#include "core/time_zone.h"

namespace metl {

// `local[i]` are the actions' wall times (LocalSeconds) in actionDetails order; `utc_out` receives
// one UTC instant per action. The visit's bounds are true UTC epochs.
//
// Rule: take the earliest candidate instant that is >= the previous action's instant (the first
// action's lower bound is first_action_utc) and <= last_action_utc; when none qualifies, the earliest
// candidate >= the previous one, else the latest candidate. Choosing the earliest feasible instant is
// right because consecutive actions of one visit are at most the visit timeout (30 min) apart, less
// than the repeated hour, so a later wall time in the second occurrence is never preceded by an
// action in the first one without a backwards step. A wall time in a spring-forward gap (which
// Matomo cannot produce) is shifted forward by the gap.
void ResolveActionTimes(const TimeZone& zone, const std::vector<int64_t>& local, int64_t first_action_utc,
                        int64_t last_action_utc, std::vector<int64_t>* utc_out);

}  // namespace metl
