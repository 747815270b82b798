// Typed, columnar rows of one table, filled by the normalizer and drained by a warehouse engine
// (DuckDB data chunks, PostgreSQL COPY, files). Columnar so that engines can hand whole vectors
// to their bulk APIs; strings live in one arena so that a row costs no allocation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "normalize/schema.h"

namespace metl {

class ColumnVector {
 public:
  explicit ColumnVector(LogicalType type) : type_(type) {}
  LogicalType type() const { return type_; }
  size_t size() const { return valid_.size(); }
  bool IsNull(size_t row) const { return !valid_[row]; }

  // Integer-like types (kBigInt, kInt, kDecimal micro-units, kBool 0/1, kDate, kTimestamp*).
  int64_t Int(size_t row) const { return ints_[row]; }
  double Double(size_t row) const { return doubles_[row]; }
  std::string_view Text(size_t row) const {  // kText, kJson
    return std::string_view(arena_).substr(offsets_[row], offsets_[row + 1] - offsets_[row]);
  }

  void AppendNull();
  void AppendInt(int64_t v);
  void AppendDouble(double v);
  void AppendText(std::string_view v);
  void Clear();
  void Reserve(size_t rows);

 private:
  LogicalType type_;
  std::vector<uint8_t> valid_;
  std::vector<int64_t> ints_;
  std::vector<double> doubles_;
  std::string arena_;
  std::vector<uint32_t> offsets_{0};  // offsets_[i]..offsets_[i+1] is row i's text
};

class TableBatch {
 public:
  explicit TableBatch(const TableDef& table);
  const TableDef& table() const { return *table_; }
  size_t rows() const { return columns_.empty() ? 0 : columns_[0].size(); }
  ColumnVector& column(size_t i) { return columns_[i]; }
  const ColumnVector& column(size_t i) const { return columns_[i]; }
  size_t column_count() const { return columns_.size(); }
  void Clear();

 private:
  const TableDef* table_;
  std::vector<ColumnVector> columns_;
};

// Where normalized rows go. The normalizer fills batches and hands over full ones (and the rest
// at the end of a partition); the sink must consume or copy them before returning.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void Consume(const TableBatch& batch) = 0;
};

}  // namespace metl
