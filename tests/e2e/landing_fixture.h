// Builds landing zones for load tests straight from JSON arrays of visits (Live responses), and
// counts what each curated table must hold, from the raw JSON, independently of the normalizer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace metl::e2e {

// The elements of a JSON array (a Live response), each minified: one visit per string.
std::vector<std::string> SplitJsonArray(const std::string& json_array);

// Lands the visits of a Live.getLastVisitsDetails JSON array as partition (site_id, date).
// Returns the lines landed. Lines in `extra_lines` are appended verbatim (e.g. a corrupt one).
std::vector<std::string> LandJsonArray(const std::string& landing, int64_t site_id, const std::string& date,
                                       const std::string& timezone, const std::string& json_array,
                                       const std::vector<std::string>& extra_lines = {});

struct RawCounts {
  int64_t visits = 0, actions = 0, custom_dimensions = 0, conversions = 0, ecommerce_items = 0;
  int64_t pageviews = 0;
};
RawCounts CountRaw(const std::vector<std::string>& lines);
// Expects the curated tables of warehouse `url` to hold `counts` rows for `site_id` (visits, raw visits,
// actions, custom dimensions, conversions, ecommerce items).
void ExpectRowCounts(const std::string& url, int64_t site_id, const RawCounts& counts);

}  // namespace metl::e2e
