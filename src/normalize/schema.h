// The curated schema, declared once (DESIGN.md "One declarative schema"): every table, its
// columns, their logical types, where each comes from in Matomo's JSON, and a description.
// DDL per engine, docs/schema.md and the loaders are all derived from this declaration.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace metl {

enum class LogicalType {
  kBigInt,       // int64
  kInt,          // int32 range, stored as int64 in batches
  kDouble,
  kDecimal,      // DECIMAL(18,6): stored as int64 micro-units (value * 10^6), parsed from JSON text
  kWideDecimal,  // DECIMAL(38,6): sums of money (model tables), filled by SQL; int64 micro-units in batches
  kBool,
  kText,
  kDate,         // days since 1970-01-01
  kTimestampTz,  // UTC instant: microseconds since the epoch
  kTimestamp,    // site-local wall time without zone: microseconds since 1970-01-01 00:00 local
  kJson,         // JSON text (raw visits)
};

struct ColumnDef {
  std::string_view name;
  LogicalType type;
  bool nullable;
  std::string_view source;       // where it comes from, e.g. "visit.referrerName"
  std::string_view description;  // for docs/schema.md
};

struct TableDef {
  std::string_view name;         // e.g. "matomo_visits"
  std::string_view description;
  std::vector<ColumnDef> columns;
  std::vector<std::string_view> key;        // primary key columns
  std::string_view partition_date_column;   // "visit_date" for facts, "date" for daily tables
  bool from_normalizer;                     // true: filled from visits; false: from the API or models
  int ColumnIndex(std::string_view column) const;  // -1 when absent
};

// Tables filled by the normalizer, in load order: visits, actions, custom dimensions,
// conversions, ecommerce items (and raw visits when the engine stores them as a table).
const std::vector<TableDef>& CuratedTables();
// All declared tables incl. matomo_sites, matomo_goals, matomo_daily_kpis, matomo_etl_partitions.
const std::vector<TableDef>& AllTables();
const TableDef* FindTable(std::string_view name);
const char* LogicalTypeName(LogicalType type);

}  // namespace metl
