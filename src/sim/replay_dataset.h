// --replay DIR: serves a real export with the simulator's semantics. DIR/sites.json is an array as
// SitesManager.getSitesWithAtLeastViewAccess returns it; DIR/site=<id>/date=<YYYY-MM-DD>.json is a
// Live JSON array and .jsonl one visit per line. Visits are re-bucketed by the site-local date of
// their lastActionTimestamp (a file's name does not decide), duplicates (same idVisit) are kept
// once, and each visit's JSON text is served byte for byte as it is in the file.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "sim/dataset.h"

namespace metl::sim {

class ReplayDataset final : public Dataset {
 public:
  static Result<std::unique_ptr<ReplayDataset>> Open(const std::string& dir);

  const std::vector<SimSite>& Sites() const override { return sites_; }
  DayVisits VisitsOfDay(int64_t site_id, CivilDate day) const override;
  std::optional<std::string> RecordedReport(int64_t site_id, CivilDate day, const std::string& report) const override;
  size_t visit_count() const { return visit_count_; }

 private:
  ReplayDataset() = default;
  std::string root_;
  std::vector<SimSite> sites_;
  std::map<std::pair<int64_t, int64_t>, DayVisits> days_;  // (site, day) -> visits ascending
  size_t visit_count_ = 0;
};

// Splits a JSON array's text into its elements' raw text (byte-exact); an error if it is not an array.
Result<std::vector<std::string>> SplitJsonArray(std::string_view text);

}  // namespace metl::sim
