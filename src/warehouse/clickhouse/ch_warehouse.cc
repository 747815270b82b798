#include "warehouse/clickhouse/ch_warehouse.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "core/log.h"
#include "http/curl_http_client.h"
#include "warehouse/clickhouse/ch_client.h"
#include "warehouse/clickhouse/ch_sql.h"
#include "warehouse/clickhouse/ch_types.h"
#include "warehouse/clickhouse/ch_uri.h"
#include "normalize/analysis_schema.h"
#include "warehouse/ledger.h"

namespace metl::warehouse {
namespace {

using ch_engine::ChClient;
using ch_engine::ChIdent;
using ch_engine::ChTarget;

// RowBinary buffered per table before an INSERT into staging: bounds memory per partition.
constexpr size_t kInsertFlushBytes = 16 << 20;
constexpr std::string_view kStagingPrefix = "_metl_stg_";

// The analysis tables: their SQL needs window functions ClickHouse 18.16 lacks, so they are neither built
// nor created on ClickHouse (docs/clickhouse.md). The report tables are (models/ch_report_sql.cc).
bool NotBuiltHere(std::string_view table) {
  for (const TableDef& t : AnalysisTables()) {
    if (t.name == table) return true;
  }
  return false;
}

Capabilities ClickHouseCapabilities() {
  Capabilities caps;
  caps.engine = "clickhouse";
  caps.dialect = "clickhouse";
  caps.transactions = false;      // the ledger row is written strictly after the data (REPLACE PARTITION)
  caps.partition_replace = true;  // staging table + REPLACE PARTITION
  caps.add_column = true;
  caps.concurrent_writers = true;  // each load has staging tables of its own
  caps.group_visits = 0;
  caps.raw_visits_view = false;
  caps.report_models = true;     // ClickHouse's own report SQL (models/ch_report_sql.cc)
  caps.analysis_models = false;  // analysis SQL needs window functions 18.16 lacks
  caps.types = ch_engine::ChTypeNames();
  return caps;
}

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

// Shared by the warehouse and its sessions.
struct ChContext {
  std::shared_ptr<ChClient> client;
  Capabilities caps;
  bool read_only = false;
  bool clustered() const { return client->target().clustered(); }
  // The local MergeTree table holding `table`'s rows on a shard.
  std::string LocalName(const TableDef& table) const {
    return ch_engine::LocalName(table.name, clustered() && !ch_engine::ReplicatedEverywhere(table));
  }
  // Names a write must map to NAME_local on a cluster.
  std::vector<std::string> ShardedNames() const {
    std::vector<std::string> out;
    for (const TableDef& t : AllTables()) {
      if (!ch_engine::ReplicatedEverywhere(t)) out.emplace_back(t.name);
    }
    return out;
  }
  // An error of a query through a Distributed table names the shard that is down (the server's
  // message names only a native port).
  Error NameDownShard(Error e) const {
    if (!clustered()) return e;
    for (size_t s = 0; s < client->shard_count(); ++s) {
      if (!client->Ping(s)) {
        return Error(e.kind(), client->ShardName(s) + " is down or unreachable: " + e.message(), e.context())
            .WithHint("start it again, then rerun: nothing is half-loaded, the rerun redoes what is missing");
      }
    }
    return e;
  }
  Result<size_t> OwnerShard(const PartitionKey& key) const {
    const size_t n = client->shard_count();
    if (n == 1) return size_t{0};
    Error last(ErrorKind::kTransient, "no shard answered");
    for (size_t s = 0; s < n; ++s) {  // any shard computes the hash; the first live one does
      auto r = client->Query(s, "SELECT " + ch_engine::ShardKeyExpr(key) + " % " + std::to_string(n));
      if (r.ok() && !r->rows.empty() && r->rows[0][0]) return static_cast<size_t>(std::stoull(*r->rows[0][0]));
      if (!r.ok()) last = std::move(r).error();
    }
    return last;
  }
  Status WaitMutations(size_t shard, const std::string& table) const {
    const std::string sql = "SELECT count() FROM system.mutations WHERE database = '" + client->target().database +
                            "' AND table = '" + table + "' AND is_done = 0";
    for (int i = 0; i < 6000; ++i) {
      METL_ASSIGN_OR_RETURN(QueryResult r, client->Query(shard, sql));
      if (r.rows.empty() || r.rows[0][0].value_or("0") == "0") return OkStatus();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return Error(ErrorKind::kTransient, "a DELETE on " + table + " did not finish within 5 minutes on " +
                                            client->ShardName(shard))
        .WithHint("look at system.mutations on that server");
  }
};

// One table's staging on the owning shard.
struct Staged {
  const TableDef* table = nullptr;
  std::string local;    // the live local table
  std::string staging;  // its staging table
  std::string buffer;   // RowBinary not yet sent
  int64_t rows = 0;
  int64_t visit_id_sum = 0;  // wraps like ClickHouse's sum(Int64)
  int visit_id_col = -1;
  bool created = false;  // the staging table exists
};

class ChPartitionLoad final : public PartitionLoad {
 public:
  ChPartitionLoad(const ChContext& ctx, PartitionKey key, size_t shard) : ctx_(ctx), key_(key), shard_(shard) {}
  ~ChPartitionLoad() override { Abort(); }

  // Staging tables are created when a table's first rows are sent: a table without rows in this
  // partition needs none (its partition is dropped instead).
  Status Start(const std::vector<const TableDef*>& tables) {
    const std::string d = key_.date.ToString();
    tag_ = std::to_string(key_.site_id) + "_" + d.substr(0, 4) + d.substr(5, 2) + d.substr(8, 2) + "_" + RandomHex(4);
    for (const TableDef* t : tables) {
      Staged s;
      s.table = t;
      s.local = ctx_.LocalName(*t);
      s.staging = std::string(kStagingPrefix) + tag_ + "_" + std::string(t->name);
      s.visit_id_col = t->ColumnIndex("visit_id");
      staged_.emplace(std::string(t->name), std::move(s));
    }
    return OkStatus();
  }

  void Consume(const TableBatch& batch) override {
    if (error_ || batch.rows() == 0) return;
    auto it = staged_.find(std::string(batch.table().name));
    if (it == staged_.end()) {
      error_ = Error(ErrorKind::kInternal,
                     "rows for " + std::string(batch.table().name) + " which this partition load does not replace");
      return;
    }
    Status st = Append(it->second, batch);
    if (!st.ok()) error_ = std::move(st).error();
  }

  Status Commit(const LedgerEntry& entry) override {
    Status st = CommitInner(entry);
    DropStaging();
    if (!st.ok()) return std::move(st).error().WithSite(key_.site_id).WithDate(key_.date.ToString());
    return OkStatus();
  }

  void Abort() override { DropStaging(); }

 private:
  Status Append(Staged& s, const TableBatch& batch) {
    for (size_t r = 0; r < batch.rows(); ++r) {
      METL_TRY(ch_engine::AppendRowBinary(batch, r, s.buffer));
      if (s.visit_id_col >= 0 && !batch.column(s.visit_id_col).IsNull(r)) {
        s.visit_id_sum = static_cast<int64_t>(static_cast<uint64_t>(s.visit_id_sum) +
                                              static_cast<uint64_t>(batch.column(s.visit_id_col).Int(r)));
      }
    }
    s.rows += static_cast<int64_t>(batch.rows());
    if (s.buffer.size() >= kInsertFlushBytes) return Flush(s);
    return OkStatus();
  }

  Status Flush(Staged& s) {
    if (s.buffer.empty()) return OkStatus();
    if (!s.created) {
      METL_TRY(ctx_.client->Execute(shard_, "CREATE TABLE " + ChIdent(s.staging) + " AS " + ChIdent(s.local)));
      created_.push_back(s.staging);
      s.created = true;
    }
    std::string body;
    body.swap(s.buffer);
    return ctx_.client->InsertRowBinary(shard_, ChIdent(s.staging), std::move(body));
  }

  // Step 2 of ch_warehouse.h: each staging table holds exactly what was sent, all of it inside the
  // partition, before anything is swapped. One query for every table (UNION ALL).
  Status CheckAll() {
    std::string sql;
    std::vector<const Staged*> order;
    for (const auto& [name, s] : staged_) {
      if (!s.created) continue;
      const std::string date = ChIdent(s.table->partition_date_column);
      sql += std::string(sql.empty() ? "" : " UNION ALL ") + "SELECT " + std::to_string(order.size()) +
             " AS i, count() AS n, countIf(NOT (site_id = " + std::to_string(key_.site_id) + " AND " + date +
             " = toDate('" + key_.date.ToString() + "'))) AS outside, " +
             (s.visit_id_col >= 0 ? "toString(sum(visit_id))" : "''") + " AS ids FROM " + ChIdent(s.staging);
      order.push_back(&s);
    }
    if (order.empty()) return OkStatus();
    METL_ASSIGN_OR_RETURN(QueryResult r, ctx_.client->Query(shard_, sql));
    if (r.rows.size() != order.size()) return Error(ErrorKind::kInternal, "no result from the staging check");
    for (const auto& row : r.rows) {
      const Staged& s = *order.at(std::strtoull(row[0].value_or("0").c_str(), nullptr, 10));
      const int64_t count = std::strtoll(row[1].value_or("-1").c_str(), nullptr, 10);
      const int64_t outside = std::strtoll(row[2].value_or("-1").c_str(), nullptr, 10);
      std::string problem;
      if (count != s.rows) {
        problem = "holds " + std::to_string(count) + " rows but " + std::to_string(s.rows) + " were sent";
      } else if (outside != 0) {
        problem = "holds " + std::to_string(outside) + " rows outside the partition";
      } else if (s.visit_id_col >= 0 && row[3].value_or("") != std::to_string(s.visit_id_sum)) {
        problem = "has sum(visit_id) " + row[3].value_or("NULL") + " but " + std::to_string(s.visit_id_sum) + " was sent";
      }
      if (problem.empty()) continue;
      return Error(ErrorKind::kTransient, "the staging table of " + std::string(s.table->name) + " on " +
                                              ctx_.client->ShardName(shard_) + " " + problem +
                                              "; nothing was swapped in")
          .WithHint("rerun: the partition is loaded again from a fresh staging table");
    }
    return OkStatus();
  }

  // A table with rows swaps its staging partition in; one without has its partition dropped (also
  // atomic for readers: the old rows, then none).
  Status Replace(const Staged& s) {
    if (!s.created) {
      return ctx_.client->Execute(shard_, "ALTER TABLE " + ChIdent(s.local) + " DROP PARTITION " + PartitionExpr(key_));
    }
    return ctx_.client->Execute(shard_, "ALTER TABLE " + ChIdent(s.local) + " REPLACE PARTITION " +
                                            PartitionExpr(key_) + " FROM " + ChIdent(s.staging));
  }

  Status CommitInner(const LedgerEntry& entry) {
    if (error_) return *error_;
    for (auto& [name, s] : staged_) METL_TRY(Flush(s));
    METL_TRY(CheckAll());
    for (auto& [name, s] : staged_) METL_TRY(Replace(s));
    // Strictly after the data (Capabilities::transactions = false): the ledger row. Its partition
    // holds this one row, dropped and then inserted (one block: atomic); a kill in between leaves no
    // ledger row, which the next run reads as "not loaded" and redoes.
    const TableDef& ledger = LedgerTable();
    const std::string local = ctx_.LocalName(ledger);
    TableBatch row(ledger);
    AppendLedgerRow(entry, row);
    std::string body;
    METL_TRY(ch_engine::AppendRowBinary(row, 0, body));
    METL_TRY(ctx_.client->Execute(shard_, "ALTER TABLE " + ChIdent(local) + " DROP PARTITION " + PartitionExpr(key_)));
    return ctx_.client->InsertRowBinary(shard_, ChIdent(local), std::move(body));
  }

  void DropStaging() {
    for (const std::string& t : created_) {
      Status st = ctx_.client->Execute(shard_, "DROP TABLE IF EXISTS " + ChIdent(t));
      if (!st.ok()) LogWarn("ClickHouse: a staging table was not dropped (a later run drops it)", {{"table", t}});
    }
    created_.clear();
  }

  ChContext ctx_;  // a copy: a shared client and the capabilities
  PartitionKey key_;
  size_t shard_;
  std::string tag_;
  std::map<std::string, Staged> staged_;
  std::vector<std::string> created_;
  std::optional<Error> error_;
};

class ChSession final : public Session {
 public:
  explicit ChSession(const ChContext& ctx) : ctx_(ctx) {}

  Result<std::unique_ptr<PartitionLoad>> BeginPartition(const PartitionKey& key,
                                                        const std::vector<const TableDef*>& tables) override {
    auto fail = [&](Error e) { return std::move(e).WithSite(key.site_id).WithDate(key.date.ToString()); };
    auto shard = ctx_.OwnerShard(key);
    if (!shard.ok()) return fail(std::move(shard).error());
    auto load = std::make_unique<ChPartitionLoad>(ctx_, key, *shard);
    Status st = load->Start(tables);
    if (!st.ok()) return fail(std::move(st).error());
    return std::unique_ptr<PartitionLoad>(std::move(load));
  }

  // matomo_sites / matomo_goals: PARTITION BY site_id, so each refreshed site is one REPLACE from a
  // staging table (an empty staging partition empties it); on a cluster, on every shard.
  Status ReplaceSiteRows(const std::vector<int64_t>& sites, const std::vector<const TableBatch*>& tables) override {
    if (sites.empty()) return OkStatus();
    for (size_t shard = 0; shard < ctx_.client->shard_count(); ++shard) {
      for (const TableBatch* rows : tables) {
        const std::string local = ctx_.LocalName(rows->table());
        const std::string stg = std::string(kStagingPrefix) + "sites_" + RandomHex(4) + "_" + local;
        METL_TRY(ctx_.client->Execute(shard, "CREATE TABLE " + ChIdent(stg) + " AS " + ChIdent(local)));
        Status st = OkStatus();
        std::string body;
        for (size_t r = 0; r < rows->rows() && st.ok(); ++r) st = ch_engine::AppendRowBinary(*rows, r, body);
        if (st.ok() && !body.empty()) st = ctx_.client->InsertRowBinary(shard, ChIdent(stg), std::move(body));
        for (size_t i = 0; i < sites.size() && st.ok(); ++i) {
          st = ctx_.client->Execute(shard, "ALTER TABLE " + ChIdent(local) + " REPLACE PARTITION " +
                                               std::to_string(sites[i]) + " FROM " + ChIdent(stg));
        }
        (void)ctx_.client->Execute(shard, "DROP TABLE IF EXISTS " + ChIdent(stg));
        METL_TRY(st);
      }
    }
    return OkStatus();
  }

  Status WriteLedger(const LedgerEntry& entry) override {
    METL_ASSIGN_OR_RETURN(auto load, BeginPartition(entry.key, {}));
    return load->Commit(entry);
  }

  Status Execute(std::string_view sql) override {
    ch_engine::ChStatement st = ch_engine::TranslateStatement(sql);
    if (st.sql.empty()) return OkStatus();
    if (!ctx_.clustered() || !st.is_write) return RunOnShard(0, st.sql, st.precheck_sql, st.mutated_table);
    // A write on a cluster: each shard's local tables (every (site, day) lives on one shard, so a
    // model rebuilding per (site, day) computes each shard's share from its own rows).
    const std::string local_sql = ch_engine::ToLocalNames(st.sql, ctx_.ShardedNames());
    std::string mutated = st.mutated_table;
    for (const std::string& n : ctx_.ShardedNames()) {
      if (mutated == n) mutated += "_local";
    }
    const std::string precheck =
        st.precheck_sql.empty() ? "" : ch_engine::ToLocalNames(st.precheck_sql, ctx_.ShardedNames());
    for (size_t s = 0; s < ctx_.client->shard_count(); ++s) METL_TRY(RunOnShard(s, local_sql, precheck, mutated));
    return OkStatus();
  }

  // A statement on one shard; a mutation only where it finds rows, then waited for.
  Status RunOnShard(size_t shard, const std::string& sql, const std::string& precheck, const std::string& mutated) {
    if (!precheck.empty()) {
      METL_ASSIGN_OR_RETURN(QueryResult r, ctx_.client->Query(shard, precheck));
      if (!r.rows.empty() && r.rows[0][0].value_or("") == "0") return OkStatus();
    }
    METL_TRY(ctx_.client->Execute(shard, sql));
    if (!mutated.empty()) METL_TRY(ctx_.WaitMutations(shard, mutated));
    return OkStatus();
  }

  Result<QueryResult> Query(std::string_view sql) override {
    ch_engine::ChStatement st = ch_engine::TranslateStatement(sql);
    if (st.sql.empty()) return QueryResult{};
    if (st.is_write) {
      METL_TRY(Execute(sql));
      return QueryResult{};
    }
    auto r = ctx_.client->Query(0, ctx_.clustered() ? ch_engine::GlobalJoins(st.sql) : st.sql);
    if (!r.ok()) return ctx_.NameDownShard(std::move(r).error());
    return r;
  }

  std::string TextOf(std::string_view expr) const override { return "toString(" + std::string(expr) + ")"; }
  std::string EpochSecondsOf(std::string_view expr) const override {
    return "toInt64(toUnixTimestamp(" + std::string(expr) + "))";
  }
  std::string Name(std::string_view ident) const override { return ChIdent(ident); }

 private:
  ChContext ctx_;  // a copy: a shared client and the capabilities
};

class ChWarehouse final : public Warehouse {
 public:
  explicit ChWarehouse(ChContext ctx) : ctx_(std::move(ctx)) {}

  const Capabilities& capabilities() const override { return ctx_.caps; }
  std::string Describe() const override { return ctx_.client->target().redacted; }

  Status Migrate(const std::vector<TableDef>& tables) override {
    if (ctx_.read_only) return Error(ErrorKind::kInternal, "the warehouse " + Describe() + " is open read-only");
    const ChTarget& t = ctx_.client->target();
    // DDL on every shard, one by one (ON CLUSTER needs ZooKeeper; 18.16 crashes when it is not ready).
    for (size_t shard = 0; shard < ctx_.client->shard_count(); ++shard) {
      METL_TRY(ctx_.client->Execute(shard, "CREATE DATABASE IF NOT EXISTS " + ChIdent(t.database), false));
      METL_ASSIGN_OR_RETURN(QueryResult cols,
                            ctx_.client->Query(shard, "SELECT table, name FROM system.columns WHERE database = '" +
                                                          t.database + "'"));
      std::map<std::string, std::set<std::string>> have;
      for (const auto& row : cols.rows) have[row[0].value_or("")].insert(row[1].value_or(""));
      for (const TableDef& table : tables) {
        // The analysis tables are not built here yet (Capabilities::analysis_models): not created.
        if (NotBuiltHere(table.name)) continue;
        const std::string local = ctx_.LocalName(table);
        const bool distributed = ctx_.clustered() && !ch_engine::ReplicatedEverywhere(table);
        auto it = have.find(local);
        if (it == have.end()) {
          METL_TRY(ctx_.client->Execute(shard, ch_engine::CreateLocalTableSql(table, local)));
        } else {
          for (const ColumnDef& c : table.columns) {
            if (it->second.count(std::string(c.name))) continue;
            ColumnDef added = c;
            added.nullable = true;  // old rows have no value
            METL_TRY(ctx_.client->Execute(shard, "ALTER TABLE " + ChIdent(local) + " ADD COLUMN " + ChIdent(c.name) +
                                                     " " + ch_engine::ChType(added)));
            if (distributed && have.count(std::string(table.name))) {
              METL_TRY(ctx_.client->Execute(shard, "ALTER TABLE " + ChIdent(table.name) + " ADD COLUMN " +
                                                       ChIdent(c.name) + " " + ch_engine::ChType(added)));
            }
          }
        }
        if (distributed && !have.count(std::string(table.name))) {
          METL_TRY(ctx_.client->Execute(shard, ch_engine::CreateDistributedTableSql(table, t.database, t.cluster, local)));
        }
      }
      METL_TRY(DropStaleStaging(shard));
    }
    return OkStatus();
  }

  Result<std::unique_ptr<Session>> Connect() override {
    if (ctx_.read_only) {
      // A reader gets a clear error for a database that was never loaded.
      METL_ASSIGN_OR_RETURN(QueryResult r, ctx_.client->Query(0, "SELECT count() FROM system.databases WHERE name = '" +
                                                                      ctx_.client->target().database + "'"));
      if (r.rows.empty() || r.rows[0][0].value_or("0") == "0") {
        return Error(ErrorKind::kConfig, "no database " + ctx_.client->target().database + " in " + Describe())
            .WithHint("check the database in --warehouse, or load it first with `matomo-etl sync` or `matomo-etl load`");
      }
    }
    return std::unique_ptr<Session>(std::make_unique<ChSession>(ctx_));
  }

 private:
  // Staging tables a killed run left behind (older than a day: a concurrent run's are younger).
  Status DropStaleStaging(size_t shard) {
    METL_ASSIGN_OR_RETURN(QueryResult r,
                          ctx_.client->Query(shard, "SELECT name FROM system.tables WHERE database = '" +
                                                        ctx_.client->target().database + "' AND startsWith(name, '" +
                                                        std::string(kStagingPrefix) +
                                                        "') AND metadata_modification_time < now() - 86400"));
    for (const auto& row : r.rows) {
      if (row[0]) METL_TRY(ctx_.client->Execute(shard, "DROP TABLE IF EXISTS " + ChIdent(*row[0])));
    }
    return OkStatus();
  }

  ChContext ctx_;
};

}  // namespace

namespace {

ch_engine::ChPasswordSources PasswordSources(const WarehouseOptions& options) {
  ch_engine::ChPasswordSources p;
  if (const char* env = std::getenv("CLICKHOUSE_PASSWORD")) p.env = std::string(env);
  if (!options.clickhouse_password.empty()) p.config = options.clickhouse_password;
  return p;
}

}  // namespace

Result<std::unique_ptr<Warehouse>> OpenClickHouseWarehouse(std::string_view uri, const WarehouseOptions& options,
                                                           std::shared_ptr<http::HttpClient> http,
                                                           http::RetryOptions retry) {
  METL_ASSIGN_OR_RETURN(ChTarget target, ch_engine::ParseClickHouseUri(uri, PasswordSources(options)));
  if (target.password_in_uri) {
    LogWarn("the --warehouse URI holds the ClickHouse password: prefer CLICKHOUSE_PASSWORD",
            {{"warehouse", target.redacted}});
  }
  ChContext ctx;
  ctx.client = std::make_shared<ChClient>(std::move(target), std::move(http), retry, options.read_only);
  ctx.caps = ClickHouseCapabilities();
  ctx.read_only = options.read_only;
  return std::unique_ptr<Warehouse>(std::make_unique<ChWarehouse>(std::move(ctx)));
}

Result<std::unique_ptr<Warehouse>> OpenClickHouseWarehouse(std::string_view uri, const WarehouseOptions& options) {
  METL_ASSIGN_OR_RETURN(ChTarget target, ch_engine::ParseClickHouseUri(uri));
  // TLS as for every other HTTPS peer (CurlHandlePool): verified, against ca_file= when given.
  http::CurlOptions curl;
  curl.ca_file = target.ca_file;
  auto http = std::make_shared<http::CurlHttpClient>(curl, "ClickHouse", "--warehouse");
  // A shard that is down fails the run after a few seconds, not minutes: the rerun repairs it.
  http::RetryOptions retry;
  retry.max_retries = 3;
  retry.base_delay_s = 0.2;
  retry.max_delay_s = 2;
  return OpenClickHouseWarehouse(uri, options, std::move(http), retry);
}

Status CheckClickHouseUri(std::string_view uri) {
  METL_TRY(ch_engine::ParseClickHouseUri(uri));
  return OkStatus();
}

}  // namespace metl::warehouse
