// The raw DWC layer's tables (docs/dwc.md "The raw layer"): Matomo's tables as the Data Warehouse
// Connector exports them, one warehouse table `matomo_raw_dwc_<table>` each, typed by the DWC schema
// files (src/normalize/dwc_schema/*.json, expanded at build time: cmake/dwc_raw_schema.cmake) and
// declared nowhere else. They are not in AllTables(): only `dwc load` creates them, and only where the
// engine commits a file's rows together with its file-ledger row (Capabilities::transactions).
#pragma once

#include <string_view>
#include <vector>

#include "normalize/schema.h"

namespace metl {

// How a raw column's JSON value becomes its typed value (dwc/raw_typing.h applies it).
enum class DwcValueForm {
  kInteger,   // INTEGER: an int64 (a number or a numeric string)
  kFloat,     // FLOAT: a double
  kNumeric,   // NUMERIC: DECIMAL(18,6) (latitude, longitude: Matomo's DECIMAL(9,6))
  kText,      // STRING
  kBinaryId,  // idvisitor, config_id: BINARY(8) in any export form -> 16 lowercase hex digits
  kIp,        // location_ip: VARBINARY(16) in any export form -> the IP as text
  kDateTime,  // DATETIME, TIMESTAMP: UTC, with or without a fraction -> TIMESTAMPTZ
  kTime,      // TIME (visitor_localtime): "HH:MM:SS" text
  kMeta,      // one of the layer's own columns below
};

// The layer's own columns, after the schema's.
inline constexpr std::string_view kDwcFileColumn = "_dwc_file";           // export file key of the row's version
inline constexpr std::string_view kDwcFileTimeColumn = "_dwc_file_time";  // that file's modification time
inline constexpr std::string_view kDwcExtraColumn = "_dwc_extra";         // undeclared columns, unfit values
inline constexpr std::string_view kDwcRowHashColumn = "_dwc_row_hash";    // tables without a primary key

struct DwcRawTable {
  std::string_view dwc_name;  // "log_visit": the schema file's name, the export's table
  TableDef def;               // "matomo_raw_dwc_log_visit"
  std::vector<DwcValueForm> forms;  // one per def.columns entry
  // True for the five log tables with a primary key (DWC.md §0): rows are upserted by def.key, the
  // newest file's version winning. False: rows are appended, whole-row duplicates dropped (def.key
  // is the row hash).
  bool upsert = false;
};

// The 20 tables of the DWC schema, by name.
const std::vector<DwcRawTable>& DwcRawTables();
// nullptr when `dwc_name` ("log_form") is not one of them.
const DwcRawTable* FindDwcRawTable(std::string_view dwc_name);
// Their TableDefs, for Warehouse::Migrate and the data dictionary.
std::vector<TableDef> DwcRawTableDefs();

}  // namespace metl
