// Engine-neutral SQL derived from the declarative schema (schema.h): CREATE TABLE, ADD COLUMN,
// identifier and literal quoting, and the self-migration that compares the declared columns with
// information_schema (DuckDB, PostgreSQL, BigQuery and ClickHouse all have one).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "normalize/schema.h"
#include "warehouse/warehouse.h"

namespace metl::warehouse {

std::string QuoteIdent(std::string_view name);    // "name" with "" doubled
std::string QuoteLiteral(std::string_view value);  // 'value' with '' doubled

// CREATE TABLE IF NOT EXISTS with every declared column, NOT NULL where declared, and the key as
// PRIMARY KEY when `with_primary_key` (engines without enforced keys pass false).
std::string CreateTableSql(const TableDef& table, const TypeNames& types, bool with_primary_key);
std::string AddColumnSql(const TableDef& table, const ColumnDef& column, const TypeNames& types);
// ALTER COLUMN ... TYPE (DuckDB and PostgreSQL) to the declared type; used to widen only.
std::string WidenColumnSql(const TableDef& table, const ColumnDef& column, const TypeNames& types);
std::string DropNotNullSql(const TableDef& table, const ColumnDef& column);

// Creates missing tables and adds missing columns (as nullable: old rows have no value). Existing
// columns are never dropped; they are altered only where every stored value survives: a money sum
// of a narrower precision is widened to kWideDecimal, and a NOT NULL column the schema now declares
// nullable loses NOT NULL (both under caps.add_column). `schema_name` is the information_schema
// table_schema ("main" for DuckDB).
Status MigrateSchema(Session& session, const std::vector<TableDef>& tables, const Capabilities& caps,
                     std::string_view schema_name, bool with_primary_key);

// "site_id = 1 AND visit_date = DATE '2026-11-25'" for a partition of `table`.
std::string PartitionPredicate(const TableDef& table, const PartitionKey& key);
// "site_id IN (1, 2)" (`sites` not empty).
std::string SiteIdIn(const std::vector<int64_t>& sites);

}  // namespace metl::warehouse
