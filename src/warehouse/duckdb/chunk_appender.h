// Appends TableBatches to one DuckDB table through the appender and reusable data chunks (typed
// vectors copied column by column: no per-value calls, no text conversion).
#pragma once

#include <duckdb.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "normalize/table_batch.h"

namespace metl::warehouse::duckdb_engine {

class ChunkAppender {
 public:
  ChunkAppender() = default;
  ~ChunkAppender();
  ChunkAppender(const ChunkAppender&) = delete;
  ChunkAppender& operator=(const ChunkAppender&) = delete;

  // Appends to `table` in the connection's current transaction, naming the declared columns so
  // that the physical column order (changed by migrations) does not matter.
  Status Open(duckdb_connection conn, const TableDef& table);
  Status Append(const TableBatch& batch);
  // Flushes buffered rows into the transaction; the appender is unusable afterwards.
  Status Close();
  const TableDef* table() const { return table_; }

 private:
  Status AppenderError(const char* what);
  const TableDef* table_ = nullptr;
  duckdb_appender appender_ = nullptr;
  duckdb_data_chunk chunk_ = nullptr;
};

// The DuckDB logical type of a schema type (caller destroys it).
duckdb_logical_type MakeLogicalType(LogicalType type);

}  // namespace metl::warehouse::duckdb_engine
