#include "warehouse/duckdb/chunk_appender.h"

#include <algorithm>
#include <cstring>

#include "warehouse/duckdb/duckdb_error.h"

namespace metl::warehouse::duckdb_engine {

duckdb_logical_type MakeLogicalType(LogicalType type) {
  switch (type) {
    case LogicalType::kBigInt: return duckdb_create_logical_type(DUCKDB_TYPE_BIGINT);
    case LogicalType::kInt: return duckdb_create_logical_type(DUCKDB_TYPE_INTEGER);
    case LogicalType::kDouble: return duckdb_create_logical_type(DUCKDB_TYPE_DOUBLE);
    case LogicalType::kDecimal: return duckdb_create_decimal_type(18, 6);
    case LogicalType::kWideDecimal: return duckdb_create_decimal_type(38, 6);
    case LogicalType::kBool: return duckdb_create_logical_type(DUCKDB_TYPE_BOOLEAN);
    case LogicalType::kDate: return duckdb_create_logical_type(DUCKDB_TYPE_DATE);
    case LogicalType::kTimestampTz: return duckdb_create_logical_type(DUCKDB_TYPE_TIMESTAMP_TZ);
    case LogicalType::kTimestamp: return duckdb_create_logical_type(DUCKDB_TYPE_TIMESTAMP);
    case LogicalType::kText:
    case LogicalType::kJson: return duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
  }
  return duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
}

namespace {

// Copies rows [start, start + n) of `batch` into `chunk` from its row `at` on; returns the bytes of
// text copied.
size_t CopyBatchRows(const TableBatch& batch, size_t start, size_t n, duckdb_data_chunk chunk, size_t at) {
  size_t text_bytes = 0;
  for (size_t c = 0; c < batch.column_count(); ++c) {
    const ColumnVector& col = batch.column(c);
    duckdb_vector vec = duckdb_data_chunk_get_vector(chunk, c);
    void* data = duckdb_vector_get_data(vec);
    uint64_t* validity = nullptr;
    for (size_t i = 0; i < n; ++i) {
      const size_t row = start + i;
      const size_t r = at + i;  // the row's place in the chunk
      if (col.IsNull(row)) {
        if (!validity) {
          duckdb_vector_ensure_validity_writable(vec);
          validity = duckdb_vector_get_validity(vec);
        }
        duckdb_validity_set_row_invalid(validity, r);
        continue;
      }
      switch (col.type()) {
        case LogicalType::kBigInt:
        case LogicalType::kDecimal:  // DECIMAL(18,6) is an int64 of micro-units in DuckDB too
        case LogicalType::kTimestampTz:
        case LogicalType::kTimestamp: static_cast<int64_t*>(data)[r] = col.Int(row); break;
        case LogicalType::kInt:
        case LogicalType::kDate: static_cast<int32_t*>(data)[r] = static_cast<int32_t>(col.Int(row)); break;
        case LogicalType::kBool: static_cast<bool*>(data)[r] = col.Int(row) != 0; break;
        case LogicalType::kDouble: static_cast<double*>(data)[r] = col.Double(row); break;
        case LogicalType::kWideDecimal: {  // DECIMAL(38,6) is an int128 of micro-units in DuckDB
          const int64_t v = col.Int(row);
          static_cast<duckdb_hugeint*>(data)[r] = duckdb_hugeint{static_cast<uint64_t>(v), v < 0 ? -1 : 0};
          break;
        }
        case LogicalType::kText:
        case LogicalType::kJson: {
          std::string_view s = col.Text(row);
          duckdb_vector_assign_string_element_len(vec, r, s.data(), s.size());
          text_bytes += s.size();
          break;
        }
      }
    }
  }
  return text_bytes;
}

}  // namespace

size_t FillingChunk::Fill(const TableBatch& batch, size_t start) {
  const size_t n = std::min(duckdb_vector_size() - rows, batch.rows() - start);
  text_bytes += CopyBatchRows(batch, start, n, chunk, rows);
  rows += n;
  return start + n;
}

size_t FillingChunk::bytes() const {
  return rows * duckdb_data_chunk_get_column_count(chunk) * 8 + text_bytes;
}

duckdb_data_chunk FillingChunk::Take() {
  duckdb_data_chunk_set_size(chunk, rows);
  duckdb_data_chunk taken = chunk;
  *this = FillingChunk{};
  return taken;
}

duckdb_data_chunk CreateChunk(const TableDef& table) {
  std::vector<duckdb_logical_type> types;
  for (const ColumnDef& c : table.columns) types.push_back(MakeLogicalType(c.type));
  duckdb_data_chunk chunk = duckdb_create_data_chunk(types.data(), types.size());
  for (auto& t : types) duckdb_destroy_logical_type(&t);
  return chunk;
}

ChunkAppender::~ChunkAppender() {
  if (chunk_) duckdb_destroy_data_chunk(&chunk_);
  if (appender_) duckdb_appender_destroy(&appender_);
}

Status ChunkAppender::AppenderError(const char* what) {
  const char* msg = appender_ ? duckdb_appender_error(appender_) : nullptr;
  return DuckDbError(std::string("DuckDB ") + what + " " + std::string(table_->name) + ": ", msg);
}

Status ChunkAppender::Open(duckdb_connection conn, const TableDef& table) {
  table_ = &table;
  std::string name(table.name);
  if (duckdb_appender_create(conn, nullptr, name.c_str(), &appender_) == DuckDBError) {
    return AppenderError("appender on");
  }
  for (const ColumnDef& c : table.columns) {
    std::string col(c.name);
    if (duckdb_appender_add_column(appender_, col.c_str()) == DuckDBError) return AppenderError("column of");
  }
  chunk_ = CreateChunk(table);
  return OkStatus();
}

Status ChunkAppender::Append(const TableBatch& batch) {
  for (size_t start = 0; start < batch.rows();) {
    if (!filling_.chunk) filling_.chunk = chunk_;
    start = filling_.Fill(batch, start);
    if (filling_.full()) METL_TRY(AppendFilledChunk());
  }
  return OkStatus();
}

// Hands the filled rows to the appender. Rows reaching a table in pieces smaller than a whole
// vector cost 32 KB of version info per 2,048 rows until the commit (64 MB for a 300,000-visit day),
// whole vectors a few bytes, so rows are gathered into whole chunks across batches and only the
// last one is partial.
Status ChunkAppender::AppendFilledChunk() {
  if (filling_.rows == 0) return OkStatus();
  const size_t bytes = filling_.bytes();
  duckdb_data_chunk chunk = filling_.Take();
  METL_TRY(AppendChunk(chunk, bytes));
  duckdb_data_chunk_reset(chunk);
  return OkStatus();
}

// DuckDB 1.4's appender keeps up to ~200,000 rows in its own memory, outside the buffer manager
// and its memory_limit, before it writes them (for a 100,000-visit day: every raw visit, 600 MB of
// JSON, at once), so the rows are flushed into the transaction's storage, which the buffer manager
// can spill, as soon as they hold kFlushBytes. Not after every chunk: each flush is a query (bind,
// plan, a pipeline: ~1 ms), and a flush per 2,048-row chunk was ~10% of the appending thread. The
// raw-visits, visits and actions chunks still flush one by one, the small tables' every few chunks
// (larger thresholds cost more memory than they saved: bench/results/profile.md).
Status ChunkAppender::AppendChunk(duckdb_data_chunk chunk, size_t bytes) {
  if (duckdb_append_data_chunk(appender_, chunk) == DuckDBError) return AppenderError("append to");
  unflushed_bytes_ += bytes;
  if (unflushed_bytes_ < kFlushBytes) return OkStatus();
  unflushed_bytes_ = 0;
  if (duckdb_appender_flush(appender_) == DuckDBError) return AppenderError("flush to");
  return OkStatus();
}

Status ChunkAppender::Close() {
  if (!appender_) return OkStatus();
  Status last = AppendFilledChunk();
  if (!last.ok()) {
    duckdb_appender_destroy(&appender_);
    return last;
  }
  if (duckdb_appender_close(appender_) == DuckDBError) {
    Status err = AppenderError("flush of");
    duckdb_appender_destroy(&appender_);
    return err;
  }
  duckdb_appender_destroy(&appender_);
  return OkStatus();
}

}  // namespace metl::warehouse::duckdb_engine
