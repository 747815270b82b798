// Helpers shared by load, sync, status, verify and demo: opening the warehouse named by
// --warehouse, the load options from the config (the load summary: run_summary.h).
#pragma once

#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/run_summary.h"  // PrintLoadSummary
#include "warehouse/loader.h"
#include "warehouse/warehouse.h"

namespace metl::cli {

Result<std::unique_ptr<warehouse::Warehouse>> OpenConfiguredWarehouse(const Config& config);
// A session on the warehouse once its tables exist with every declared column (self-migration), so
// that reading commands work on a new or older warehouse too.
Result<std::unique_ptr<warehouse::Session>> ConnectMigrated(warehouse::Warehouse& warehouse);
landing::PartitionFilter FilterFromConfig(const Config& config);
warehouse::LoadOptions LoadOptionsFromConfig(const Config& config);
// The model options that are checked beyond their type (the funnels' syntax): a config error before any work.
Status CheckModelOptions(const Config& config);
// True, after saying so, when nothing has landed (in the range asked for) and the warehouse is a file
// that does not exist yet: a run with nothing to write leaves no empty warehouse behind.
bool NothingToLoad(const warehouse::LoadOptions& options, const warehouse::WarehouseLocation& where);

}  // namespace metl::cli
