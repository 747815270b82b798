// The partition ledger (matomo_etl_partitions) in engine-neutral form: a LedgerEntry as a
// one-row TableBatch for the engines' bulk paths, and reading the ledger back through SQL.
#pragma once

#include <vector>

#include "normalize/table_batch.h"
#include "warehouse/warehouse.h"

namespace metl::warehouse {

inline constexpr std::string_view kLedgerTable = "matomo_etl_partitions";

const TableDef& LedgerTable();
// Appends `entry` as one row to `batch` (a batch of LedgerTable()); columns are matched by name.
void AppendLedgerRow(const LedgerEntry& entry, TableBatch& batch);
// Rows of the ledger, optionally narrowed (empty sites = all), sorted by site and date.
Result<std::vector<LedgerEntry>> ReadLedger(Session& session, const std::vector<int64_t>& sites = {},
                                            std::optional<CivilDate> from = {}, std::optional<CivilDate> to = {});

}  // namespace metl::warehouse
