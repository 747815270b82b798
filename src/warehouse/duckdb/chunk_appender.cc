#include "warehouse/duckdb/chunk_appender.h"

#include <algorithm>
#include <cstring>

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

ChunkAppender::~ChunkAppender() {
  if (chunk_) duckdb_destroy_data_chunk(&chunk_);
  if (appender_) duckdb_appender_destroy(&appender_);
}

Status ChunkAppender::AppenderError(const char* what) {
  const char* msg = appender_ ? duckdb_appender_error(appender_) : nullptr;
  return Error(ErrorKind::kInternal, std::string("DuckDB ") + what + " " + std::string(table_->name) + ": " +
                                         (msg ? msg : "unknown error"));
}

Status ChunkAppender::Open(duckdb_connection conn, const TableDef& table) {
  table_ = &table;
  std::string name(table.name);
  if (duckdb_appender_create(conn, nullptr, name.c_str(), &appender_) == DuckDBError) {
    return AppenderError("appender on");
  }
  std::vector<duckdb_logical_type> types;
  for (const ColumnDef& c : table.columns) {
    std::string col(c.name);
    if (duckdb_appender_add_column(appender_, col.c_str()) == DuckDBError) return AppenderError("column of");
    types.push_back(MakeLogicalType(c.type));
  }
  chunk_ = duckdb_create_data_chunk(types.data(), types.size());
  for (auto& t : types) duckdb_destroy_logical_type(&t);
  return OkStatus();
}

Status ChunkAppender::Append(const TableBatch& batch) {
  const size_t total = batch.rows();
  const size_t cap = duckdb_vector_size();
  for (size_t start = 0; start < total; start += cap) {
    const size_t n = std::min(cap, total - start);
    duckdb_data_chunk_reset(chunk_);
    for (size_t c = 0; c < batch.column_count(); ++c) {
      const ColumnVector& col = batch.column(c);
      duckdb_vector vec = duckdb_data_chunk_get_vector(chunk_, c);
      void* data = duckdb_vector_get_data(vec);
      uint64_t* validity = nullptr;
      for (size_t r = 0; r < n; ++r) {
        const size_t row = start + r;
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
            break;
          }
        }
      }
    }
    duckdb_data_chunk_set_size(chunk_, n);
    if (duckdb_append_data_chunk(appender_, chunk_) == DuckDBError) return AppenderError("append to");
  }
  return OkStatus();
}

Status ChunkAppender::Close() {
  if (!appender_) return OkStatus();
  if (duckdb_appender_close(appender_) == DuckDBError) {
    Status err = AppenderError("flush of");
    duckdb_appender_destroy(&appender_);
    return err;
  }
  duckdb_appender_destroy(&appender_);
  return OkStatus();
}

}  // namespace metl::warehouse::duckdb_engine
