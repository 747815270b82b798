// Every visit of the export reduced to what decides its day: idvisit -> (site, last action time) of
// the newest file's log_visit row, then its (site, site-local day). `dwc load` keeps this for all
// visits (a few dozen bytes each) instead of their rows, to know which visits a rebuilt day holds.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <unordered_map>

#include "dwc/day_key.h"
#include "dwc/raw_row.h"
#include "dwc/raw_store.h"

namespace metl::dwc {

class VisitDays {
 public:
  // A log_visit row (with its idvisit), files oldest first: the newest version wins.
  void Upsert(const RawRow& visit);
  // Gives each visit its site-local day, by its site's time zone (the site rows in `sites`). Visits
  // without a site or a valid last action time, and those of a site without context (no site row, a
  // time zone that does not load), have none: they are in no day, as when all rows were in memory.
  void Resolve(const RawStore& sites);
  std::optional<DayKey> DayOf(int64_t idvisit) const;
  void ForEach(const std::function<void(int64_t idvisit, const DayKey& day)>& take) const;

 private:
  struct Entry {
    int64_t site = 0;
    int64_t last = 0;
    bool valid = false;  // both known
    bool has_day = false;
    CivilDate day;
  };
  std::unordered_map<int64_t, Entry> visits_;
};

// The days of `visits`, every day of `sites`, and every day when `all`: the days a run's new or
// changed files touch before log_action's (dwc/day_rows.h finds the days of the visits using them).
std::set<DayKey> DaysTouched(const VisitDays& days, const std::set<int64_t>& visits, const std::set<int64_t>& sites,
                             bool all);

}  // namespace metl::dwc
