#include "warehouse/duckdb/result_text.h"

#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

namespace metl::warehouse::duckdb_engine {
namespace {

__extension__ typedef __int128 Int128;            // DECIMAL(38,...) and HUGEINT values
__extension__ typedef unsigned __int128 UInt128;  // UHUGEINT

std::string UInt128ToString(UInt128 v) {
  if (v == 0) return "0";
  std::string digits;
  while (v > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return digits;
}

std::string Int128ToString(Int128 v) {
  if (v >= 0) return UInt128ToString(static_cast<UInt128>(v));
  return "-" + UInt128ToString(static_cast<UInt128>(0) - static_cast<UInt128>(v));
}

// An unscaled integer with `scale` decimal places, exactly: 12500000 at scale 6 is "12.500000".
std::string DecimalToString(Int128 unscaled, int scale) {
  bool negative = unscaled < 0;
  std::string digits = negative ? UInt128ToString(static_cast<UInt128>(0) - static_cast<UInt128>(unscaled))
                                : UInt128ToString(static_cast<UInt128>(unscaled));
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale))
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  }
  return negative ? "-" + digits : digits;
}

template <typename T>
std::string FloatToString(T v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back as the same value
  return std::string(buf, res.ptr);
}

// ".5" for 500000 of 6 digits: PostgreSQL's form (no fraction when zero, no trailing zeros).
std::string Fraction(int64_t fraction, int digits) {
  if (fraction == 0) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, ".%0*" PRId64, digits, fraction);
  std::string s(buf);
  while (s.back() == '0') s.pop_back();
  return s;
}

std::string DateToString(int32_t days) {
  if (days == std::numeric_limits<int32_t>::max()) return "infinity";
  if (days == -std::numeric_limits<int32_t>::max()) return "-infinity";
  duckdb_date_struct d = duckdb_from_date(duckdb_date{days});
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(d.year), static_cast<int>(d.month),
                static_cast<int>(d.day));
  return buf;
}

std::string TimeOfDay(int64_t seconds_of_day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", static_cast<int>(seconds_of_day / 3600),
                static_cast<int>(seconds_of_day / 60 % 60), static_cast<int>(seconds_of_day % 60));
  return buf;
}

// `value` counts units of 10^-digits seconds since 1970-01-01 00:00:00.
std::string TimestampToString(int64_t value, int digits, bool with_zone) {
  if (value == std::numeric_limits<int64_t>::max()) return "infinity";
  if (value == -std::numeric_limits<int64_t>::max()) return "-infinity";
  int64_t per_second = 1;
  for (int i = 0; i < digits; ++i) per_second *= 10;
  int64_t seconds = value / per_second, fraction = value % per_second;
  if (fraction < 0) {  // floor, for instants before 1970
    fraction += per_second;
    seconds -= 1;
  }
  int64_t days = seconds / 86400, second_of_day = seconds % 86400;
  if (second_of_day < 0) {
    second_of_day += 86400;
    days -= 1;
  }
  return DateToString(static_cast<int32_t>(days)) + " " + TimeOfDay(second_of_day) + Fraction(fraction, digits) +
         (with_zone ? "+00" : "");
}

std::string UuidToString(duckdb_hugeint v) {
  // DuckDB stores a UUID as a hugeint with the top bit flipped, so that UUIDs sort as their bytes.
  uint64_t high = static_cast<uint64_t>(v.upper) ^ (uint64_t{1} << 63);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%012" PRIx64, high >> 32,
                (high >> 16) & 0xffff, high & 0xffff, v.lower >> 48, v.lower & uint64_t{0xffffffffffff});
  return buf;
}

std::string BlobToString(const char* data, uint32_t length) {  // PostgreSQL's bytea hex form
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\\x";
  for (uint32_t i = 0; i < length; ++i) {
    auto b = static_cast<unsigned char>(data[i]);
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

Int128 HugeInt(duckdb_hugeint v) {
  return (static_cast<Int128>(v.upper) << 64) + static_cast<Int128>(v.lower);
}

// One column's type, and how to read its vector.
struct ColumnReader {
  std::string name;
  duckdb_logical_type logical = nullptr;
  duckdb_type id = DUCKDB_TYPE_INVALID;
  duckdb_type internal = DUCKDB_TYPE_INVALID;  // DECIMAL and ENUM storage
  int scale = 0;
};

Result<std::string> Render(const ColumnReader& col, void* data, idx_t row) {
  auto at = [&](auto* typed) { return typed[row]; };
  switch (col.id) {
    case DUCKDB_TYPE_BOOLEAN:
      return std::string(at(static_cast<bool*>(data)) ? "true" : "false");
    case DUCKDB_TYPE_TINYINT:
      return std::to_string(at(static_cast<int8_t*>(data)));
    case DUCKDB_TYPE_SMALLINT:
      return std::to_string(at(static_cast<int16_t*>(data)));
    case DUCKDB_TYPE_INTEGER:
      return std::to_string(at(static_cast<int32_t*>(data)));
    case DUCKDB_TYPE_BIGINT:
      return std::to_string(at(static_cast<int64_t*>(data)));
    case DUCKDB_TYPE_UTINYINT:
      return std::to_string(at(static_cast<uint8_t*>(data)));
    case DUCKDB_TYPE_USMALLINT:
      return std::to_string(at(static_cast<uint16_t*>(data)));
    case DUCKDB_TYPE_UINTEGER:
      return std::to_string(at(static_cast<uint32_t*>(data)));
    case DUCKDB_TYPE_UBIGINT:
      return std::to_string(at(static_cast<uint64_t*>(data)));
    case DUCKDB_TYPE_HUGEINT:
      return Int128ToString(HugeInt(at(static_cast<duckdb_hugeint*>(data))));
    case DUCKDB_TYPE_UHUGEINT: {
      duckdb_uhugeint v = at(static_cast<duckdb_uhugeint*>(data));
      return UInt128ToString((static_cast<UInt128>(v.upper) << 64) + v.lower);
    }
    case DUCKDB_TYPE_FLOAT:
      return FloatToString(at(static_cast<float*>(data)));
    case DUCKDB_TYPE_DOUBLE:
      return FloatToString(at(static_cast<double*>(data)));
    case DUCKDB_TYPE_DECIMAL:
      switch (col.internal) {
        case DUCKDB_TYPE_SMALLINT:
          return DecimalToString(at(static_cast<int16_t*>(data)), col.scale);
        case DUCKDB_TYPE_INTEGER:
          return DecimalToString(at(static_cast<int32_t*>(data)), col.scale);
        case DUCKDB_TYPE_BIGINT:
          return DecimalToString(at(static_cast<int64_t*>(data)), col.scale);
        case DUCKDB_TYPE_HUGEINT:
          return DecimalToString(HugeInt(at(static_cast<duckdb_hugeint*>(data))), col.scale);
        default:
          break;
      }
      break;
    case DUCKDB_TYPE_VARCHAR: {  // JSON is a VARCHAR alias
      duckdb_string_t* s = static_cast<duckdb_string_t*>(data) + row;
      return std::string(duckdb_string_t_data(s), duckdb_string_t_length(*s));
    }
    case DUCKDB_TYPE_BLOB: {
      duckdb_string_t* s = static_cast<duckdb_string_t*>(data) + row;
      return BlobToString(duckdb_string_t_data(s), duckdb_string_t_length(*s));
    }
    case DUCKDB_TYPE_DATE:
      return DateToString(at(static_cast<duckdb_date*>(data)).days);
    case DUCKDB_TYPE_TIME: {
      int64_t micros = at(static_cast<duckdb_time*>(data)).micros;
      return TimeOfDay(micros / 1000000) + Fraction(micros % 1000000, 6);
    }
    case DUCKDB_TYPE_TIMESTAMP:
      return TimestampToString(at(static_cast<duckdb_timestamp*>(data)).micros, 6, false);
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return TimestampToString(at(static_cast<duckdb_timestamp*>(data)).micros, 6, true);
    case DUCKDB_TYPE_TIMESTAMP_S:
      return TimestampToString(at(static_cast<int64_t*>(data)), 0, false);
    case DUCKDB_TYPE_TIMESTAMP_MS:
      return TimestampToString(at(static_cast<int64_t*>(data)), 3, false);
    case DUCKDB_TYPE_TIMESTAMP_NS:
      return TimestampToString(at(static_cast<int64_t*>(data)), 9, false);
    case DUCKDB_TYPE_UUID:
      return UuidToString(at(static_cast<duckdb_hugeint*>(data)));
    case DUCKDB_TYPE_ENUM: {
      idx_t index = 0;
      if (col.internal == DUCKDB_TYPE_UTINYINT) index = at(static_cast<uint8_t*>(data));
      if (col.internal == DUCKDB_TYPE_USMALLINT) index = at(static_cast<uint16_t*>(data));
      if (col.internal == DUCKDB_TYPE_UINTEGER) index = at(static_cast<uint32_t*>(data));
      char* value = duckdb_enum_dictionary_value(col.logical, index);
      std::string out = value ? value : "";
      duckdb_free(value);
      return out;
    }
    default:
      break;
  }
  return Error(ErrorKind::kInternal, "DuckDB: column \"" + col.name + "\" has a type (id " +
                                         std::to_string(static_cast<int>(col.id)) + ") that Query cannot render")
      .WithHint("CAST the column to VARCHAR in the query");
}

ColumnKind KindOf(duckdb_type id) {
  switch (id) {
    case DUCKDB_TYPE_BOOLEAN: return ColumnKind::kBool;
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT:
    case DUCKDB_TYPE_UINTEGER:
    case DUCKDB_TYPE_UBIGINT:
    case DUCKDB_TYPE_HUGEINT:
    case DUCKDB_TYPE_UHUGEINT:
    case DUCKDB_TYPE_FLOAT:
    case DUCKDB_TYPE_DOUBLE:
    case DUCKDB_TYPE_DECIMAL: return ColumnKind::kNumber;
    default: return ColumnKind::kText;
  }
}

}  // namespace

Result<QueryResult> ResultToText(duckdb_result& result) {
  QueryResult out;
  idx_t cols = duckdb_column_count(&result);
  std::vector<ColumnReader> readers(cols);
  struct TypeGuard {  // the logical types are destroyed however this function returns
    std::vector<ColumnReader>& readers;
    ~TypeGuard() {
      for (auto& r : readers) duckdb_destroy_logical_type(&r.logical);
    }
  } guard{readers};
  for (idx_t c = 0; c < cols; ++c) {
    ColumnReader& r = readers[c];
    r.name = duckdb_column_name(&result, c);
    out.columns.push_back(r.name);
    r.logical = duckdb_column_logical_type(&result, c);
    r.id = duckdb_get_type_id(r.logical);
    out.kinds.push_back(KindOf(r.id));
    if (r.id == DUCKDB_TYPE_DECIMAL) {
      r.internal = duckdb_decimal_internal_type(r.logical);
      r.scale = duckdb_decimal_scale(r.logical);
    } else if (r.id == DUCKDB_TYPE_ENUM) {
      r.internal = duckdb_enum_internal_type(r.logical);
    }
  }
  while (duckdb_data_chunk chunk = duckdb_fetch_chunk(result)) {
    idx_t rows = duckdb_data_chunk_get_size(chunk);
    size_t first = out.rows.size();
    out.rows.resize(first + rows, std::vector<std::optional<std::string>>(cols));
    for (idx_t c = 0; c < cols; ++c) {
      duckdb_vector vector = duckdb_data_chunk_get_vector(chunk, c);
      void* data = duckdb_vector_get_data(vector);
      uint64_t* validity = duckdb_vector_get_validity(vector);
      for (idx_t r = 0; r < rows; ++r) {
        if (validity && !duckdb_validity_row_is_valid(validity, r)) continue;
        Result<std::string> text = Render(readers[c], data, r);
        if (!text.ok()) {
          duckdb_destroy_data_chunk(&chunk);
          return std::move(text).error();
        }
        out.rows[first + r][c] = std::move(*text);
      }
    }
    duckdb_destroy_data_chunk(&chunk);
  }
  return out;
}

}  // namespace metl::warehouse::duckdb_engine
