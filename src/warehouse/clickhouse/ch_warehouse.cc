#include "warehouse/clickhouse/ch_warehouse.h"

#include <cstdlib>
#include <map>
#include <set>

#include "core/log.h"
#include "http/curl_http_client.h"
#include "warehouse/clickhouse/ch_client.h"
#include "warehouse/clickhouse/ch_context.h"
#include "warehouse/clickhouse/ch_partition_load.h"
#include "warehouse/clickhouse/ch_sql.h"
#include "warehouse/clickhouse/ch_types.h"
#include "warehouse/clickhouse/ch_uri.h"
#include "warehouse/ledger.h"

namespace metl::warehouse {
namespace {

using ch_engine::ChClient;
using ch_engine::ChIdent;
using ch_engine::ChContext;
using ch_engine::ChTarget;
using ch_engine::kStagingPrefix;
using ch_engine::RandomHex;

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
  caps.analysis_models = true;  // ClickHouse's own analysis SQL (models/ch_analysis_sql.cc)
  caps.types = ch_engine::ChTypeNames();
  return caps;
}

class ChSession final : public Session {
 public:
  explicit ChSession(const ChContext& ctx) : ctx_(ctx) {}

  Result<std::unique_ptr<PartitionLoad>> BeginPartition(const PartitionKey& key,
                                                        const std::vector<const TableDef*>& tables) override {
    auto fail = [&](Error e) { return std::move(e).WithSite(key.site_id).WithDate(key.date.ToString()); };
    auto shard = ctx_.OwnerShard(key);
    if (!shard.ok()) return fail(std::move(shard).error());
    auto load = ch_engine::StartChPartitionLoad(ctx_, key, *shard, tables);
    if (!load.ok()) return fail(std::move(load).error());
    return load;
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

  // On a cluster: once, on the first shard, with the table names as written (the Distributed tables,
  // read from every shard). A staging table it fills is the first shard's (a name of no Distributed table).
  Status ExecuteGlobal(std::string_view sql) override {
    if (!ctx_.clustered()) return Execute(sql);
    ch_engine::ChStatement st = ch_engine::TranslateStatement(sql);
    if (st.sql.empty()) return OkStatus();
    Status s = RunOnShard(0, st.sql, st.precheck_sql, st.mutated_table);
    if (!s.ok()) return ctx_.NameDownShard(std::move(s).error());
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
