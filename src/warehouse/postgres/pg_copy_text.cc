#include "warehouse/postgres/pg_copy_text.h"

#include <charconv>
#include <cmath>

#include "core/civil_date.h"

namespace metl::warehouse::pg_engine {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;
constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

void AppendInt(int64_t v, std::string& out) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

void AppendPadded(int64_t v, int width, std::string& out) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  for (int n = static_cast<int>(res.ptr - buf); n < width; ++n) out.push_back('0');
  out.append(buf, res.ptr);
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace

void AppendCopyEscaped(std::string_view text, std::string& out) {
  size_t run = 0;  // start of the pending run of characters that need no escape
  for (size_t i = 0; i < text.size(); ++i) {
    const char* escaped = nullptr;
    switch (text[i]) {
      case '\\':
        escaped = "\\\\";
        break;
      case '\t':
        escaped = "\\t";
        break;
      case '\n':
        escaped = "\\n";
        break;
      case '\r':
        escaped = "\\r";
        break;
      case '\0':
        break;
      default:
        continue;
    }
    out.append(text.substr(run, i - run));
    if (escaped != nullptr) {
      out.append(escaped);
    } else {
      out.append(kReplacementChar);
    }
    run = i + 1;
  }
  out.append(text.substr(run));
}

void AppendCopyJson(std::string_view json, std::string& out) {
  if (json.find("\\u0000") == std::string_view::npos) {
    AppendCopyEscaped(json, out);
    return;
  }
  std::string fixed;
  fixed.reserve(json.size());
  for (size_t i = 0; i < json.size(); ++i) {
    if (json[i] != '\\' || i + 1 >= json.size()) {
      fixed.push_back(json[i]);
      continue;
    }
    // An escape: copy it whole so that "\\u0000" (an escaped backslash, then text) stays as is.
    if (json.substr(i, 6) == "\\u0000") {
      fixed.append("\\ufffd");
      i += 5;
    } else {
      fixed.push_back(json[i]);
      fixed.push_back(json[i + 1]);
      ++i;
    }
  }
  AppendCopyEscaped(fixed, out);
}

void AppendDecimalMicros(int64_t micros, std::string& out) {
  // Work in unsigned so that INT64_MIN has a magnitude.
  uint64_t magnitude = micros < 0 ? 0 - static_cast<uint64_t>(micros) : static_cast<uint64_t>(micros);
  if (micros < 0) out.push_back('-');
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, magnitude / kMicrosPerSecond);
  out.append(buf, res.ptr);
  out.push_back('.');
  AppendPadded(static_cast<int64_t>(magnitude % kMicrosPerSecond), 6, out);
}

void AppendDate(int64_t days, std::string& out) {
  Ymd ymd = CivilDate::FromDays(days).ymd();
  AppendPadded(ymd.year, 4, out);
  out.push_back('-');
  AppendPadded(ymd.month, 2, out);
  out.push_back('-');
  AppendPadded(ymd.day, 2, out);
}

void AppendTimestampMicros(int64_t micros, bool utc, std::string& out) {
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t of_day = micros - days * kMicrosPerDay;
  AppendDate(days, out);
  out.push_back(' ');
  int64_t seconds = of_day / kMicrosPerSecond;
  AppendPadded(seconds / 3600, 2, out);
  out.push_back(':');
  AppendPadded(seconds / 60 % 60, 2, out);
  out.push_back(':');
  AppendPadded(seconds % 60, 2, out);
  if (int64_t fraction = of_day % kMicrosPerSecond; fraction != 0) {
    out.push_back('.');
    AppendPadded(fraction, 6, out);
  }
  if (utc) out.append("+00");
}

void AppendCopyValue(const ColumnVector& column, size_t row, std::string& out) {
  if (column.IsNull(row)) {
    out.append("\\N");
    return;
  }
  switch (column.type()) {
    case LogicalType::kBigInt:
    case LogicalType::kInt:
      AppendInt(column.Int(row), out);
      break;
    case LogicalType::kBool:
      out.push_back(column.Int(row) != 0 ? 't' : 'f');
      break;
    case LogicalType::kDecimal:
    case LogicalType::kWideDecimal:
      AppendDecimalMicros(column.Int(row), out);
      break;
    case LogicalType::kDate:
      AppendDate(column.Int(row), out);
      break;
    case LogicalType::kTimestampTz:
      AppendTimestampMicros(column.Int(row), true, out);
      break;
    case LogicalType::kTimestamp:
      AppendTimestampMicros(column.Int(row), false, out);
      break;
    case LogicalType::kText:
      AppendCopyEscaped(column.Text(row), out);
      break;
    case LogicalType::kJson:
      AppendCopyJson(column.Text(row), out);
      break;
    case LogicalType::kDouble: {
      double v = column.Double(row);
      if (std::isnan(v)) {
        out.append("NaN");
      } else if (std::isinf(v)) {
        out.append(v > 0 ? "Infinity" : "-Infinity");
      } else {
        char buf[32];
        auto res = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back exactly
        out.append(buf, res.ptr);
      }
      break;
    }
  }
}

void AppendCopyRows(const TableBatch& batch, size_t begin, size_t end, std::string& out) {
  size_t columns = batch.column_count();
  for (size_t row = begin; row < end; ++row) {
    for (size_t c = 0; c < columns; ++c) {
      if (c != 0) out.push_back('\t');
      AppendCopyValue(batch.column(c), row, out);
    }
    out.push_back('\n');
  }
}

}  // namespace metl::warehouse::pg_engine
