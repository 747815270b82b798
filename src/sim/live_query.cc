#include "sim/live_query.h"

#include <algorithm>

namespace metl::sim {
namespace {

// Matomo's Model::splitDatesIntoMultipleQueries: the first window is one day at the end the sort
// starts from, then windows of 7, 30 and 365 days, then the rest.
std::vector<std::pair<CivilDate, CivilDate>> Windows(CivilDate first, CivilDate last, bool ascending) {
  std::vector<std::pair<CivilDate, CivilDate>> windows;
  const int64_t sizes[] = {1, 7, 30, 365};
  size_t i = 0;
  if (ascending) {
    CivilDate start = first;
    while (start <= last) {
      int64_t size = i < 4 ? sizes[i++] : (last - start) + 1;
      CivilDate end = std::min(last, start + (size - 1));
      windows.emplace_back(start, end);
      start = end + 1;
    }
  } else {
    CivilDate end = last;
    while (end >= first) {
      int64_t size = i < 4 ? sizes[i++] : (end - first) + 1;
      CivilDate start = std::max(first, end - (size - 1));
      windows.emplace_back(start, end);
      end = start - 1;
    }
  }
  return windows;
}

void Collect(const DaySource& source, CivilDate first, CivilDate last, const LivePaging& paging, int64_t now_utc,
             VisitList& out) {
  VisitList raw;
  for (CivilDate d = first; d <= last; ++d) source(d, raw);
  for (auto& k : raw.keep_alive) out.keep_alive.push_back(std::move(k));
  for (const SimVisit* v : raw.visits) {
    if (v->last_action_ts > now_utc) continue;
    if (paging.min_timestamp && v->last_action_ts <= *paging.min_timestamp) continue;
    out.visits.push_back(v);
  }
}

// Applies offset and limit (limit -1 = all) to an ordered list, appending to `out`.
void TakePage(const std::vector<const SimVisit*>& ordered, int64_t offset, int64_t limit,
              std::vector<const SimVisit*>& out) {
  if (offset >= static_cast<int64_t>(ordered.size())) return;
  auto begin = ordered.begin() + offset;
  auto end = limit < 0 || limit >= static_cast<int64_t>(ordered.end() - begin) ? ordered.end() : begin + limit;
  out.insert(out.end(), begin, end);
}

}  // namespace

LivePaging ParseLivePaging(const ApiRequest& req) {
  LivePaging p;
  p.limit = ParamInt(req, "filter_limit", 100);
  if (p.limit < -1) p.limit = -1;
  p.offset = std::max<int64_t>(0, ParamInt(req, "filter_offset", 0));
  int64_t count = ParamInt(req, "countVisitorsToFetch", 0);
  if (count > 0) {  // overrides both (Live API: offset forced to 0)
    p.limit = count;
    p.offset = 0;
  }
  std::string order = req.Get("filter_sort_order", "desc");
  p.ascending = order == "asc" || order == "ASC";
  if (req.Has("minTimestamp") && !req.Get("minTimestamp", "").empty()) {
    p.min_timestamp = ParamInt(req, "minTimestamp", 0);
  }
  return p;
}

void LiveDays(const ResolvedPeriod& period, CivilDate& first, CivilDate& last) {
  first = period.first;
  last = period.last;
  if (period.kind == PeriodKind::kDay && !period.multiple_days && period.is_today) first = first - 1;
}

void OrderWithShuffledTies(std::vector<const SimVisit*>& visits, bool ascending, std::mt19937_64& rng) {
  auto by_time = [](const SimVisit* a, const SimVisit* b) { return a->last_action_ts < b->last_action_ts; };
  // Sources deliver ascending lists; sorting is only insurance (a 100,000-visit day per page).
  if (!std::is_sorted(visits.begin(), visits.end(), by_time)) std::stable_sort(visits.begin(), visits.end(), by_time);
  if (!ascending) std::reverse(visits.begin(), visits.end());
  for (size_t i = 0; i < visits.size();) {
    size_t j = i + 1;
    while (j < visits.size() && visits[j]->last_action_ts == visits[i]->last_action_ts) ++j;
    if (j - i > 1)
      std::shuffle(visits.begin() + static_cast<std::ptrdiff_t>(i), visits.begin() + static_cast<std::ptrdiff_t>(j),
                   rng);
    i = j;
  }
}

VisitList SelectLiveVisits(const DaySource& source, const ResolvedPeriod& period, const LivePaging& paging,
                           int64_t now_utc, std::mt19937_64& rng) {
  VisitList result;
  if (paging.limit == 0) return result;
  CivilDate first, last;
  LiveDays(period, first, last);
  bool windowed = period.kind != PeriodKind::kDay || period.multiple_days;
  if (!windowed) {
    VisitList all;
    Collect(source, first, last, paging, now_utc, all);
    OrderWithShuffledTies(all.visits, paging.ascending, rng);
    result.keep_alive = std::move(all.keep_alive);
    TakePage(all.visits, paging.offset, paging.limit, result.visits);
    return result;
  }
  // Matomo's Live model queries window after window; the offset is applied inside each window
  // until a window returns something (the bug behind matomo#16394), then the limit is filled.
  for (const auto& [wfirst, wlast] : Windows(first, last, paging.ascending)) {
    VisitList window;
    Collect(source, wfirst, wlast, paging, now_utc, window);
    OrderWithShuffledTies(window.visits, paging.ascending, rng);
    for (auto& k : window.keep_alive) result.keep_alive.push_back(std::move(k));
    int64_t offset = result.visits.empty() ? paging.offset : 0;
    int64_t remaining = paging.limit < 0 ? -1 : paging.limit - static_cast<int64_t>(result.visits.size());
    TakePage(window.visits, offset, remaining, result.visits);
    if (paging.limit >= 0 && static_cast<int64_t>(result.visits.size()) >= paging.limit) break;
  }
  return result;
}

}  // namespace metl::sim
