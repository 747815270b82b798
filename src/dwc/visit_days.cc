#include "dwc/visit_days.h"

#include <map>

#include "dwc/live_visit.h"
#include "dwc/raw_decode.h"

namespace metl::dwc {

void VisitDays::Upsert(const RawRow& visit) {
  auto id = visit.Int("idvisit");
  if (!id) return;
  Entry e;
  auto site = visit.Int("idsite");
  auto last = ParseUtcDateTime(visit.Text("visit_last_action_time").value_or(""));
  e.valid = site && last;
  if (e.valid) {
    e.site = *site;
    e.last = *last;
  }
  visits_[*id] = e;
}

void VisitDays::Resolve(const RawStore& sites) {
  std::map<int64_t, std::optional<SiteContext>> contexts;
  for (auto& [id, e] : visits_) {
    if (!e.valid) continue;
    auto it = contexts.find(e.site);
    if (it == contexts.end()) {
      auto c = LoadSiteContext(sites, e.site);
      it = contexts.emplace(e.site, c.ok() ? std::optional<SiteContext>(std::move(c).value()) : std::nullopt).first;
    }
    if (!it->second) continue;
    e.day = it->second->zone->LocalDateOf(e.last);
    e.has_day = true;
  }
}

std::optional<DayKey> VisitDays::DayOf(int64_t idvisit) const {
  auto it = visits_.find(idvisit);
  if (it == visits_.end() || !it->second.has_day) return std::nullopt;
  return DayKey{it->second.site, it->second.day};
}

void VisitDays::ForEach(const std::function<void(int64_t idvisit, const DayKey& day)>& take) const {
  for (const auto& [id, e] : visits_) {
    if (e.has_day) take(id, DayKey{e.site, e.day});
  }
}

std::set<DayKey> DaysTouched(const VisitDays& days, const std::set<int64_t>& visits, const std::set<int64_t>& sites,
                             bool all) {
  std::set<DayKey> out;
  if (all || !sites.empty()) {
    days.ForEach([&](int64_t, const DayKey& day) {
      if (all || sites.count(day.site_id)) out.insert(day);
    });
  }
  for (int64_t id : visits) {
    if (auto day = days.DayOf(id)) out.insert(*day);
  }
  return out;
}

}  // namespace metl::dwc
