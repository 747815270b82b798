#include "extract/planner.h"

#include <algorithm>
#include <map>

#include "core/log.h"
#include "landing/backfill_marker.h"

namespace metl::extract {

const char* DueReasonName(DueReason r) {
  switch (r) {
    case DueReason::kNew: return "new";
    case DueReason::kLookback: return "lookback";
    case DueReason::kRequested: return "requested";
    case DueReason::kToday: return "today";
  }
  return "new";
}

CivilDate LastClosedDay(const TimeZone& tz, int64_t now) {
  CivilDate today = tz.LocalDateOf(now);
  CivilDate yesterday = today - 1;
  // Yesterday is closed once its end (today's start) plus the visit timeout has passed.
  return now >= tz.DayEndUtc(yesterday) + kVisitTimeoutSeconds ? yesterday : yesterday - 1;
}

Result<std::vector<PlannedPartition>> PlanPartitions(const landing::LandingZone& zone,
                                                     const std::vector<SiteRef>& sites, const PlanOptions& o,
                                                     std::map<int64_t, SiteLanding>* landing) {
  std::vector<PlannedPartition> out;
  bool noted_future = false;  // one note per run, not one per site
  for (const SiteRef& site : sites) {
    landing::PartitionFilter filter;
    filter.sites = {site.id};
    METL_ASSIGN_OR_RETURN(auto landed, zone.ListPartitions(filter));
    METL_ASSIGN_OR_RETURN(auto marker, landing::ReadBackfillMarker(zone, site.id));
    if (landing) (*landing)[site.id] = {landed.empty() ? std::nullopt : std::optional(landed.front().date), marker};
    CivilDate today = site.tz->LocalDateOf(o.now);
    CivilDate last_closed = LastClosedDay(*site.tz, o.now);
    // The open day(s): today, and yesterday during the first 30 minutes after midnight.
    auto add_open_days = [&](CivilDate from, CivilDate to) {
      if (!o.include_today) return;
      for (CivilDate d = std::max(from, last_closed + 1); d <= std::min(to, today); ++d) {
        out.push_back({site, d, DueReason::kToday, true});
      }
    };
    if (o.from || o.to) {
      CivilDate from = o.from.value_or(last_closed - (o.backfill_days - 1));
      CivilDate to = o.to.value_or(o.include_today ? today : last_closed);
      if (site.created && from < *site.created) {
        if (o.from) {
          LogInfo(
              "--from is before the site was created: starting at its creation day",
              {{"site", std::to_string(site.id)}, {"from", o.from->ToString()}, {"created", site.created->ToString()}});
        }
        from = *site.created;
      }
      CivilDate last_plannable = o.include_today ? today : last_closed;
      bool future = (o.to && to > last_plannable) || (o.from && from > last_plannable);
      if (future && !noted_future) {
        noted_future = true;
        LogInfo(std::string("the requested range reaches into the future: it stops at the last ") +
                    (o.include_today ? "day (today, partial)" : "closed day"),
                {{"site", std::to_string(site.id)}, {"last_day", last_plannable.ToString()}});
      }
      for (CivilDate d = from; d <= std::min(to, last_closed); ++d) out.push_back({site, d, DueReason::kRequested, false});
      add_open_days(from, to);
      continue;
    }
    std::map<int64_t, bool> final_days;  // date -> landed as final (complete or mismatch)
    std::optional<CivilDate> first_landed;
    for (const auto& ref : landed) {
      auto m = zone.ReadManifest(ref);
      bool final = m.ok() && m->status != landing::PartitionStatus::kPartial;
      final_days[ref.date.days()] = final;
      if (!first_landed || ref.date < *first_landed) first_landed = ref.date;
    }
    CivilDate backfill_start = last_closed - (o.backfill_days - 1);
    if (site.created && backfill_start < *site.created) backfill_start = *site.created;  // a new site
    CivilDate start = first_landed ? *first_landed : backfill_start;
    if (marker && *marker < start) start = *marker;  // a backfill left unfinished
    CivilDate lookback_start = last_closed - (o.lookback_days - 1);
    for (CivilDate d = start; d <= last_closed; ++d) {
      auto it = final_days.find(d.days());
      bool is_final = it != final_days.end() && it->second;
      if (!is_final) {
        out.push_back({site, d, DueReason::kNew, false});
      } else if (o.lookback_days > 0 && d >= lookback_start) {
        out.push_back({site, d, DueReason::kLookback, false});
      }
    }
    add_open_days(last_closed + 1, today);
  }
  std::stable_sort(out.begin(), out.end(), [](const PlannedPartition& a, const PlannedPartition& b) {
    if (a.date != b.date) return a.date < b.date;
    return a.site.id < b.site.id;
  });
  return out;
}

}  // namespace metl::extract
