#include "warehouse/clickhouse/ch_context.h"

#include <chrono>
#include <random>
#include <thread>

namespace metl::warehouse::ch_engine {

std::string RandomHex(int bytes) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < bytes; ++i) {
    unsigned v = rng() & 0xff;
    out += hex[v >> 4];
    out += hex[v & 15];
  }
  return out;
}

std::string PartitionExpr(const PartitionKey& key) {
  return "(" + std::to_string(key.site_id) + ", '" + key.date.ToString() + "')";
}

std::vector<std::string> ChContext::ShardedNames() const {
  std::vector<std::string> out;
  for (const TableDef& t : AllTables()) {
    if (!ReplicatedEverywhere(t)) out.emplace_back(t.name);
  }
  return out;
}

Error ChContext::NameDownShard(Error e) const {
  if (!clustered()) return e;
  for (size_t s = 0; s < client->shard_count(); ++s) {
    if (!client->Ping(s)) {
      return Error(e.kind(), client->ShardName(s) + " is down or unreachable: " + e.message(), e.context())
          .WithHint("start it again, then rerun: nothing is half-loaded, the rerun redoes what is missing");
    }
  }
  return e;
}

Result<size_t> ChContext::OwnerShard(const PartitionKey& key) const {
  const size_t n = client->shard_count();
  if (n == 1) return size_t{0};
  Error last(ErrorKind::kTransient, "no shard answered");
  for (size_t s = 0; s < n; ++s) {  // any shard computes the hash; the first live one does
    auto r = client->Query(s, "SELECT " + ShardKeyExpr(key) + " % " + std::to_string(n));
    if (r.ok() && !r->rows.empty() && r->rows[0][0]) return static_cast<size_t>(std::stoull(*r->rows[0][0]));
    if (!r.ok()) last = std::move(r).error();
  }
  return last;
}

Status ChContext::WaitMutations(size_t shard, const std::string& table) const {
  const std::string sql = "SELECT count() FROM system.mutations WHERE database = '" + client->target().database +
                          "' AND table = '" + table + "' AND is_done = 0";
  for (int i = 0; i < 6000; ++i) {
    METL_ASSIGN_OR_RETURN(QueryResult r, client->Query(shard, sql));
    if (r.rows.empty() || r.rows[0][0].value_or("0") == "0") return OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Error(ErrorKind::kTransient,
               "a DELETE on " + table + " did not finish within 5 minutes on " + client->ShardName(shard))
      .WithHint("look at system.mutations on that server");
}

}  // namespace metl::warehouse::ch_engine
