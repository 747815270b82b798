#include "warehouse/duckdb/duckdb_warehouse.h"

#include <duckdb.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <thread>

#include "core/log.h"
#include "warehouse/ddl.h"
#include "warehouse/duckdb/chunk_appender.h"
#include "warehouse/duckdb/chunk_stager.h"
#include "warehouse/duckdb/duckdb_error.h"
#include "warehouse/duckdb/result_text.h"
#include "warehouse/ledger.h"

namespace metl::warehouse {
namespace {

using duckdb_engine::ChunkAppender;
using duckdb_engine::ChunkStager;
using duckdb_engine::DuckDbError;

Capabilities DuckDbCapabilities() {
  Capabilities caps;
  caps.engine = "duckdb";
  caps.dialect = "duckdb";
  caps.transactions = true;
  caps.partition_overwrite = false;
  caps.partition_replace = false;
  caps.add_column = true;
  // One writer, several days to a transaction. DuckDB writes a table's new rows straight into the
  // file only from a whole row group (122,880 rows) on; fewer are held until the commit, which copies
  // them a second time when the table is not empty and then checkpoints. One transaction per small
  // day paid that every day; two writers made it worse: each skips the checkpoint while the other's
  // transaction is open and the last commit does it all. 4 days of 25,000 visits on 2 cores took
  // 10.9 s one day per transaction, 9.5 s with two writers (486-1,013 MB), 6.2-7.9 s in one group.
  caps.concurrent_writers = false;
  caps.group_visits = 122880;
  // DuckDB could read the landing zone in place, but a table keeps the warehouse self-contained:
  // the landing zone may be pruned once loaded.
  caps.raw_visits_view = false;
  return caps;
}

class DuckDbSession;

class DuckDbPartitionLoad final : public PartitionLoad {
 public:
  // `owns_transaction`: false inside a group (Session::BeginGroup), whose commit is the session's.
  DuckDbPartitionLoad(duckdb_connection conn, PartitionKey key, bool owns_transaction)
      : conn_(conn), key_(key), owns_transaction_(owns_transaction) {}
  ~DuckDbPartitionLoad() override { Abort(); }

  Status Start(const std::vector<const TableDef*>& tables);
  void Consume(const TableBatch& batch) override;
  Status ConsumeFrom(const std::function<Status(RowSink&)>& produce) override;
  Status Commit(const LedgerEntry& entry) override;
  void Abort() override;

 private:
  duckdb_connection conn_;
  PartitionKey key_;
  bool owns_transaction_;
  std::vector<const TableDef*> tables_;
  std::vector<std::unique_ptr<ChunkAppender>> appenders_;  // one per table of tables_, same order
  std::optional<Error> error_;
  bool open_ = false;
};

// Rows of a table the load was not begun for (a programming error, reported by Commit).
Error NotReplacedError(const TableDef& table) {
  return Error(ErrorKind::kInternal, "rows for " + std::string(table.name) + " which this partition load does not replace");
}

Status Exec(duckdb_connection conn, std::string_view sql) {
  duckdb_result result;
  std::string q(sql);
  if (duckdb_query(conn, q.c_str(), &result) == DuckDBError) {
    Error err = DuckDbError("DuckDB: ", duckdb_result_error(&result));
    duckdb_destroy_result(&result);
    return err;
  }
  duckdb_destroy_result(&result);
  return OkStatus();
}

Status DuckDbPartitionLoad::Start(const std::vector<const TableDef*>& tables) {
  if (owns_transaction_) METL_TRY(Exec(conn_, "BEGIN TRANSACTION"));
  open_ = true;
  tables_ = tables;
  for (const TableDef* t : tables) {
    METL_TRY(Exec(conn_, "DELETE FROM " + QuoteIdent(t->name) + " WHERE " + PartitionPredicate(*t, key_)));
    auto app = std::make_unique<ChunkAppender>();
    METL_TRY(app->Open(conn_, *t));
    appenders_.push_back(std::move(app));
  }
  return OkStatus();
}

void DuckDbPartitionLoad::Consume(const TableBatch& batch) {
  if (error_ || batch.rows() == 0) return;
  for (auto& app : appenders_) {
    if (app->table()->name != batch.table().name) continue;
    Status st = app->Append(batch);
    if (!st.ok()) error_ = std::move(st).error();
    return;
  }
  error_ = NotReplacedError(batch.table());
}

// The rows are copied into data chunks on the producing thread (ChunkStager), and only the appends
// of whole chunks are left to this one, which holds the connection.
Status DuckDbPartitionLoad::ConsumeFrom(const std::function<Status(RowSink&)>& produce) {
  ChunkStager stager(tables_);
  Status produced = OkStatus();
  std::thread producer([&] {
    produced = produce(stager);
    stager.Close();
  });
  while (auto filled = stager.Pop()) {
    if (!error_) {
      Status st = appenders_[filled->table]->AppendChunk(filled->chunk, filled->bytes);
      if (!st.ok()) error_ = std::move(st).error();
    }
    stager.Recycle(*filled);  // after an error too: the producer may be waiting for the chunk
  }
  producer.join();
  if (!error_ && stager.unknown_table()) error_ = NotReplacedError(*stager.unknown_table());
  return produced;
}

Status DuckDbPartitionLoad::Commit(const LedgerEntry& entry) {
  if (!open_) return Error(ErrorKind::kInternal, "commit of a partition load that is not open");
  Status result = OkStatus();
  if (error_) result = *error_;
  for (auto& app : appenders_) {
    if (!result.ok()) break;
    result = app->Close();
  }
  if (result.ok()) {
    const TableDef& ledger = LedgerTable();
    result = Exec(conn_, "DELETE FROM " + QuoteIdent(ledger.name) + " WHERE " + PartitionPredicate(ledger, key_));
    if (result.ok()) {
      TableBatch row(ledger);
      AppendLedgerRow(entry, row);
      ChunkAppender app;
      result = app.Open(conn_, ledger);
      if (result.ok()) result = app.Append(row);
      if (result.ok()) result = app.Close();
    }
  }
  if (result.ok() && owns_transaction_) result = Exec(conn_, "COMMIT");
  appenders_.clear();
  if (!result.ok()) {
    Abort();
    return std::move(result).error().WithSite(key_.site_id).WithDate(key_.date.ToString());
  }
  open_ = false;
  return OkStatus();
}

void DuckDbPartitionLoad::Abort() {
  appenders_.clear();  // destroying an appender discards what it buffered
  if (open_ && owns_transaction_) {
    (void)Exec(conn_, "ROLLBACK");
    open_ = false;
  }
}

class DuckDbSession final : public Session {
 public:
  explicit DuckDbSession(duckdb_connection conn) : conn_(conn) {}
  ~DuckDbSession() override { duckdb_disconnect(&conn_); }

  Result<std::unique_ptr<PartitionLoad>> BeginPartition(const PartitionKey& key,
                                                        const std::vector<const TableDef*>& tables) override {
    auto load = std::make_unique<DuckDbPartitionLoad>(conn_, key, /*owns_transaction=*/!in_group_);
    Status st = load->Start(tables);
    if (!st.ok()) return std::move(st).error().WithSite(key.site_id).WithDate(key.date.ToString());
    return std::unique_ptr<PartitionLoad>(std::move(load));
  }

  Status BeginGroup() override {
    METL_TRY(Exec(conn_, "BEGIN TRANSACTION"));
    in_group_ = true;
    return OkStatus();
  }
  Status CommitGroup() override {
    in_group_ = false;
    Status st = Exec(conn_, "COMMIT");
    if (!st.ok()) (void)Exec(conn_, "ROLLBACK");
    return st;
  }
  void AbortGroup() override {
    if (!in_group_) return;
    in_group_ = false;
    (void)Exec(conn_, "ROLLBACK");
  }

  Status ReplaceSiteRows(const std::vector<int64_t>& sites, const std::vector<const TableBatch*>& tables) override {
    if (sites.empty()) return OkStatus();
    METL_TRY(Exec(conn_, "BEGIN TRANSACTION"));
    Status st = OkStatus();
    for (const TableBatch* rows : tables) {
      st = Exec(conn_, "DELETE FROM " + QuoteIdent(rows->table().name) + " WHERE " + SiteIdIn(sites));
      ChunkAppender app;
      if (st.ok()) st = app.Open(conn_, rows->table());
      if (st.ok()) st = app.Append(*rows);
      if (st.ok()) st = app.Close();
      if (!st.ok()) break;
    }
    if (st.ok()) st = Exec(conn_, "COMMIT");
    if (!st.ok()) (void)Exec(conn_, "ROLLBACK");
    return st;
  }

  Status WriteLedger(const LedgerEntry& entry) override {
    auto load = BeginPartition(entry.key, {});
    if (!load.ok()) return std::move(load).error();
    return (*load)->Commit(entry);
  }

  Status Execute(std::string_view sql) override { return Exec(conn_, sql); }

  Result<QueryResult> Query(std::string_view sql) override {
    duckdb_result result;
    std::string q(sql);
    if (duckdb_query(conn_, q.c_str(), &result) == DuckDBError) {
      Error err = DuckDbError("DuckDB: ", duckdb_result_error(&result));
      duckdb_destroy_result(&result);
      return err;
    }
    Result<QueryResult> out = duckdb_engine::ResultToText(result);
    duckdb_destroy_result(&result);
    return out;
  }

 private:
  duckdb_connection conn_;
  bool in_group_ = false;
};

class DuckDbWarehouse final : public Warehouse {
 public:
  DuckDbWarehouse(std::string path, duckdb_database db, int64_t memory_mb, bool read_only)
      : path_(std::move(path)), db_(db), memory_mb_(memory_mb), read_only_(read_only), caps_(DuckDbCapabilities()) {}
  ~DuckDbWarehouse() override { duckdb_close(&db_); }

  const Capabilities& capabilities() const override { return caps_; }
  std::string Describe() const override { return "duckdb:" + path_; }

  Status Migrate(const std::vector<TableDef>& tables) override {
    if (read_only_) return Error(ErrorKind::kInternal, "the DuckDB warehouse " + path_ + " is open read-only");
    METL_ASSIGN_OR_RETURN(auto session, Connect());
    return MigrateSchema(*session, tables, caps_, "main", /*with_primary_key=*/false);
  }

  // While partitions load:
  //  - memory: the limit bounds what the loads hold (a day's rows until its commit); each loading
  //    session pins a few segments of every table it appends to, so it grows with the partitions
  //    loaded at once;
  //  - threads: each loading partition already keeps two cores busy (its reader and normalizer, its
  //    appends and commit), so DuckDB's own workers only get the cores left over. With its default
  //    (one per core) they competed for the same cores: on 2 cores, 4 partitions one at a time took
  //    2.5 s more CPU and 25-60 MB more memory for no gain in wall time (bench/results/profile.md).
  // Queries and models afterwards get DuckDB's defaults back: their scans pin a block per column and
  // thread, which a small limit cannot hold on a machine with many cores (a 300,000-visit day's model
  // failed at 112 MB), and they are what parallel workers are for.
  Status PrepareFor(int loading_partitions) override {
    METL_ASSIGN_OR_RETURN(auto session, Connect());
    if (default_limit_.empty()) {  // RESET leaves the buffer manager at the lower limit: restore by value
      METL_ASSIGN_OR_RETURN(auto r, session->Query("SELECT current_setting('memory_limit'), current_setting('threads')"));
      if (r.rows.size() == 1 && r.rows[0].size() == 2) {
        default_limit_ = r.rows[0][0].value_or("");
        default_threads_ = std::atoi(r.rows[0][1].value_or("0").c_str());
      }
      if (default_limit_.empty() || default_threads_ < 1) {
        return Error(ErrorKind::kInternal, "DuckDB did not say its memory_limit and threads");
      }
    }
    if (loading_partitions <= 0) {
      METL_TRY(session->Execute("SET threads = " + std::to_string(default_threads_)));
      return memory_mb_ > 0 ? session->Execute("SET memory_limit = '" + default_limit_ + "'") : OkStatus();
    }
    const int workers = std::max(1, default_threads_ - 2 * loading_partitions + 1);
    METL_TRY(session->Execute("SET threads = " + std::to_string(workers)));
    if (memory_mb_ <= 0) return OkStatus();
    return session->Execute("SET memory_limit = '" + std::to_string(memory_mb_ * loading_partitions) + "MB'");
  }

  Result<std::unique_ptr<Session>> Connect() override {
    duckdb_connection conn;
    if (duckdb_connect(db_, &conn) == DuckDBError) {
      return Error(ErrorKind::kInternal, "cannot open a DuckDB connection to " + path_);
    }
    return std::unique_ptr<Session>(std::make_unique<DuckDbSession>(conn));
  }

 private:
  std::string path_;
  duckdb_database db_;
  int64_t memory_mb_;
  bool read_only_;
  std::string default_limit_;  // DuckDB's own memory_limit, e.g. "18.8 GiB"
  int default_threads_ = 0;    // DuckDB's own threads (the cores it sees)
  Capabilities caps_;
};

}  // namespace

Status CheckDuckDbPath(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path file(path);
  auto unwritable = [&](const std::string& what) {
    return Error(ErrorKind::kConfig, "cannot write the DuckDB warehouse " + path + ": " + what)
        .WithHint("check the --warehouse path and the permissions of its folder");
  };
  if (fs::exists(file, ec)) {
    if (fs::is_directory(file, ec)) return unwritable("it is a folder");
    if (::access(path.c_str(), R_OK | W_OK) != 0) return unwritable(std::strerror(errno));
    return OkStatus();
  }
  fs::path folder = fs::absolute(file, ec).parent_path();
  while (!folder.empty() && !fs::exists(folder, ec) && folder != folder.parent_path()) folder = folder.parent_path();
  if (!fs::is_directory(folder, ec)) return unwritable(folder.string() + " is not a folder");
  if (::access(folder.c_str(), W_OK | X_OK) != 0) return unwritable(folder.string() + ": " + std::strerror(errno));
  return OkStatus();
}

Result<std::unique_ptr<Warehouse>> OpenDuckDbWarehouse(const std::string& path, const WarehouseOptions& options) {
  std::error_code ec;
  if (options.must_exist && path != ":memory:" && !std::filesystem::exists(path, ec)) {
    return Error(ErrorKind::kConfig, "the DuckDB warehouse " + path + " does not exist")
        .WithHint("check --warehouse (or `warehouse` in matomo-etl.toml); `matomo-etl sync` or `load` creates it");
  }
  if (options.read_only) {
    // Reading never creates the file (nor its folder): a mistyped path is said, not made.
    if (!std::filesystem::is_regular_file(path, ec)) {
      return Error(ErrorKind::kConfig, "no DuckDB warehouse at " + path)
          .WithHint("check --warehouse (duckdb:PATH), or create it with `matomo-etl sync` or `matomo-etl load`");
    }
  } else {
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  }
  duckdb_config config;
  if (duckdb_create_config(&config) == DuckDBError) return Error(ErrorKind::kInternal, "DuckDB: cannot create config");
  // Nothing is ever downloaded or loaded from outside the binary (a warehouse must not reach the network).
  duckdb_set_config(config, "autoinstall_known_extensions", "false");
  duckdb_set_config(config, "autoload_known_extensions", "false");
  if (options.read_only) {
    // Writes to the file are refused by DuckDB itself, and the query may not reach other files either
    // (COPY ... TO, ATTACH, read_csv): a reader's SQL writes nothing anywhere. Locked, so that a SET in
    // the query cannot undo it.
    duckdb_set_config(config, "access_mode", "READ_ONLY");
    duckdb_set_config(config, "enable_external_access", "false");
    duckdb_set_config(config, "lock_configuration", "true");
  }
  duckdb_database db;
  char* err = nullptr;
  if (duckdb_open_ext(path.c_str(), &db, config, &err) == DuckDBError) {
    std::string msg = err ? err : "unknown error";
    duckdb_free(err);
    duckdb_destroy_config(&config);
    return Error(ErrorKind::kConfig, "cannot open the DuckDB warehouse " + path + ": " + msg)
        .WithHint("check the path and that no other process holds the file open for writing");
  }
  duckdb_destroy_config(&config);
  return std::unique_ptr<Warehouse>(
      std::make_unique<DuckDbWarehouse>(path, db, options.duckdb_memory_mb, options.read_only));
}

}  // namespace metl::warehouse
