// The curated schema in ClickHouse terms: column types, table DDL (local MergeTree tables partitioned
// by (site_id, day), Distributed tables over them on a cluster) and RowBinary rows that never alter a
// value silently: 18.16 would store a bad date as 0000-00-00 and wrap an overflowing integer, so every
// value is checked (or the column widened) here, before it is sent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "normalize/schema.h"
#include "normalize/table_batch.h"
#include "warehouse/warehouse.h"

namespace metl::warehouse::ch_engine {

// The type names for Capabilities::types (kInt is widened to Int64: no value can overflow it).
TypeNames ChTypeNames();
std::string ChType(const ColumnDef& column);  // e.g. "Nullable(Decimal(18, 6))"
std::string ChIdent(std::string_view name);   // `name`

// The local table's name: the declared name on one server, NAME_local on a cluster.
std::string LocalName(std::string_view table, bool clustered);
// Tables kept whole on every shard of a cluster (no Distributed table): matomo_sites, matomo_goals,
// matomo_dates.
bool ReplicatedEverywhere(const TableDef& table);

// CREATE TABLE IF NOT EXISTS for the MergeTree table `name` of `table`:
//   PARTITION BY (site_id, <date column>) for tables of (site, day) partitions, the unit that
//   REPLACE PARTITION swaps; PARTITION BY site_id for matomo_sites / matomo_goals; one partition
//   (tuple()) for matomo_dates, which has no site.
std::string CreateLocalTableSql(const TableDef& table, std::string_view name);
// The Distributed table over `local` on `cluster`, sharded by cityHash64(site_id, <date column>).
std::string CreateDistributedTableSql(const TableDef& table, std::string_view database, std::string_view cluster,
                                      std::string_view local);
// The sharding expression of a (site, day), which the loader also evaluates to find the owning shard.
std::string ShardKeyExpr(const PartitionKey& key);

// Appends row `row` of `batch` in RowBinary. kData error (naming the column and the value) for a
// value the column cannot hold exactly: a date outside 1970-01-01..2149-06-06, a timestamp outside
// DateTime's range or with a fraction of a second, a boolean other than 0/1.
Status AppendRowBinary(const TableBatch& batch, size_t row, std::string& out);

}  // namespace metl::warehouse::ch_engine
