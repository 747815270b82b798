#include "warehouse/postgres/postgres_warehouse.h"

#include <map>
#include <set>

#include "warehouse/ddl.h"
#include "warehouse/ledger.h"
#include "warehouse/postgres/pg_connection.h"
#include "warehouse/postgres/pg_copy_text.h"
#include "warehouse/postgres/pg_statements.h"
#include "warehouse/postgres/pg_uri.h"

namespace metl::warehouse {
namespace {

using pg_engine::PgConnection;
using pg_engine::PgTarget;

// COPY text buffered per table before it is sent: bounds memory (tables x this) while keeping the
// number of COPY statements per partition small.
constexpr size_t kCopyFlushBytes = 8 << 20;
constexpr size_t kCopyChunkBytes = 1 << 20;

Capabilities PostgresCapabilities() {
  Capabilities caps;
  caps.engine = "postgres";
  caps.dialect = "postgres";
  caps.transactions = true;
  caps.partition_overwrite = false;
  caps.partition_replace = false;
  caps.add_column = true;
  caps.concurrent_writers = true;  // one connection per worker; loads of one partition are serialized by a lock
  caps.raw_visits_view = false;    // the server cannot read the landing zone: raw visits are a jsonb table
  caps.types = pg_engine::PgTypeNames();
  return caps;
}

// Sends one table's buffered COPY text as one COPY statement.
Status CopyRows(PgConnection& conn, const TableDef& table, std::string_view text) {
  METL_TRY(conn.BeginCopy(pg_engine::CopyFromStdinSql(table)));
  for (size_t pos = 0; pos < text.size(); pos += kCopyChunkBytes) {
    Status st = conn.PutCopyData(text.substr(pos, kCopyChunkBytes));
    if (!st.ok()) {
      (void)conn.EndCopy();
      return st;
    }
  }
  return conn.EndCopy();
}

Status CopyBatch(PgConnection& conn, const TableBatch& batch) {
  std::string text;
  pg_engine::AppendCopyRows(batch, 0, batch.rows(), text);
  return CopyRows(conn, batch.table(), text);
}

class PostgresPartitionLoad final : public PartitionLoad {
 public:
  PostgresPartitionLoad(PgConnection& conn, PartitionKey key) : conn_(conn), key_(key) {}
  ~PostgresPartitionLoad() override { Abort(); }

  Status Start(const std::vector<const TableDef*>& tables) {
    METL_TRY(conn_.Exec("BEGIN"));
    open_ = true;
    METL_TRY(conn_.Exec(pg_engine::PartitionLockSql(key_)));
    for (const TableDef* t : tables) {
      METL_TRY(conn_.Exec("DELETE FROM " + QuoteIdent(t->name) + " WHERE " + PartitionPredicate(*t, key_)));
      pending_.emplace(std::string(t->name), Pending{t, {}});
    }
    return OkStatus();
  }

  void Consume(const TableBatch& batch) override {
    if (error_ || batch.rows() == 0) return;
    auto it = pending_.find(batch.table().name);
    if (it == pending_.end()) {
      error_ = Error(ErrorKind::kInternal,
                     "rows for " + std::string(batch.table().name) + " which this partition load does not replace");
      return;
    }
    pg_engine::AppendCopyRows(batch, 0, batch.rows(), it->second.text);
    if (it->second.text.size() >= kCopyFlushBytes) Flush(it->second);
  }

  Status Commit(const LedgerEntry& entry) override {
    if (!open_) return Error(ErrorKind::kInternal, "commit of a partition load that is not open");
    for (auto& [name, p] : pending_) {
      if (!error_) Flush(p);
    }
    Status result = OkStatus();
    if (error_) result = *error_;
    if (result.ok()) {
      const TableDef& ledger = LedgerTable();
      result = conn_.Exec("DELETE FROM " + QuoteIdent(ledger.name) + " WHERE " + PartitionPredicate(ledger, key_));
      if (result.ok()) {
        TableBatch row(ledger);
        AppendLedgerRow(entry, row);
        result = CopyBatch(conn_, row);
      }
    }
    if (result.ok()) result = conn_.Exec("COMMIT");
    pending_.clear();
    if (!result.ok()) {
      Abort();
      return std::move(result).error().WithSite(key_.site_id).WithDate(key_.date.ToString());
    }
    open_ = false;
    return OkStatus();
  }

  void Abort() override {
    pending_.clear();
    if (open_) {
      conn_.RollbackQuietly();
      open_ = false;
    }
  }

 private:
  struct Pending {
    const TableDef* table;
    std::string text;  // COPY text not yet sent
  };

  void Flush(Pending& p) {
    if (p.text.empty()) return;
    Status st = CopyRows(conn_, *p.table, p.text);
    p.text.clear();
    if (!st.ok()) error_ = std::move(st).error();
  }

  PgConnection& conn_;
  PartitionKey key_;
  std::map<std::string, Pending, std::less<>> pending_;
  std::optional<Error> error_;
  bool open_ = false;
};

class PostgresSession final : public Session {
 public:
  explicit PostgresSession(std::unique_ptr<PgConnection> conn, bool read_only = false)
      : conn_(std::move(conn)), read_only_(read_only) {}

  Result<std::unique_ptr<PartitionLoad>> BeginPartition(const PartitionKey& key,
                                                        const std::vector<const TableDef*>& tables) override {
    auto load = std::make_unique<PostgresPartitionLoad>(*conn_, key);
    Status st = load->Start(tables);
    if (!st.ok()) {
      load->Abort();
      return std::move(st).error().WithSite(key.site_id).WithDate(key.date.ToString());
    }
    return std::unique_ptr<PartitionLoad>(std::move(load));
  }

  Status ReplaceSiteRows(const std::vector<int64_t>& sites, const std::vector<const TableBatch*>& tables) override {
    if (sites.empty()) return OkStatus();
    // DELETE, not TRUNCATE: TRUNCATE's exclusive lock would block BI readers until commit.
    return InTransaction([&]() -> Status {
      for (const TableBatch* rows : tables) {
        METL_TRY(conn_->Exec("DELETE FROM " + QuoteIdent(rows->table().name) + " WHERE " + SiteIdIn(sites)));
        if (rows->rows() > 0) METL_TRY(CopyBatch(*conn_, *rows));
      }
      return OkStatus();
    });
  }

  Status WriteLedger(const LedgerEntry& entry) override {
    METL_ASSIGN_OR_RETURN(auto load, BeginPartition(entry.key, {}));
    return load->Commit(entry);
  }

  Status Execute(std::string_view sql) override { return conn_->Exec(std::string(sql)); }

  Result<QueryResult> Query(std::string_view sql) override {
    METL_ASSIGN_OR_RETURN(pg_engine::PgRows rows, read_only_ ? ReadOnlyQuery(sql) : conn_->Query(std::string(sql)));
    QueryResult out;
    for (int c = 0; c < rows.columns(); ++c) {
      out.columns.emplace_back(rows.ColumnName(c));
      out.kinds.push_back(rows.IsBool(c)     ? ColumnKind::kBool
                          : rows.IsNumber(c) ? ColumnKind::kNumber
                                             : ColumnKind::kText);
    }
    out.rows.resize(rows.rows());
    for (int r = 0; r < rows.rows(); ++r) {
      out.rows[r].resize(rows.columns());
      for (int c = 0; c < rows.columns(); ++c) {
        if (rows.IsNull(r, c)) continue;
        std::string_view v = rows.Get(r, c);
        // Booleans read "true"/"false" as on the other engines, not PostgreSQL's "t"/"f".
        if (rows.IsBool(c)) v = v == "t" ? "true" : "false";
        out.rows[r][c] = std::string(v);
      }
    }
    return out;
  }

  PgConnection& connection() { return *conn_; }

 private:
  // One statement (the extended protocol refuses "...; ..."), inside a READ ONLY transaction that has
  // already taken its snapshot, so that the statement can neither write nor switch the transaction to
  // read-write; rolled back afterwards whatever it did.
  Result<pg_engine::PgRows> ReadOnlyQuery(std::string_view sql) {
    METL_TRY(conn_->Exec("BEGIN TRANSACTION READ ONLY"));
    auto snapshot = conn_->Query("SELECT 1");
    Result<pg_engine::PgRows> rows =
        snapshot.ok() ? conn_->Query(std::string(sql)) : Result<pg_engine::PgRows>(std::move(snapshot).error());
    conn_->RollbackQuietly();
    return rows;
  }

  template <typename F>
  Status InTransaction(F&& body) {
    METL_TRY(conn_->Exec("BEGIN"));
    Status st = body();
    if (st.ok()) st = conn_->Exec("COMMIT");
    if (!st.ok()) conn_->RollbackQuietly();
    return st;
  }

  std::unique_ptr<PgConnection> conn_;
  bool read_only_;
};

class PostgresWarehouse final : public Warehouse {
 public:
  PostgresWarehouse(PgTarget target, bool read_only)
      : target_(std::move(target)), read_only_(read_only), caps_(PostgresCapabilities()) {}

  const Capabilities& capabilities() const override { return caps_; }
  std::string Describe() const override { return target_.redacted; }

  Status Migrate(const std::vector<TableDef>& tables) override {
    if (read_only_) return Error(ErrorKind::kInternal, "the warehouse " + target_.redacted + " is open read-only");
    METL_ASSIGN_OR_RETURN(auto conn, PgConnection::Connect(target_));
    PostgresSession session(std::move(conn));
    PgConnection& c = session.connection();
    // One transaction: PostgreSQL's DDL is transactional, so a migration applies whole or not at all.
    METL_TRY(c.Exec("BEGIN"));
    Status st = c.Exec(pg_engine::MigrationLockSql());
    if (st.ok()) st = c.Exec(pg_engine::CreateSchemaSql(target_.schema));
    if (st.ok()) st = c.Exec(pg_engine::SetSearchPathSql(target_.schema));
    if (st.ok()) st = MigrateSchema(session, tables, caps_, target_.schema, /*with_primary_key=*/false);
    if (st.ok()) st = CreateMissingIndexes(c, tables);
    if (st.ok()) st = c.Exec("COMMIT");
    if (!st.ok()) {
      c.RollbackQuietly();
      if (!st.error().context().hint.empty()) return st;  // e.g. the connection was lost: that hint says more
      return std::move(st).error().WithHint("check that the user in --warehouse may create the schema " +
                                            QuoteIdent(target_.schema) + " and tables in it");
    }
    return OkStatus();
  }

  // Only the missing ones: CREATE INDEX IF NOT EXISTS would still take a SHARE lock on its table, making
  // every run wait for (and block) loads in progress elsewhere.
  Status CreateMissingIndexes(PgConnection& c, const std::vector<TableDef>& tables) {
    METL_ASSIGN_OR_RETURN(pg_engine::PgRows existing,
                          c.Query("SELECT indexname FROM pg_indexes WHERE schemaname = $1", {target_.schema}));
    std::set<std::string, std::less<>> names;
    for (int r = 0; r < existing.rows(); ++r) names.emplace(existing.Get(r, 0));
    for (const TableDef& t : tables) {
      if (names.count(pg_engine::SiteDateIndexName(t))) continue;
      if (auto index = pg_engine::SiteDateIndexSql(t)) METL_TRY(c.Exec(*index));
    }
    return OkStatus();
  }

  Result<std::unique_ptr<Session>> Connect() override {
    METL_ASSIGN_OR_RETURN(auto conn, PgConnection::Connect(target_));
    METL_TRY(conn->Exec(pg_engine::SetSearchPathSql(target_.schema)));
    if (read_only_) {
      // Every statement of this session, not only Query's, in read-only transactions.
      METL_TRY(conn->Exec("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"));
      METL_TRY(RequireSchema(*conn));
      return std::unique_ptr<Session>(std::make_unique<PostgresSession>(std::move(conn), /*read_only=*/true));
    }
    // Raw visits are TOASTed values of several KB: lz4 compresses them much faster than the default
    // pglz. Servers before 14, or built without lz4, refuse the setting: then pglz it is.
    (void)conn->Exec("SET default_toast_compression = 'lz4'");
    return std::unique_ptr<Session>(std::make_unique<PostgresSession>(std::move(conn)));
  }

 private:
  // A reader gets a clear error for a schema that was never loaded (instead of "relation does not
  // exist" on every table), and the schema is never created.
  Status RequireSchema(PgConnection& conn) {
    METL_ASSIGN_OR_RETURN(pg_engine::PgRows rows,
                          conn.Query("SELECT 1 FROM pg_namespace WHERE nspname = $1", {target_.schema}));
    if (rows.rows() > 0) return OkStatus();
    return Error(ErrorKind::kConfig,
                 "no schema " + QuoteIdent(target_.schema) + " in the warehouse " + target_.redacted)
        .WithHint("check ?schema= in --warehouse, or load it first with `matomo-etl sync` or `matomo-etl load`");
  }

  PgTarget target_;
  bool read_only_;
  Capabilities caps_;
};

}  // namespace

Status CheckPostgresUri(std::string_view uri) {
  METL_TRY(pg_engine::ParsePgUri(uri));
  return OkStatus();
}

Result<std::unique_ptr<Warehouse>> OpenPostgresWarehouse(std::string_view uri, const WarehouseOptions& options) {
  METL_ASSIGN_OR_RETURN(PgTarget target, pg_engine::ParsePgUri(uri));
  return std::unique_ptr<Warehouse>(std::make_unique<PostgresWarehouse>(std::move(target), options.read_only));
}

}  // namespace metl::warehouse
