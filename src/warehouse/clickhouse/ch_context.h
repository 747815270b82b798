// What the ClickHouse warehouse, its sessions and its partition loads share: the client (one server or
// every shard of a cluster), the capabilities, and the cluster's routing (which shard owns a partition,
// which names are NAME_local tables on each shard).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "normalize/schema.h"
#include "warehouse/clickhouse/ch_client.h"
#include "warehouse/clickhouse/ch_types.h"
#include "warehouse/warehouse.h"

namespace metl::warehouse::ch_engine {

// Every staging table's name starts so: a later Migrate drops those a killed run left behind.
inline constexpr std::string_view kStagingPrefix = "_metl_stg_";

// `bytes` random bytes as hex: staging tables of concurrent loads never share a name.
std::string RandomHex(int bytes);
// "(1, '2026-11-25')": the partition of a (site, day) table.
std::string PartitionExpr(const PartitionKey& key);

// Shared by the warehouse and its sessions.
struct ChContext {
  std::shared_ptr<ChClient> client;
  Capabilities caps;
  bool read_only = false;
  bool clustered() const { return client->target().clustered(); }
  // The local MergeTree table holding `table`'s rows on a shard.
  std::string LocalName(const TableDef& table) const {
    return ch_engine::LocalName(table.name, clustered() && !ReplicatedEverywhere(table));
  }
  // Names a write must map to NAME_local on a cluster.
  std::vector<std::string> ShardedNames() const;
  // An error of a query through a Distributed table names the shard that is down (the server's
  // message names only a native port).
  Error NameDownShard(Error e) const;
  Result<size_t> OwnerShard(const PartitionKey& key) const;
  Status WaitMutations(size_t shard, const std::string& table) const;
};

}  // namespace metl::warehouse::ch_engine
