// matomo_sites and matomo_goals: refreshed from the API (SitesManager.getSiteFromId,
// Goals.getGoals) on every sync, replacing the whole table.
#pragma once

#include <cstdint>
#include <vector>

#include "core/error.h"
#include "warehouse/warehouse.h"

namespace metl::matomo {
class MatomoClient;
}

namespace metl::cli {

// Refreshes both tables for `sites` (the sites present in the landing zone or asked for).
Status RefreshApiTables(matomo::MatomoClient& client, warehouse::Session& session, const std::vector<int64_t>& sites,
                        int64_t now);

}  // namespace metl::cli
