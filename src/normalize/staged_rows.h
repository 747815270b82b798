// Rows of one visit, held as typed slots until the whole visit has parsed: Matomo sends
// actionDetails before the visit's timestamps, and a visit that fails to parse must leave no rows.
// Text slots are views into the parser's buffers, valid until the next visit is parsed.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "normalize/table_batch.h"

namespace metl {

struct Slot {
  enum class Kind : uint8_t { kNull, kInt, kDouble, kText };
  Kind kind = Kind::kNull;
  int64_t i = 0;
  double d = 0;
  std::string_view s;

  void SetNull() { kind = Kind::kNull; }
  void SetInt(int64_t v) { kind = Kind::kInt; i = v; }
  void SetDouble(double v) { kind = Kind::kDouble; d = v; }
  void SetText(std::string_view v) { kind = Kind::kText; s = v; }
  bool null() const { return kind == Kind::kNull; }
};

class StagedRows {
 public:
  explicit StagedRows(int columns) : columns_(columns) {}
  // A new row with every slot null.
  Slot* Add() {
    ++rows_;
    if (slots_.size() < rows_ * columns_) slots_.resize(rows_ * columns_);
    Slot* row = &slots_[(rows_ - 1) * columns_];
    for (size_t c = 0; c < columns_; ++c) row[c].kind = Slot::Kind::kNull;
    return row;
  }
  Slot* row(size_t r) { return &slots_[r * columns_]; }
  size_t size() const { return rows_; }
  void Truncate(size_t rows) { rows_ = rows < rows_ ? rows : rows_; }
  void Clear() { rows_ = 0; }

  // Appends every staged row to `batch` (whose columns are in the same order).
  void AppendTo(TableBatch& batch) const {
    for (size_t c = 0; c < columns_; ++c) {
      ColumnVector& col = batch.column(c);
      for (size_t r = 0; r < rows_; ++r) {
        const Slot& s = slots_[r * columns_ + c];
        switch (s.kind) {
          case Slot::Kind::kNull: col.AppendNull(); break;
          case Slot::Kind::kInt: col.AppendInt(s.i); break;
          case Slot::Kind::kDouble: col.AppendDouble(s.d); break;
          case Slot::Kind::kText: col.AppendText(s.s); break;
        }
      }
    }
  }

 private:
  size_t columns_;
  size_t rows_ = 0;
  std::vector<Slot> slots_;
};

}  // namespace metl
