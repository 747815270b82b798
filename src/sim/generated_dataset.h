// The seeded synthetic Matomo: sites from site_catalog.h, visits from visit_generator.h,
// generated lazily per (site, day) and kept in a bounded cache (thread-safe).
// Determinism: a visit's content depends only on (seed, visits_per_day, site, day); its idVisit
// (and the pageId/orderId derived from it) also on `from` and `sites`, never on `to` or on which
// days were generated before.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <vector>

#include "core/error.h"
#include "sim/dataset.h"
#include "sim/site_catalog.h"
#include "sim/visit_generator.h"

namespace metl::sim {

struct GeneratorOptions {
  uint64_t seed = 42;
  int sites = 2;
  int visits_per_day = 200;
  CivilDate from, to;  // inclusive range of site-local days that have visits
  // Upper bound for cached visit JSON; least recently used days are dropped beyond it.
  size_t cache_bytes = size_t{512} << 20;
};

class GeneratedDataset : public Dataset {
 public:
  static Result<std::unique_ptr<GeneratedDataset>> Create(GeneratorOptions options);

  const std::vector<SimSite>& Sites() const override { return sites_; }
  DayVisits VisitsOfDay(int64_t site_id, CivilDate day) const override;
  DayVisits LateVisitsOfDay(int64_t site_id, CivilDate day) const override;
  const LogActions* Actions() const override {
    return catalogs_.empty() ? nullptr : catalogs_.front().actions.get();
  }

  const GeneratorOptions& options() const { return options_; }

 private:
  GeneratedDataset(GeneratorOptions options, std::vector<SiteCatalog> catalogs);
  DayVisits Get(int64_t site_id, CivilDate day, bool late) const;

  GeneratorOptions options_;
  std::vector<SiteCatalog> catalogs_;
  std::vector<SimSite> sites_;
  VisitGenerator generator_;

  using Key = std::tuple<int64_t, int64_t, bool>;  // site, day, late
  struct Entry {
    DayVisits visits;
    size_t bytes = 0;
    std::list<Key>::iterator lru;
  };
  mutable std::mutex mu_;
  mutable std::map<Key, Entry> cache_;
  mutable std::list<Key> lru_;  // most recent first
  mutable size_t cached_bytes_ = 0;
};

}  // namespace metl::sim
