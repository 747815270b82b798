// Appends TableBatches to one DuckDB table through the appender and a reusable data chunk (typed
// vectors copied column by column: no per-value calls, no text conversion), or chunks filled
// elsewhere (ChunkStager). Rows reach DuckDB a whole chunk at a time and are flushed every
// kFlushBytes, so memory stays bounded (see AppendFilledChunk and AppendChunk).
#pragma once

#include <duckdb.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "normalize/table_batch.h"

namespace metl::warehouse::duckdb_engine {

class ChunkAppender {
 public:
  // Rows held by the appender before they go to the transaction (AppendChunk).
  static constexpr size_t kFlushBytes = size_t{1} << 20;

  ChunkAppender() = default;
  ~ChunkAppender();
  ChunkAppender(const ChunkAppender&) = delete;
  ChunkAppender& operator=(const ChunkAppender&) = delete;

  // Appends to `table` in the connection's current transaction, naming the declared columns so
  // that the physical column order (changed by migrations) does not matter.
  Status Open(duckdb_connection conn, const TableDef& table);
  Status Append(const TableBatch& batch);
  // Appends a chunk filled elsewhere (ChunkStager: on the thread that parses) with the table's
  // columns in declared order, holding about `bytes` (ChunkBytes); the caller still owns it.
  Status AppendChunk(duckdb_data_chunk chunk, size_t bytes);
  // Hands the last, partial chunk to the transaction; the appender is unusable afterwards.
  Status Close();
  const TableDef* table() const { return table_; }

 private:
  Status AppenderError(const char* what);
  Status AppendFilledChunk();
  const TableDef* table_ = nullptr;
  duckdb_appender appender_ = nullptr;
  duckdb_data_chunk chunk_ = nullptr;
  size_t filled_ = 0;        // rows of chunk_ not yet handed to DuckDB
  size_t filled_bytes_ = 0;  // their text bytes
  size_t unflushed_bytes_ = 0;
};

// The DuckDB logical type of a schema type (caller destroys it).
duckdb_logical_type MakeLogicalType(LogicalType type);
// An empty data chunk with `table`'s columns in declared order (caller destroys it).
duckdb_data_chunk CreateChunk(const TableDef& table);
// Copies rows [start, start + n) of `batch` into `chunk` from its row `at` on (typed values, NULLs
// in the validity mask, text copied into the chunk's own heap). The chunk must have room for them.
// Returns the bytes of text copied.
size_t CopyBatchRows(const TableBatch& batch, size_t start, size_t n, duckdb_data_chunk chunk, size_t at);
// About what a chunk of `rows` rows holds in memory: 8 bytes a value, plus its text.
size_t ChunkBytes(size_t rows, size_t columns, size_t text_bytes);

}  // namespace metl::warehouse::duckdb_engine
