#include "warehouse/postgres/pg_statements.h"

#include "warehouse/ddl.h"

namespace metl::warehouse::pg_engine {
namespace {

// Advisory lock class for migrations: an arbitrary constant ("metl" in ASCII).
constexpr int64_t kMigrationLockKey = 0x6d65746c;

}  // namespace

TypeNames PgTypeNames() {
  TypeNames t;
  t.big_int = "bigint";
  t.int32 = "integer";
  t.float64 = "double precision";
  t.decimal = "numeric(18,6)";
  t.wide_decimal = "numeric(38,6)";
  t.boolean = "boolean";
  t.text = "text";
  t.date = "date";
  t.timestamp_tz = "timestamptz";
  t.timestamp = "timestamp";
  t.json = "jsonb";
  return t;
}

std::string CreateSchemaSql(std::string_view schema) {
  return "CREATE SCHEMA IF NOT EXISTS " + QuoteIdent(schema);
}

std::string SetSearchPathSql(std::string_view schema) {
  return "SET search_path TO " + QuoteIdent(schema);
}

std::string SiteDateIndexName(const TableDef& table) {
  return std::string(table.name) + "_site_date_idx";
}

std::optional<std::string> SiteDateIndexSql(const TableDef& table) {
  std::string_view date = table.partition_date_column;
  if (date.empty() || table.ColumnIndex("site_id") < 0 || table.ColumnIndex(date) < 0) return std::nullopt;
  return "CREATE INDEX IF NOT EXISTS " + QuoteIdent(SiteDateIndexName(table)) + " ON " + QuoteIdent(table.name) + " (" +
         QuoteIdent("site_id") + ", " + QuoteIdent(date) + ")";
}

std::string CopyFromStdinSql(const TableDef& table) {
  std::string sql = "COPY " + QuoteIdent(table.name) + " (";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (i != 0) sql.append(", ");
    sql.append(QuoteIdent(table.columns[i].name));
  }
  return sql + ") FROM STDIN";
}

std::string PartitionLockSql(const PartitionKey& key) {
  // Two int4 keys: the site and the day number (both far inside int4).
  return "SELECT pg_advisory_xact_lock(" + std::to_string(static_cast<int32_t>(key.site_id)) + ", " +
         std::to_string(static_cast<int32_t>(key.date.days())) + ")";
}

std::string MigrationLockSql() {
  return "SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")";
}

}  // namespace metl::warehouse::pg_engine
