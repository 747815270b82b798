// PostgreSQL-only SQL text around the engine-neutral DDL of warehouse/ddl.h. Every session runs with
// search_path set to our schema alone, so table names stay unqualified (as in the shared DDL and the
// model SQL) and land in `?schema=` (default `matomo`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "normalize/schema.h"
#include "warehouse/warehouse.h"

namespace metl::warehouse::pg_engine {

// The engine's type names: timestamptz, timestamp (site-local wall time), date, numeric(18,6) for money,
// bigint ids, jsonb for raw visits, text.
TypeNames PgTypeNames();

std::string CreateSchemaSql(std::string_view schema);
std::string SetSearchPathSql(std::string_view schema);

// CREATE INDEX IF NOT EXISTS on (site_id, <partition date column>): every partition load deletes by
// it and every BI report filters by it. nullopt for tables without both columns.
std::optional<std::string> SiteDateIndexSql(const TableDef& table);
std::string SiteDateIndexName(const TableDef& table);  // "<table>_site_date_idx"

// COPY "table" ("c1", "c2", ...) FROM STDIN: columns named, so that the physical column order (which
// migrations change) and extra columns do not matter.
std::string CopyFromStdinSql(const TableDef& table);

// Serializes loads of the same partition across sessions and processes for the length of a transaction.
std::string PartitionLockSql(const PartitionKey& key);
// Serializes migrations (CREATE TABLE IF NOT EXISTS races on the catalog otherwise).
std::string MigrationLockSql();

}  // namespace metl::warehouse::pg_engine
