// One (site, day) partition loaded into ClickHouse: staging tables on the owning shard, checked, then
// swapped in by REPLACE PARTITION, then the ledger row (the steps of ch_warehouse.h).
#pragma once

#include <memory>
#include <vector>

#include "core/error.h"
#include "warehouse/clickhouse/ch_context.h"

namespace metl::warehouse::ch_engine {

// The load of `key` on `shard` (its owner) for `tables`.
Result<std::unique_ptr<PartitionLoad>> StartChPartitionLoad(const ChContext& ctx, const PartitionKey& key, size_t shard,
                                                            const std::vector<const TableDef*>& tables);

}  // namespace metl::warehouse::ch_engine
