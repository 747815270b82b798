// The raw DWC tables, expanded from the DWC schema files (see dwc_raw_schema.h). Only the primary
// keys (DWC.md §0, from Matomo's core/Db/Schema/Mysql.php), the binary columns and the layer's own
// columns are written here.
#include "normalize/dwc_raw_schema.h"

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>

namespace metl {
namespace {

using T = LogicalType;

struct SchemaColumn {
  std::string_view name;
  std::string_view type;  // the DWC schema's: INTEGER, FLOAT, NUMERIC, STRING, DATETIME, TIMESTAMP, TIME
};
struct SchemaTable {
  std::string_view name;
  std::vector<SchemaColumn> columns;
};

std::vector<SchemaTable> SchemaTables() {
  std::vector<SchemaTable> out;
#define METL_DWC_TABLE(name) out.push_back({name, {}});
#define METL_DWC_COLUMN(name, type) out.back().columns.push_back({name, #type});
#include "normalize/dwc_raw_columns.inc"
#undef METL_DWC_TABLE
#undef METL_DWC_COLUMN
  return out;
}

struct PrimaryKey {
  std::string_view table;
  std::vector<std::string_view> columns;
};
// Matomo updates these rows after inserting them (DWC.md §1.6): the newest file's version wins.
const std::vector<PrimaryKey>& PrimaryKeys() {
  static const std::vector<PrimaryKey> keys = {
      {"log_visit", {"idvisit"}},
      {"log_link_visit_action", {"idlink_va"}},
      {"log_action", {"idaction"}},
      {"log_conversion", {"idvisit", "idgoal", "buster"}},
      {"log_conversion_item", {"idvisit", "idorder", "idaction_sku"}},
  };
  return keys;
}

// Text that must outlive the TableDefs (string_views): names and descriptions built here.
std::string_view Keep(std::string text) {
  static std::deque<std::string> store;
  return store.emplace_back(std::move(text));
}

[[noreturn]] void Bug(std::string_view what) {
  std::fprintf(stderr, "bug: DWC schema: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

ColumnDef Column(const SchemaTable& table, const SchemaColumn& c, DwcValueForm* form) {
  const std::string_view source = Keep(std::string(table.name) + "." + std::string(c.name) + " (" +
                                       std::string(c.type) + ")");
  if (c.name == "idvisitor" || c.name == "config_id") {
    *form = DwcValueForm::kBinaryId;
    return {c.name, T::kText, true, source,
            "BINARY(8) in Matomo: 16 lowercase hex digits, whichever form the export used (hex, base64, "
            "base64:typeNNN:)."};
  }
  if (c.name == "location_ip") {
    *form = DwcValueForm::kIp;
    return {c.name, T::kText, true, source, "VARBINARY(16) in Matomo: the (masked) IP address as text."};
  }
  if (c.type == "INTEGER") {
    *form = DwcValueForm::kInteger;
    return {c.name, T::kBigInt, true, source, "As exported."};
  }
  if (c.type == "FLOAT") {
    *form = DwcValueForm::kFloat;
    return {c.name, T::kDouble, true, source, "As exported."};
  }
  if (c.type == "NUMERIC") {
    *form = DwcValueForm::kNumeric;
    return {c.name, T::kDecimal, true, source, "As exported (Matomo's DECIMAL(9,6))."};
  }
  if (c.type == "STRING") {
    *form = DwcValueForm::kText;
    return {c.name, T::kText, true, source, "As exported (Matomo stores text HTML-escaped)."};
  }
  if (c.type == "DATETIME" || c.type == "TIMESTAMP") {
    *form = DwcValueForm::kDateTime;
    return {c.name, T::kTimestampTz, true, source, "UTC (Matomo stores UTC)."};
  }
  if (c.type == "TIME") {
    *form = DwcValueForm::kTime;
    return {c.name, T::kText, true, source, "HH:MM:SS (no type for a time of day on every engine)."};
  }
  Bug(std::string(table.name) + "." + std::string(c.name) + " has the unknown type " + std::string(c.type));
}

DwcRawTable Build(const SchemaTable& s) {
  DwcRawTable t;
  t.dwc_name = s.name;
  t.def.name = Keep("matomo_raw_dwc_" + std::string(s.name));
  t.def.from_normalizer = false;
  const PrimaryKey* pk = nullptr;
  for (const auto& k : PrimaryKeys()) {
    if (k.table == s.name) pk = &k;
  }
  t.upsert = pk != nullptr;
  t.def.description = Keep(
      "Matomo's `" + std::string(s.name) + "` as the Data Warehouse Connector exported it, typed by its DWC schema (" +
      (pk ? "upserted by primary key: the newest file's version of a row wins"
          : "no primary key: rows appended, whole-row duplicates dropped") +
      "). DuckDB and PostgreSQL only.");
  for (const SchemaColumn& c : s.columns) {
    DwcValueForm form{};
    ColumnDef def = Column(s, c, &form);
    if (pk) {
      for (auto k : pk->columns) {
        if (k == c.name) def.nullable = false;
      }
    }
    t.def.columns.push_back(def);
    t.forms.push_back(form);
  }
  auto meta = [&](std::string_view name, LogicalType type, bool nullable, std::string_view description) {
    t.def.columns.push_back({name, type, nullable, "dwc load", description});
    t.forms.push_back(DwcValueForm::kMeta);
  };
  meta(kDwcFileColumn, T::kText, false,
       pk ? "The export file (key) this version of the row came from."
          : "The first export file (key) that held the row.");
  meta(kDwcFileTimeColumn, T::kTimestampTz, false,
       "That file's modification time: files are ordered by it, then by key, and the newest version wins.");
  meta(kDwcExtraColumn, T::kJson, true,
       "Columns the DWC schema does not declare, and values that do not fit their declared type, as a JSON "
       "object of the exported values (null when none): kept, never an error.");
  if (pk) {
    t.def.key = pk->columns;
  } else {
    meta(kDwcRowHashColumn, T::kText, false, "SHA-256 of the row's values: whole-row duplicates are dropped.");
    t.def.key = {kDwcRowHashColumn};
  }
  for (auto k : t.def.key) {
    if (t.def.ColumnIndex(k) < 0) Bug(std::string(s.name) + " has no key column " + std::string(k));
  }
  return t;
}

}  // namespace

const std::vector<DwcRawTable>& DwcRawTables() {
  static const std::vector<DwcRawTable> tables = [] {
    std::vector<DwcRawTable> out;
    for (const SchemaTable& s : SchemaTables()) out.push_back(Build(s));
    return out;
  }();
  return tables;
}

const DwcRawTable* FindDwcRawTable(std::string_view dwc_name) {
  for (const auto& t : DwcRawTables()) {
    if (t.dwc_name == dwc_name) return &t;
  }
  return nullptr;
}

std::vector<TableDef> DwcRawTableDefs() {
  std::vector<TableDef> out;
  for (const auto& t : DwcRawTables()) out.push_back(t.def);
  return out;
}

}  // namespace metl
