// Which visits Live.getLastVisitsDetails returns, and in what order (MATOMO-API.md):
// last action time desc (asc on request), ties in random order per request, filter_limit /
// filter_offset / countVisitorsToFetch, minTimestamp strict, period=day over site-local days,
// date=today also returning yesterday, and the windowed multi-day query of Matomo's Live model
// (matomo#16394) that applies filter_offset per window and so returns wrong pages.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <vector>

#include "core/civil_date.h"
#include "sim/dataset.h"
#include "sim/period.h"
#include "sim/request.h"

namespace metl::sim {

struct LivePaging {
  int64_t limit = 100;  // -1 = all
  int64_t offset = 0;
  bool ascending = false;
  std::optional<int64_t> min_timestamp;  // keep last_action_ts > this
};

// filter_limit, filter_offset, countVisitorsToFetch, filter_sort_order, minTimestamp.
LivePaging ParseLivePaging(const ApiRequest& req);

// Visits of several days kept alive together, ascending by last action.
struct VisitList {
  std::vector<DayVisits> keep_alive;
  std::vector<const SimVisit*> visits;
};

// Appends the visits of one site-local day (ascending by last action) to `out`.
using DaySource = std::function<void(CivilDate day, VisitList& out)>;

// The days a Live request reads: period=day&date=today adds yesterday.
void LiveDays(const ResolvedPeriod& period, CivilDate& first, CivilDate& last);

// Runs the query. `now_utc` hides visits whose last action is in the simulated future.
// Multi-day periods (week, month, year, range, or several dates) use Matomo's windows.
VisitList SelectLiveVisits(const DaySource& source, const ResolvedPeriod& period, const LivePaging& paging,
                           int64_t now_utc, std::mt19937_64& rng);

// Orders `visits` (ascending on input) by the request's sort order, shuffling runs that share a
// last-action second.
void OrderWithShuffledTies(std::vector<const SimVisit*>& visits, bool ascending, std::mt19937_64& rng);

}  // namespace metl::sim
