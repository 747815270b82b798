// Matomo's report APIs computed from a day's visits, rendered byte-for-byte like Matomo 5 renders
// them (key order, "26%" rates, rounding). Definitions are those in MATOMO-API.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "sim/dataset.h"

namespace metl::sim {

// VisitsSummary.get for one day: `[]` when there are no visits.
std::string VisitsSummaryJson(const std::vector<const SimVisit*>& visits);

// Actions.get for one day: nb_pageviews, nb_uniq_pageviews, nb_downloads, nb_uniq_downloads,
// nb_outlinks, nb_uniq_outlinks, nb_searches, nb_keywords. `[]` when there are no visits.
std::string ActionsJson(const std::vector<const SimVisit*>& visits);

// Goals.get for one day. `id_goal` empty = all goals and ecommerce orders (never abandoned carts);
// "ecommerceOrder" or "0" = orders; "ecommerceAbandonedCart" or "-1" = abandoned carts; a number =
// that goal. Anything else is a kTerminal error (Matomo answers it with an error object).
Result<std::string> GoalsJson(const std::vector<const SimVisit*>& visits, std::optional<std::string_view> id_goal);

// Exact decimal sums: "76.33" + "5" -> "81.33" (micro-units, never double).
// Parses a decimal text (optional sign, digits, optional fraction up to 6 digits); false if not.
bool ParseMicros(std::string_view text, int64_t& micros);
std::string FormatMicros(int64_t micros);  // PHP-like: 81.33, 5, 0.5

}  // namespace metl::sim
