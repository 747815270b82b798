// The BigQuery fake keeps its rows in an embedded DuckDB and runs the SQL the tool sends there, after
// translating the small subset of GoogleSQL (BigQuery's standard SQL) the tool uses. Kept small on
// purpose: what is not listed here is passed through, and DuckDB then rejects what it does not know,
// which is what a strict fake should do with SQL the tool was not meant to send.
//
//   `project.dataset.table`, `dataset.table`, `name`   ->  "dataset"."table", "name"
//   'it\'s', "text" (both string literals in GoogleSQL)  ->  'it''s', 'text'
//   INT64 FLOAT64 STRING BOOL BYTES                      ->  BIGINT DOUBLE VARCHAR BOOLEAN BLOB
//   NUMERIC / NUMERIC(P,S) / BIGNUMERIC                  ->  DECIMAL(38,9) / DECIMAL(P,S) / DECIMAL(38,6)
//   TIMESTAMP / DATETIME                                 ->  TIMESTAMPTZ / TIMESTAMP
//   # comment                                            ->  -- comment
// Functions (UNIX_SECONDS, UNIX_MICROS, TIMESTAMP_MICROS, ...) are DuckDB macros the fake defines
// (BigQueryFunctionMacros), not rewrites. BIGNUMERIC holds 76 digits in BigQuery; DuckDB's widest
// decimal holds 38: the fake keeps 32 integer digits and 6 decimals (the tool's money sums).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace metl::gfake {

// Translates a GoogleSQL script (one or more statements) for DuckDB. Errors are BigQuery's
// `invalidQuery` cases the translation itself sees (an unterminated string or quoted name, a name
// in another project).
Result<std::string> TranslateToDuckDb(std::string_view sql, std::string_view project);

// What a script does, read from its GoogleSQL text: for statistics.query.statementType, for the
// transaction rules (no DDL on permanent tables inside a transaction) and for conflict detection
// (two transactions mutating one table: the second is cancelled).
struct ScriptInfo {
  std::vector<std::string> statement_types;  // "SELECT", "INSERT", "DELETE", "CREATE_TABLE", ...
  std::set<std::string> mutated_tables;      // "dataset.table" of DELETE/INSERT/UPDATE/MERGE/TRUNCATE
  bool transaction = false;                  // has BEGIN [TRANSACTION]
  bool ddl_in_transaction = false;           // CREATE/DROP/ALTER (not TEMP) between BEGIN and COMMIT
  // "DELETE" or "UPDATE" when such a statement has no WHERE clause: GoogleSQL makes the keyword
  // mandatory for both (DML syntax reference; `WHERE TRUE` acts on every row), DuckDB does not.
  std::string dml_without_where;
  // UNION not followed by ALL or DISTINCT: GoogleSQL requires one of them, DuckDB reads a bare UNION as
  // UNION DISTINCT.
  bool bare_union = false;
  // BigQuery's statementType: the single statement's type, or "SCRIPT" for several.
  std::string StatementType() const;
};
ScriptInfo AnalyzeScript(std::string_view sql);

// CREATE MACRO statements that give DuckDB the BigQuery functions the tool uses.
std::string BigQueryFunctionMacros();

}  // namespace metl::gfake
