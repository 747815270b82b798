// The Warehouse interface (DESIGN.md "Data flow" step 4 and "Module layout"): everything outside
// src/warehouse/<engine>/ sees only this header and the Capabilities struct.
//
// Designed for four engines from the start:
//   duckdb      transactions; a partition is DELETE + append + ledger upsert in ONE transaction
//               (several small partitions share one: Capabilities::group_visits).
//   postgres    the same, with COPY ... FROM STDIN.
//   bigquery    the rows of a group of partitions are loaded into expiring staging tables (load jobs
//               under deterministic ids), then ONE multi-statement transaction deletes the group's
//               (site, day) rows, inserts them from staging and upserts the ledger rows. Never a
//               partition decorator with WRITE_TRUNCATE: a date partition holds every site's rows.
//   clickhouse  no transactions: fill a staging table, REPLACE PARTITION, THEN write the ledger.
//
// Exactly-once on every engine rests on two rules the loader follows and every engine must honour:
//   1. Replacing a partition is idempotent (the partition's rows are whatever the last replace put
//      there, never a sum of two loads).
//   2. The ledger row (matomo_etl_partitions) is written in the same transaction as the data where
//      the engine has transactions, and strictly AFTER the data is in place where it has not.
// A killed load therefore leaves either the old partition with its old ledger row, or the new data
// with a missing or stale ledger row; the next run compares the ledger's content hash with the
// landing manifest's and redoes the partition.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.h"
#include "core/error.h"
#include "normalize/schema.h"
#include "normalize/table_batch.h"

namespace metl::warehouse {

// SQL type names of an engine, per logical type of the schema (schema.h).
struct TypeNames {
  std::string_view big_int = "BIGINT";
  std::string_view int32 = "INTEGER";
  std::string_view float64 = "DOUBLE";
  std::string_view decimal = "DECIMAL(18,6)";
  std::string_view wide_decimal = "DECIMAL(38,6)";  // sums of money (matomo_daily_kpis)
  std::string_view boolean = "BOOLEAN";
  std::string_view text = "VARCHAR";
  std::string_view date = "DATE";
  std::string_view timestamp_tz = "TIMESTAMPTZ";
  std::string_view timestamp = "TIMESTAMP";
  std::string_view json = "JSON";
  std::string_view Of(LogicalType type) const;
};

// What an engine can do; the loader and the models adapt to it, never to an engine's name.
struct Capabilities {
  std::string_view engine;   // "duckdb", "postgres", "bigquery", "clickhouse"
  std::string_view dialect;  // model SQL dialect (src/models/<dialect>/)
  // Data and ledger row commit atomically (DuckDB, PostgreSQL). When false, the engine writes the
  // ledger row only after the data is in place (rule 2 above).
  bool transactions = false;
  // A date partition can be overwritten atomically by a load (a partition decorator with WRITE_TRUNCATE).
  // No engine uses it: such a partition holds every site's rows of the date.
  bool partition_overwrite = false;
  // Several statements and their transaction go to the engine as ONE script (BigQuery: each query is a
  // job of its own, and a transaction cannot span two jobs).
  bool scripts = false;
  // A partition can be swapped in from a staging table (ClickHouse REPLACE PARTITION).
  bool partition_replace = false;
  // ALTER TABLE ... ADD COLUMN for self-migration when the declared schema gains columns.
  bool add_column = true;
  // Several Sessions may load different partitions at the same time.
  bool concurrent_writers = true;
  // Partitions are loaded several to a transaction (Session::BeginGroup) until a group holds this
  // many visits; 0: one transaction per partition.
  int64_t group_visits = 0;
  // The engine could read the landing zone in place (matomo_raw_visits as a view). When false,
  // raw visits are loaded into a table like the other curated tables.
  bool raw_visits_view = false;
  // The report tables (matomo_*_daily, Matomo's own reports) are built by the models.
  bool report_models = true;
  // The analysis tables (channels, attribution, cohorts, funnels, dates) are built by the models (on
  // ClickHouse by its own SQL, models/ch_analysis_sql.cc). False where their SQL does not run: the
  // engine does not create them.
  bool analysis_models = true;
  TypeNames types;
};

struct PartitionKey {
  int64_t site_id = 0;
  CivilDate date;
  auto operator<=>(const PartitionKey&) const = default;
  std::string ToString() const;  // "site 1, 2026-11-25"
};

// Ledger statuses (matomo_etl_partitions.status).
inline constexpr std::string_view kLedgerLoaded = "loaded";
inline constexpr std::string_view kLedgerFailed = "failed";

// One row of matomo_etl_partitions: what was loaded, from which landed content, and how it went.
struct LedgerEntry {
  PartitionKey key;
  int64_t visits = 0;
  std::string content_hash;        // the landing manifest's content_sha256
  std::string status;              // kLedgerLoaded or kLedgerFailed
  int64_t loaded_at = 0;           // epoch seconds (UTC)
  std::string last_error;          // "" when loaded
  std::string landing_status;      // the manifest's status: complete, partial, mismatch
  std::optional<int64_t> matomo_nb_visits;
  int64_t truncated_visits = 0;
  int64_t bytes = 0;
  std::optional<int64_t> extracted_at;  // epoch seconds
  std::string etl_version;
  std::string source;  // "live" (Live API) or "dwc" (Data Warehouse Connector)
};

// What a result column holds, for output that keeps types (`matomo-etl sql --format json`).
enum class ColumnKind { kText, kNumber, kBool };

// A small, engine-neutral result set for status, verify, demo, `sql` and tests (not for bulk reads).
struct QueryResult {
  std::vector<std::string> columns;
  std::vector<ColumnKind> kinds;                              // one per column (kText when unsure)
  std::vector<std::vector<std::optional<std::string>>> rows;  // values as text; nullopt = NULL
  int ColumnIndex(std::string_view name) const;               // -1 when absent
};

// One partition being replaced. Rows arrive as TableBatches of the curated tables (the normalizer
// is the usual producer); Commit replaces the partition's rows in every table passed to
// BeginPartition and records the ledger row. Destroying an uncommitted load rolls it back.
class PartitionLoad : public RowSink {
 public:
  // Consume may not fail loudly (RowSink); an engine error is kept and returned by Commit.
  //
  // Runs `produce` on a second thread, feeding this load the sink it is given, while the calling
  // thread hands the rows to the engine: one partition keeps two cores busy, parsing and the
  // engine's appends overlap. Returns how `produce` ended (engine errors wait for Commit). By
  // default the batches are copied over to this thread and Consume'd here (BatchPipe); an engine
  // can take them on the producing thread instead and do there the work that does not need its
  // connection (DuckDB: copying rows into its data chunks).
  virtual Status ConsumeFrom(const std::function<Status(RowSink&)>& produce);
  virtual Status Commit(const LedgerEntry& entry) = 0;
  virtual void Abort() = 0;
};

// One connection. Not thread-safe: the loader opens one Session per worker thread.
class Session {
 public:
  virtual ~Session() = default;
  // Starts replacing `key` in `tables` (each with a partition_date_column).
  virtual Result<std::unique_ptr<PartitionLoad>> BeginPartition(const PartitionKey& key,
                                                                const std::vector<const TableDef*>& tables) = 0;
  // Replaces the rows of `sites` (column site_id) in each batch's table with the batch's rows, all
  // tables in one transaction where the engine has them; other sites' rows stay. For the small
  // tables refreshed from the API (matomo_sites, matomo_goals): a run restricted to some sites must
  // not lose the others'.
  virtual Status ReplaceSiteRows(const std::vector<int64_t>& sites, const std::vector<const TableBatch*>& tables) = 0;
  // Several partitions in one transaction, where Capabilities::group_visits > 0: BeginGroup, then
  // each partition's BeginPartition ... Commit, which only stages it, then CommitGroup. After any
  // failure, AbortGroup rolls back every partition of the group.
  virtual Status BeginGroup() { return Error(ErrorKind::kInternal, "this warehouse loads one partition at a time"); }
  virtual Status CommitGroup() { return Error(ErrorKind::kInternal, "this warehouse loads one partition at a time"); }
  virtual void AbortGroup() {}
  // Writes a ledger row alone (a failed partition: its data stays as it was).
  virtual Status WriteLedger(const LedgerEntry& entry) = 0;
  virtual Status Execute(std::string_view sql) = 0;
  virtual Result<QueryResult> Query(std::string_view sql) = 0;
  // SQL spellings that differ between engines, for the few queries written outside an engine (the
  // ledger, verify): `expr` as text, a timestamp's epoch seconds, a quoted table or column name.
  virtual std::string TextOf(std::string_view expr) const;
  virtual std::string EpochSecondsOf(std::string_view expr) const;
  virtual std::string Name(std::string_view ident) const;
  // A write whose SELECT must see every row of the warehouse, not one shard's: on a sharded ClickHouse
  // cluster it runs once, on the first shard, reading the Distributed tables (Execute runs a write on
  // every shard's local tables). Elsewhere the same as Execute.
  virtual Status ExecuteGlobal(std::string_view sql) { return Execute(sql); }
};

class Warehouse {
 public:
  virtual ~Warehouse() = default;
  virtual const Capabilities& capabilities() const = 0;
  // For messages: "duckdb:/path/matomo.duckdb", never a password.
  virtual std::string Describe() const = 0;
  // Creates missing tables and adds columns the declared schema gained (self-migration).
  virtual Status Migrate(const std::vector<TableDef>& tables) = 0;
  virtual Result<std::unique_ptr<Session>> Connect() = 0;
  // Sizes an engine inside this process for the work ahead: `loading_partitions` sessions loading at
  // the same time (> 0), or the models and queries that follow the loads (0). A server engine has
  // nothing to do.
  virtual Status PrepareFor(int loading_partitions) {
    (void)loading_partitions;
    return OkStatus();
  }
};

// Settings of the engines that run inside this process (a server engine ignores them).
struct WarehouseOptions {
  // DuckDB's memory_limit in MB while partitions load (times the partitions loading at once, where an
  // engine loads several); 0, and every query and model, leave DuckDB's default (80% of RAM).
  int64_t duckdb_memory_mb = 96;
  // Open an existing warehouse only (`status`): a missing DuckDB file is a kConfig error instead of a
  // new empty file. A server engine's database exists or the connection fails anyway.
  bool must_exist = false;
  // For reading only (`matomo-etl sql`): a missing warehouse is an error, never created; every write
  // is refused by the engine (DuckDB opens the file read-only, without access to other files;
  // PostgreSQL sessions run READ ONLY transactions). Migrate is refused.
  bool read_only = false;
  // The landing zone (--landing). BigQuery stages its load files under <landing>/_staging/ when it is gs://.
  std::string landing;
  // `load --dry-run`: the engine prints what it would do and sends nothing. BigQuery only; the other
  // engines refuse it (`load --dry-run` lists their partitions without opening them).
  bool dry_run = false;
  // The config file's clickhouse_password (a secret: never logged). A clickhouse:// warehouse uses it when
  // neither its URI nor CLICKHOUSE_PASSWORD gives one; the other engines ignore it.
  std::string clickhouse_password;
};

// `duckdb:PATH` (also a bare path ending in .duckdb), `postgres://...` / `postgresql://...`, or
// `bigquery://PROJECT/DATASET?location=EU` (Google credentials from the environment: cloud/).
// A warehouse opened read_only that does not exist is a kConfig error.
Result<std::unique_ptr<Warehouse>> OpenWarehouse(std::string_view url, const WarehouseOptions& options = {});

// What a --warehouse URL names, found without opening, creating or locking anything: `sync` checks
// its URL before spending Matomo requests but opens a DuckDB file only for its load, so that readers
// (BI tools, `status`) can open it while extraction waits on Matomo.
struct WarehouseLocation {
  std::string_view engine;     // "duckdb", "postgres"
  std::filesystem::path file;  // the database file of an engine that keeps one (DuckDB); empty otherwise
  bool file_exists = false;    // whether `file` exists now
};
// A malformed URL, an unknown scheme, or a DuckDB path that cannot be written (its folder or file
// read-only) is a kConfig error.
Result<WarehouseLocation> CheckWarehouseUrl(std::string_view url);

}  // namespace metl::warehouse
