// One exported row typed by its DWC schema (normalize/dwc_raw_schema.h), as the SQL literals the raw
// layer inserts: binary ids decoded whatever their form, DATETIMEs read as UTC with or without a
// fraction, numbers checked against their type. A column the schema does not declare, and a value that
// does not fit its declared type, go to the row's `_dwc_extra` JSON object: kept, never an error.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "dwc/raw_row.h"
#include "normalize/dwc_raw_schema.h"

namespace metl::dwc {

struct TypedRawRow {
  std::vector<std::string> values;  // one SQL literal ("NULL", 42, 'text', ...) per schema column
  std::string extra;                // a JSON object, or "" when every column was declared and fit
  // SHA-256 (hex) of the typed values and `extra`: equal for the same row in any export encoding.
  std::string Hash() const;
};

class RawTyper {
 public:
  explicit RawTyper(const DwcRawTable& table);
  // A row of `table`; a kData error (naming `what`, e.g. "file K line 3") only when a primary-key
  // column is missing or unfit. Matomo's NOT NULL key columns `buster` and `idorder`, when absent,
  // are 0 and '' (as the curated path reads them).
  Result<TypedRawRow> Type(const RawRow& row, const std::string& what) const;
  // The schema columns, in the order of TypedRawRow::values.
  const std::vector<std::string_view>& columns() const { return columns_; }

 private:
  const DwcRawTable& table_;
  std::vector<std::string_view> columns_;
  std::vector<DwcValueForm> forms_;
  std::vector<bool> is_key_;
  std::unordered_map<std::string_view, size_t> index_;
};

// A JSON string literal of `text` (NUL as U+FFFD: PostgreSQL's jsonb cannot hold it).
std::string JsonString(std::string_view text);
// A SQL string literal of `text` (NUL as U+FFFD: PostgreSQL's text cannot hold it).
std::string SqlText(std::string_view text);

}  // namespace metl::dwc
