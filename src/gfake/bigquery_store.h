// The BigQuery fake's data: datasets, tables with their metadata (schema with descriptions,
// partitioning, clustering, expiration) and rows, kept in an embedded in-memory DuckDB (a dataset is
// a DuckDB schema). Errors are BigQuery's: "reason: message" (BqError / SplitBqError).
#pragma once

#include <duckdb.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace metl::gfake {

Error BqError(std::string_view reason, std::string message);
// The reason and message of an error made by BqError ("invalid" for any other error).
std::pair<std::string, std::string> SplitBqError(const Error& error);

struct BqField {
  std::string name, type, mode, description, precision, scale;
};

struct BqTable {
  std::string dataset, table;
  std::vector<BqField> fields;
  std::string partition_type, partition_field;  // timePartitioning
  std::vector<std::string> clustering;
  std::optional<int64_t> expiration_ms;  // expirationTime
  std::string description;
  int64_t created_ms = 0;
};

struct BqQueryOutput {
  std::vector<BqField> schema;                                // name and type
  std::vector<std::vector<std::optional<std::string>>> rows;  // cells as BigQuery renders them
  int64_t dml_affected_rows = 0;
};

class BqStore {
 public:
  explicit BqStore(std::string project);
  ~BqStore();
  BqStore(const BqStore&) = delete;
  BqStore& operator=(const BqStore&) = delete;

  const std::string& project() const { return project_; }
  Status CreateDataset(const std::string& dataset, const std::string& location);
  std::optional<std::string> DatasetLocation(const std::string& dataset);
  Status CreateTable(const BqTable& table);
  std::optional<BqTable> GetTable(const std::string& dataset, const std::string& table);
  Status DeleteTable(const std::string& dataset, const std::string& table);
  // Loads newline-delimited JSON into a table (created from `schema` when missing and allowed).
  Result<int64_t> LoadNdjson(const std::string& dataset, const std::string& table, const std::string& data,
                             const std::vector<BqField>& schema, const std::string& write_disposition,
                             const std::string& create_disposition);
  // Runs a GoogleSQL script; the rows are the last statement's (TIMESTAMP cells in microseconds).
  // Unqualified table names resolve in `default_dataset` (the job's defaultDataset) when set.
  Result<BqQueryOutput> RunScript(const std::string& sql, const std::string& default_dataset = "");
  int64_t RowCount(const std::string& dataset, const std::string& table);

 private:
  Status Exec(const std::string& sql);
  void DropExpiredLocked();
  // After a script's DROP TABLE: the metadata of tables DuckDB no longer has goes too, so that
  // tables.get answers 404 as BigQuery does for a dropped table.
  void ForgetDroppedTablesLocked();
  std::optional<BqTable> ReadTableMeta(const std::string& dataset, const std::string& table);
  Status CreateTableLocked(const BqTable& table);

  std::string project_;
  std::mutex mu_;  // one statement at a time: the fake is not a database server
  duckdb_database db_ = nullptr;
  duckdb_connection conn_ = nullptr;
  std::map<std::string, std::string> datasets_;  // name -> location
  std::map<std::string, BqTable> tables_;        // "dataset.table" -> metadata
};

// The DuckDB type for a BigQuery field (checks NUMERIC/BIGNUMERIC precision and scale).
Result<std::string> DuckTypeOf(const BqField& field);

}  // namespace metl::gfake
