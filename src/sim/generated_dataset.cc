#include "sim/generated_dataset.h"

#include <utility>

namespace metl::sim {

Result<std::unique_ptr<GeneratedDataset>> GeneratedDataset::Create(GeneratorOptions options) {
  if (options.sites < 1) return Error(ErrorKind::kConfig, "the simulator needs at least one site");
  if (options.visits_per_day < 0) return Error(ErrorKind::kConfig, "visits per day must not be negative");
  if (options.visits_per_day > 10'000'000) return Error(ErrorKind::kConfig, "visits per day is too large (max 1e7)");
  if (options.to < options.from) {
    return Error(ErrorKind::kConfig, "the data range ends (" + options.to.ToString() + ") before it starts (" +
                                         options.from.ToString() + ")");
  }
  auto catalogs = BuildCatalogs(options.sites, options.from);
  if (!catalogs.ok()) return std::move(catalogs).error();
  return std::unique_ptr<GeneratedDataset>(new GeneratedDataset(options, std::move(catalogs).value()));
}

GeneratedDataset::GeneratedDataset(GeneratorOptions options, std::vector<SiteCatalog> catalogs)
    : options_(options),
      catalogs_(std::move(catalogs)),
      generator_(GeneratorParams{options.seed, options.sites, options.visits_per_day, options.from}, &catalogs_) {
  for (const auto& c : catalogs_) sites_.push_back(c.site);
}

DayVisits GeneratedDataset::VisitsOfDay(int64_t site_id, CivilDate day) const { return Get(site_id, day, false); }
DayVisits GeneratedDataset::LateVisitsOfDay(int64_t site_id, CivilDate day) const { return Get(site_id, day, true); }

DayVisits GeneratedDataset::Get(int64_t site_id, CivilDate day, bool late) const {
  if (site_id < 1 || site_id > static_cast<int64_t>(catalogs_.size()) || day < options_.from || day > options_.to) {
    return std::make_shared<const std::vector<SimVisit>>();
  }
  const Key key{site_id, day.days(), late};
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.lru);
      return it->second.visits;
    }
  }
  // Generate outside the lock: other days stay servable meanwhile. Two threads asking for the same
  // day may both generate it; the result is identical, so either copy is fine.
  auto visits = std::make_shared<const std::vector<SimVisit>>(
      generator_.GenerateDay(catalogs_[static_cast<size_t>(site_id - 1)], day, late));
  size_t bytes = 0;
  for (const auto& v : *visits) bytes += v.json.size() + v.json_without_actions.size() + 256;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second.visits;
  lru_.push_front(key);
  cache_.emplace(key, Entry{visits, bytes, lru_.begin()});
  cached_bytes_ += bytes;
  // Evict least recently used days, but always keep the one just made.
  while (cached_bytes_ > options_.cache_bytes && lru_.size() > 1) {
    auto victim = cache_.find(lru_.back());
    cached_bytes_ -= victim->second.bytes;
    cache_.erase(victim);
    lru_.pop_back();
  }
  return visits;
}

}  // namespace metl::sim
