#include "warehouse/bigquery/bq_schema.h"

#include <cmath>
#include <cstdio>

#include "core/civil_date.h"
#include "core/log.h"

namespace metl::warehouse::bq_engine {
namespace {

std::string Json(std::string_view s) {
  return "\"" + JsonEscape(s) + "\"";
}

// "type" (+ precision/scale) of a logical type.
std::string TypeJson(LogicalType type) {
  std::string out = "\"type\":\"" + std::string(BqTypeName(type)) + "\"";
  if (type == LogicalType::kDecimal) out += ",\"precision\":\"18\",\"scale\":\"6\"";
  if (type == LogicalType::kWideDecimal) out += ",\"precision\":\"38\",\"scale\":\"6\"";
  return out;
}

// Microseconds since the epoch as "2026-11-25T23:19:02.123456".
std::string MicrosText(int64_t us) {
  int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
  int64_t frac = us - secs * 1000000;
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rem = secs - days * 86400;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%sT%02lld:%02lld:%02lld.%06lld", CivilDate::FromDays(days).ToString().c_str(),
                static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                static_cast<long long>(rem % 60), static_cast<long long>(frac));
  return buf;
}

// Micro-units as an exact decimal: -1500000 -> "-1.500000".
std::string MicroUnitsText(int64_t v) {
  const bool neg = v < 0;
  uint64_t a = neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%llu.%06llu", neg ? "-" : "", static_cast<unsigned long long>(a / 1000000),
                static_cast<unsigned long long>(a % 1000000));
  return buf;
}

}  // namespace

std::string_view BqTypeName(LogicalType type) {
  switch (type) {
    case LogicalType::kBigInt:
    case LogicalType::kInt:
      return "INTEGER";
    case LogicalType::kDouble:
      return "FLOAT";
    case LogicalType::kDecimal:
      return "NUMERIC";
    case LogicalType::kWideDecimal:
      return "BIGNUMERIC";
    case LogicalType::kBool:
      return "BOOLEAN";
    case LogicalType::kText:
    case LogicalType::kJson:
      return "STRING";
    case LogicalType::kDate:
      return "DATE";
    case LogicalType::kTimestampTz:
      return "TIMESTAMP";
    case LogicalType::kTimestamp:
      return "DATETIME";
  }
  return "STRING";
}

std::string BqIdent(std::string_view name) {
  return "`" + std::string(name) + "`";
}

std::string BqString(std::string_view s) {
  std::string out = "'";
  for (unsigned char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c < 0x20 ? ' ' : static_cast<char>(c);  // other control characters: a space
    }
  }
  return out + "'";
}

std::string FieldsJson(const TableDef& table) {
  std::string out = "[";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const ColumnDef& c = table.columns[i];
    std::string description(c.description.substr(0, 1024));  // BigQuery's limit
    out += std::string(i ? "," : "") + "{\"name\":" + Json(c.name) + "," + TypeJson(c.type) + ",\"mode\":\"" +
           (c.nullable ? "NULLABLE" : "REQUIRED") + "\"" +
           (description.empty() ? "" : ",\"description\":" + Json(description)) + "}";
  }
  return out + "]";
}

std::string TableJson(const TableDef& table, std::string_view project, std::string_view dataset,
                      std::string_view table_id, bool staging, int64_t expiration_ms) {
  std::string out = "{\"tableReference\":{\"projectId\":" + Json(project) + ",\"datasetId\":" + Json(dataset) +
                    ",\"tableId\":" + Json(table_id) + "},\"schema\":{\"fields\":" + FieldsJson(table) + "}";
  if (!staging) {
    std::string description(table.description.substr(0, 16384));
    if (!description.empty()) out += ",\"description\":" + Json(description);
    if (!table.partition_date_column.empty() && table.ColumnIndex(table.partition_date_column) >= 0) {
      out += ",\"timePartitioning\":{\"type\":\"DAY\",\"field\":" + Json(table.partition_date_column) + "}";
    }
    if (table.ColumnIndex("site_id") >= 0) out += ",\"clustering\":{\"fields\":[\"site_id\"]}";
  } else {
    out += ",\"expirationTime\":" + Json(std::to_string(expiration_ms));
  }
  return out + "}";
}

void AppendNdjsonRow(const TableBatch& batch, size_t row, std::string& out) {
  const TableDef& t = batch.table();
  out += '{';
  for (size_t c = 0; c < batch.column_count(); ++c) {
    const ColumnVector& v = batch.column(c);
    if (c) out += ',';
    out += '"';
    out += t.columns[c].name;
    out += "\":";
    if (v.IsNull(row)) {
      out += "null";
      continue;
    }
    switch (v.type()) {
      case LogicalType::kBigInt:
      case LogicalType::kInt: {
        int64_t x = v.Int(row);
        // INT64 beyond 2^53 travel as strings (NDJSON numbers are read as doubles)
        if (x > (int64_t{1} << 53) || x < -(int64_t{1} << 53)) {
          out += "\"" + std::to_string(x) + "\"";
        } else {
          out += std::to_string(x);
        }
        break;
      }
      case LogicalType::kDouble: {
        double d = v.Double(row);
        if (!std::isfinite(d)) {
          out += std::isnan(d) ? "\"NaN\"" : (d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        } else {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.17g", d);
          out += buf;
        }
        break;
      }
      case LogicalType::kDecimal:
      case LogicalType::kWideDecimal:
        out += "\"" + MicroUnitsText(v.Int(row)) + "\"";
        break;
      case LogicalType::kBool:
        out += v.Int(row) ? "true" : "false";
        break;
      case LogicalType::kText:
      case LogicalType::kJson:
        out += Json(v.Text(row));
        break;
      case LogicalType::kDate:
        out += "\"" + CivilDate::FromDays(v.Int(row)).ToString() + "\"";
        break;
      case LogicalType::kTimestampTz:
        out += "\"" + MicrosText(v.Int(row)) + "Z\"";
        break;
      case LogicalType::kTimestamp:
        out += "\"" + MicrosText(v.Int(row)) + "\"";
        break;
    }
  }
  out += "}\n";
}

std::string SqlLiteral(const TableBatch& batch, size_t col, size_t row) {
  const ColumnVector& v = batch.column(col);
  if (v.IsNull(row)) return "NULL";
  switch (v.type()) {
    case LogicalType::kBigInt:
    case LogicalType::kInt:
      return std::to_string(v.Int(row));
    case LogicalType::kDouble: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "CAST('%.17g' AS FLOAT64)", v.Double(row));
      return buf;
    }
    case LogicalType::kDecimal:
      return "NUMERIC '" + MicroUnitsText(v.Int(row)) + "'";
    case LogicalType::kWideDecimal:
      return "BIGNUMERIC '" + MicroUnitsText(v.Int(row)) + "'";
    case LogicalType::kBool:
      return v.Int(row) ? "TRUE" : "FALSE";
    case LogicalType::kText:
    case LogicalType::kJson:
      return BqString(v.Text(row));
    case LogicalType::kDate:
      return "DATE '" + CivilDate::FromDays(v.Int(row)).ToString() + "'";
    case LogicalType::kTimestampTz:
      return "TIMESTAMP_MICROS(" + std::to_string(v.Int(row)) + ")";
    case LogicalType::kTimestamp: {
      std::string s = MicrosText(v.Int(row));
      s[10] = ' ';
      return "DATETIME '" + s + "'";
    }
  }
  return "NULL";
}

}  // namespace metl::warehouse::bq_engine
