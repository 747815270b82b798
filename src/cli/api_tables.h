// matomo_sites and matomo_goals: refreshed from the API (SitesManager.getSiteFromId,
// Goals.getGoals) for the sites of every sync, and by `load` for the loaded sites they lack. Only the
// rows of the refreshed sites are replaced: other sites' rows stay (a run restricted with --site).
#pragma once

#include <cstdint>
#include <vector>

#include "cli/commands.h"
#include "core/error.h"
#include "warehouse/warehouse.h"

namespace metl::matomo {
class MatomoClient;
}

namespace metl::cli {

// Refreshes both tables for `sites` (the sites present in the landing zone or asked for), in one
// transaction.
Status RefreshApiTables(matomo::MatomoClient& client, warehouse::Session& session, const std::vector<int64_t>& sites,
                        int64_t now);

// The sites of `sites` that matomo_sites has no row for (a new or rebuilt warehouse).
Result<std::vector<int64_t>> SitesMissingFromApiTables(warehouse::Session& session, const std::vector<int64_t>& sites);

// After `load`: fills both tables for the loaded sites they lack, from the API when a Matomo url is
// configured, else says what to run. Returns kExitOk, or kExitPartitionsFailed when the refresh failed.
int FillMissingApiTables(const CommandContext& ctx, warehouse::Warehouse& warehouse, const std::vector<int64_t>& sites);

}  // namespace metl::cli
