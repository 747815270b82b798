#include "normalize/table_batch.h"

#include <cstdint>

namespace metl {

void ColumnVector::AppendNull() {
  valid_.push_back(0);
  switch (type_) {
    case LogicalType::kDouble: doubles_.push_back(0); break;
    case LogicalType::kText:
    case LogicalType::kJson: offsets_.push_back(offsets_.back()); break;
    default: ints_.push_back(0);
  }
}

void ColumnVector::AppendInt(int64_t v) {
  // A 32-bit column cannot hold it: DuckDB truncated it silently, PostgreSQL failed the partition.
  // NULL in every engine; the exact value stays in the raw visit.
  if (type_ == LogicalType::kInt && (v < INT32_MIN || v > INT32_MAX)) {
    AppendNull();
    return;
  }
  valid_.push_back(1);
  ints_.push_back(v);
}

void ColumnVector::AppendDouble(double v) {
  valid_.push_back(1);
  doubles_.push_back(v);
}

void ColumnVector::AppendText(std::string_view v) {
  valid_.push_back(1);
  arena_.append(v);
  offsets_.push_back(static_cast<uint32_t>(arena_.size()));
}

void ColumnVector::Clear() {
  valid_.clear();
  ints_.clear();
  doubles_.clear();
  arena_.clear();
  offsets_.assign(1, 0);
}

void ColumnVector::Reserve(size_t rows) {
  valid_.reserve(rows);
  switch (type_) {
    case LogicalType::kDouble: doubles_.reserve(rows); break;
    case LogicalType::kText:
    case LogicalType::kJson: offsets_.reserve(rows + 1); break;
    default: ints_.reserve(rows);
  }
}

TableBatch::TableBatch(const TableDef& table) : table_(&table) {
  columns_.reserve(table.columns.size());
  for (const auto& c : table.columns) columns_.emplace_back(c.type);
}

void TableBatch::Clear() {
  for (auto& c : columns_) c.Clear();
}

}  // namespace metl
