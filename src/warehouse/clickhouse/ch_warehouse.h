// The ClickHouse warehouse (issue 16): one server, or a sharded cluster without ZooKeeper.
//
// A (site, day) partition loads exactly once, without transactions:
//   1. on the shard that owns it (cityHash64(site_id, day) % shards: a partition lives on one shard),
//      every table's rows go into a staging table of its own (CREATE TABLE ... AS the local table),
//      as RowBinary that was checked value by value (ch_types.h);
//   2. each staging table is checked: as many rows as were sent, the same sum of visit_id, no row
//      outside the partition (an INSERT is atomic only up to one block: the check is what makes a
//      partition whole);
//   3. ALTER TABLE ... REPLACE PARTITION (site, day) FROM staging, table after table: readers see
//      each table's partition switch atomically, never a mix or an empty state;
//      (a table without rows in this partition has its partition dropped instead);
//   4. THEN the ledger row (its one-row partition dropped, the row inserted), and the staging tables
//      are dropped.
// A kill before 4 leaves a missing or stale ledger row: the next run redoes the partition, and a
// REPLACE is idempotent. Staging tables a kill left behind are dropped by a later Migrate.
//
// Partitioning: PARTITION BY (site_id, day), the unit REPLACE PARTITION swaps (docs/clickhouse.md
// says why not months). On a cluster every shard holds NAME_local tables plus a Distributed NAME
// over them; writes (loads, models) act on each shard's local tables, reads go through NAME.
// matomo_sites and matomo_goals (a few rows a site) are kept whole on every shard.
#pragma once

#include <memory>
#include <string_view>

#include "core/error.h"
#include "http/http_client.h"
#include "http/retry_policy.h"
#include "warehouse/warehouse.h"

namespace metl::warehouse {

Result<std::unique_ptr<Warehouse>> OpenClickHouseWarehouse(std::string_view uri, const WarehouseOptions& options,
                                                           std::shared_ptr<http::HttpClient> http,
                                                           http::RetryOptions retry);
// Over libcurl, the password from CLICKHOUSE_PASSWORD (or the URI, with a warning).
Result<std::unique_ptr<Warehouse>> OpenClickHouseWarehouse(std::string_view uri, const WarehouseOptions& options);
Status CheckClickHouseUri(std::string_view uri);

}  // namespace metl::warehouse
