// One row of a Matomo log table as the Data Warehouse Connector exports it: a JSON object per line,
// column name -> value. Values keep their JSON text (numbers as their literal, so money stays exact);
// columns this code does not know are kept and ignored, never an error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace metl::dwc {

struct RawValue {
  enum class Kind : uint8_t { kNull, kNumber, kString, kBool };
  Kind kind = Kind::kNull;
  std::string text;  // number literal, unescaped string, "true"/"false"

  bool null() const { return kind == Kind::kNull; }
};

class RawRow {
 public:
  void Add(std::string name, RawValue value) { cols_.emplace_back(std::move(name), std::move(value)); }
  // nullptr when the column is absent (an older or newer export).
  const RawValue* Find(std::string_view name) const;
  // An integer from a number or a numeric string; nullopt for NULL, "", absent or not a number.
  std::optional<int64_t> Int(std::string_view name) const;
  std::optional<double> Double(std::string_view name) const;
  // The value as text (numbers as their literal); nullopt for NULL or absent.
  std::optional<std::string> Text(std::string_view name) const;
  const std::vector<std::pair<std::string, RawValue>>& columns() const { return cols_; }

 private:
  std::vector<std::pair<std::string, RawValue>> cols_;
};

// Parses one JSONL line; a line that is not a JSON object of scalars (nested values are kept as
// their JSON text) is a kData error with `what` (e.g. "file K line 12") in its message.
Result<RawRow> ParseRawRow(std::string_view line, const std::string& what);

}  // namespace metl::dwc
