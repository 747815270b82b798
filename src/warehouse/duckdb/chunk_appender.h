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

// A data chunk being filled with rows of one table, gathered across batches into whole vectors.
struct FillingChunk {
  duckdb_data_chunk chunk = nullptr;
  size_t rows = 0;
  size_t text_bytes = 0;

  // Copies rows of `batch` from row `start` on (typed values, NULLs in the validity mask, text into
  // the chunk's own heap) until the batch ends or the chunk is full; returns the row to go on from.
  size_t Fill(const TableBatch& batch, size_t start);
  bool full() const { return rows == duckdb_vector_size(); }
  // About what it holds in memory: 8 bytes a value, plus its text.
  size_t bytes() const;
  // Sets the chunk's size to the rows filled and hands it over, starting again from no chunk.
  duckdb_data_chunk Take();
};

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
  // columns in declared order, holding about `bytes` (FillingChunk::bytes); the caller still owns it.
  Status AppendChunk(duckdb_data_chunk chunk, size_t bytes);
  // Hands the last, partial chunk to the transaction; the appender is unusable afterwards.
  Status Close();
  const TableDef* table() const { return table_; }

 private:
  Status AppenderError(const char* what);
  Status AppendFilledChunk();
  const TableDef* table_ = nullptr;
  duckdb_appender appender_ = nullptr;
  duckdb_data_chunk chunk_ = nullptr;  // reused: filling_ holds it between appends
  FillingChunk filling_;               // rows not yet handed to DuckDB
  size_t unflushed_bytes_ = 0;
};

// The DuckDB logical type of a schema type (caller destroys it).
duckdb_logical_type MakeLogicalType(LogicalType type);
// An empty data chunk with `table`'s columns in declared order (caller destroys it).
duckdb_data_chunk CreateChunk(const TableDef& table);

}  // namespace metl::warehouse::duckdb_engine
