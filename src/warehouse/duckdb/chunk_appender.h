// Appends TableBatches to one DuckDB table through the appender and a reusable data chunk (typed
// vectors copied column by column: no per-value calls, no text conversion). Rows are handed to
// DuckDB a whole chunk at a time, so memory stays bounded (see AppendFilledChunk).
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
  // Hands the last, partial chunk to the transaction; the appender is unusable afterwards.
  Status Close();
  const TableDef* table() const { return table_; }

 private:
  Status AppenderError(const char* what);
  void CopyRows(const TableBatch& batch, size_t start, size_t n);
  Status AppendFilledChunk();
  const TableDef* table_ = nullptr;
  duckdb_appender appender_ = nullptr;
  duckdb_data_chunk chunk_ = nullptr;
  size_t filled_ = 0;  // rows of chunk_ not yet handed to DuckDB
};

// The DuckDB logical type of a schema type (caller destroys it).
duckdb_logical_type MakeLogicalType(LogicalType type);

}  // namespace metl::warehouse::duckdb_engine
