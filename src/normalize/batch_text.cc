#include "normalize/batch_text.h"

#include <charconv>
#include <cinttypes>
#include <cstdio>

#include "core/civil_date.h"

namespace metl {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

std::string FormatMicrosTime(int64_t micros, bool utc) {
  int64_t seconds = FloorDiv(micros, 1'000'000);
  int64_t fraction = micros - seconds * 1'000'000;
  std::string s = FormatDateTime(seconds);
  if (fraction != 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, ".%06" PRId64, fraction);
    s += buf;
  }
  if (utc) s += "Z";
  return s;
}

void AppendEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\\': out += "\\\\"; break;
      default: out += c;
    }
  }
}

}  // namespace

std::string FormatMicros(int64_t micros) {
  bool negative = micros < 0;
  uint64_t m = negative ? 0 - static_cast<uint64_t>(micros) : static_cast<uint64_t>(micros);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%" PRIu64 ".%06" PRIu64, negative ? "-" : "", m / 1'000'000, m % 1'000'000);
  return buf;
}

std::string RenderValue(const ColumnVector& column, size_t row) {
  if (column.IsNull(row)) return "\\N";
  switch (column.type()) {
    case LogicalType::kBigInt:
    case LogicalType::kInt: return std::to_string(column.Int(row));
    case LogicalType::kDecimal:
    case LogicalType::kWideDecimal: return FormatMicros(column.Int(row));
    case LogicalType::kBool: return column.Int(row) ? "true" : "false";
    case LogicalType::kDouble: {
      char buf[32];  // shortest text that reads back to the same double
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, column.Double(row));
      return std::string(buf, ec == std::errc() ? end : buf);
    }
    case LogicalType::kDate: return CivilDate::FromDays(column.Int(row)).ToString();
    case LogicalType::kTimestampTz: return FormatMicrosTime(column.Int(row), true);
    case LogicalType::kTimestamp: return FormatMicrosTime(column.Int(row), false);
    case LogicalType::kText:
    case LogicalType::kJson: {
      std::string out;
      AppendEscaped(out, column.Text(row));
      return out;
    }
  }
  return "?";
}

std::string RenderHeader(const TableDef& table) {
  std::string out;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (i) out += '\t';
    out += table.columns[i].name;
  }
  return out;
}

std::string RenderRows(const TableBatch& batch) {
  std::string out;
  for (size_t r = 0; r < batch.rows(); ++r) {
    for (size_t c = 0; c < batch.column_count(); ++c) {
      if (c) out += '\t';
      out += RenderValue(batch.column(c), r);
    }
    out += '\n';
  }
  return out;
}

}  // namespace metl
