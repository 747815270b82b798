// BigQuery's side of the one schema declaration (normalize/schema.h): table resources with column
// descriptions, DATE partitioning on the site-local date and clustering by site_id; the load jobs'
// schemas; rows as newline-delimited JSON; values as GoogleSQL literals.
//
// Types: INTEGER (INT64); FLOAT (FLOAT64); money per row NUMERIC(18,6) (DECIMAL(18,6) exactly); money
// sums BIGNUMERIC(38,6) (NUMERIC keeps only 29 integer digits); TIMESTAMP for UTC instants; DATETIME for
// site-local wall times; raw visits STRING (the exact bytes Matomo sent: a JSON column would re-encode
// numbers as float64 and reorder nothing, but could change what a user compares with Matomo).
#pragma once

#include <string>
#include <string_view>

#include "normalize/schema.h"
#include "normalize/table_batch.h"

namespace metl::warehouse::bq_engine {

// BigQuery's type name of a logical type (precision and scale aside: NUMERIC is NUMERIC(18,6) here).
std::string_view BqTypeName(LogicalType type);
// The schema's `fields` array for a table (names, types, modes, descriptions).
std::string FieldsJson(const TableDef& table);
// A tables.insert body: `table_id` (the table's own name, or a staging name) in `dataset`, with
// partitioning and clustering for tables that have a site-local date (none for staging tables, which
// get `expiration_ms` instead).
std::string TableJson(const TableDef& table, std::string_view project, std::string_view dataset,
                      std::string_view table_id, bool staging, int64_t expiration_ms);
// Appends row `row` of `batch` as one NDJSON line (with '\n').
void AppendNdjsonRow(const TableBatch& batch, size_t row, std::string& out);
// Row `row`'s value of column `col` as a GoogleSQL literal (NULL, 12, 'text', DATE '2026-11-25', ...).
std::string SqlLiteral(const TableBatch& batch, size_t col, size_t row);
// `name` as a GoogleSQL quoted identifier.
std::string BqIdent(std::string_view name);
// A GoogleSQL string literal with its escapes.
std::string BqString(std::string_view s);

}  // namespace metl::warehouse::bq_engine
