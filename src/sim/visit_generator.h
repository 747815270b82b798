// Generates one site-local day of visits, deterministically from (seed, site, day): the same
// inputs always give byte-identical JSON, without generating any other day first.
//
// Model (why it is built this way):
// - Every visit slot (day, index) has a start time that is a pure function of its inputs and
//   grows with the index, so idVisit (assigned from the slot) increases roughly with time like
//   Matomo's autoincrement, and a later day can look up when a returning visitor first came.
// - A visitor is identified by the slot of its first visit: returning visits on day d point at a
//   "new visitor" slot of a day before, which gives stable visitorIds and consistent
//   daysSinceFirstVisit/secondsSinceFirstVisit across days.
// - The first slots of a day are visits running until just before local midnight; the next day
//   starts with their continuations (same visitor, new visit after midnight, sometimes with 0
//   actions), as Matomo splits visits at midnight.
// - idVisit = 1 + ((day - from) * slots_per_day + slot) * sites + (site - 1): unique across sites
//   and days. Late visits (--late-data) use slots after the regular ones.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/dataset.h"
#include "sim/site_catalog.h"

namespace metl::sim {

struct GeneratorParams {
  uint64_t seed = 42;
  int sites = 2;
  int visits_per_day = 200;
  CivilDate from;
};

class VisitGenerator {
 public:
  VisitGenerator(GeneratorParams params, const std::vector<SiteCatalog>* catalogs)
      : p_(params), catalogs_(catalogs) {}

  // The visits of `day` (regular or late ones), ascending by last_action_ts.
  std::vector<SimVisit> GenerateDay(const SiteCatalog& site, CivilDate day, bool late) const;

  // Number of regular (non-continuation) visit slots of a day: a pure function.
  int64_t NominalCount(int64_t site_id, CivilDate day) const;
  int64_t SlotsPerDay() const { return 2 * static_cast<int64_t>(p_.visits_per_day) + 64; }

 private:
  GeneratorParams p_;
  const std::vector<SiteCatalog>* catalogs_;
};

}  // namespace metl::sim
