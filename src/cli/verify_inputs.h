// What both `verify` and `verify --reports` start from: the warehouse (migrated), the Matomo client, and
// the loaded partitions in the requested range with each site's first and last day.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "core/civil_date.h"
#include "matomo/client.h"
#include "warehouse/ledger.h"
#include "warehouse/warehouse.h"

namespace metl::cli {

struct VerifyInputs {
  std::unique_ptr<warehouse::Warehouse> warehouse;
  std::unique_ptr<matomo::MatomoClient> client;
  std::unique_ptr<warehouse::Session> session;
  std::vector<warehouse::LedgerEntry> loaded;                     // loaded partitions in range
  std::map<int64_t, std::pair<CivilDate, CivilDate>> site_ranges;  // site -> first, last loaded day
};

// Opens everything verify needs. nullopt: ready. Otherwise the exit code to return, the error already
// reported (or "nothing to verify" printed when no partition in range is loaded).
std::optional<int> OpenVerifyInputs(CommandContext& ctx, VerifyInputs& in);

}  // namespace metl::cli
