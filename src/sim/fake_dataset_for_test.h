// A tiny in-memory Dataset for the server's unit tests (no generator involved).
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/dataset.h"

namespace metl::sim::fake {

inline std::string FakeVisitJson(int64_t id, int64_t last_ts, bool with_actions = true) {
  std::string actions = with_actions ? "[{\"type\":\"action\",\"url\":\"https:\\/\\/x.test\\/\",\"pageTitle\":\"Home\","
                                       "\"timestamp\":" +
                                           std::to_string(last_ts) + "}]"
                                     : "[]";
  return "{\"idSite\":1,\"idVisit\":" + std::to_string(id) + ",\"visitorId\":\"v" + std::to_string(id % 7) +
         "\",\"actionDetails\":" + actions + ",\"lastActionTimestamp\":" + std::to_string(last_ts) + ",\"actions\":1}";
}

class FakeDataset final : public Dataset {
 public:
  FakeDataset() {
    for (auto [id, tz] : {std::pair<int64_t, const char*>{1, "UTC"}, {2, "America/New_York"}}) {
      SimSite s;
      s.id = id;
      s.name = "Site " + std::to_string(id);
      s.main_url = "https://x.test";
      s.timezone = tz;
      s.currency = "EUR";
      s.ts_created = "2026-01-01 00:00:00";
      s.tz = *TimeZone::Load(tz);
      sites_.push_back(s);
    }
  }
  // Adds a visit to the site-local day of its last action.
  void Add(int64_t site, int64_t id, int64_t last_ts, bool late = false) {
    SimVisit v;
    v.id_visit = id;
    v.first_action_ts = last_ts - 60;
    v.last_action_ts = last_ts;
    v.json = FakeVisitJson(id, last_ts);
    v.json_without_actions = FakeVisitJson(id, last_ts, false);
    v.visitor_id = "v" + std::to_string(id % 7);
    v.actions = 1;
    CivilDate day = FindSite(site)->tz->LocalDateOf(last_ts);
    auto& list = (late ? late_ : days_)[{site, day.days()}];
    list.push_back(v);
    std::stable_sort(list.begin(), list.end(),
                     [](const SimVisit& a, const SimVisit& b) { return a.last_action_ts < b.last_action_ts; });
  }
  const std::vector<SimSite>& Sites() const override { return sites_; }
  DayVisits VisitsOfDay(int64_t site, CivilDate day) const override { return Get(days_, site, day); }
  DayVisits LateVisitsOfDay(int64_t site, CivilDate day) const override { return Get(late_, site, day); }

 private:
  using Days = std::map<std::pair<int64_t, int64_t>, std::vector<SimVisit>>;
  static DayVisits Get(const Days& d, int64_t site, CivilDate day) {
    auto it = d.find({site, day.days()});
    return std::make_shared<const std::vector<SimVisit>>(it == d.end() ? std::vector<SimVisit>{} : it->second);
  }
  std::vector<SimSite> sites_;
  Days days_, late_;
};

}  // namespace metl::sim::fake
