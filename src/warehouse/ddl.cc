#include "warehouse/ddl.h"

#include <cstdlib>
#include <map>

namespace metl::warehouse {

std::string QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string QuoteLiteral(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string CreateTableSql(const TableDef& table, const TypeNames& types, bool with_primary_key) {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + QuoteIdent(table.name) + " (";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const ColumnDef& c = table.columns[i];
    if (i) sql += ", ";
    sql += QuoteIdent(c.name) + " " + std::string(types.Of(c.type));
    if (!c.nullable) sql += " NOT NULL";
  }
  if (with_primary_key && !table.key.empty()) {
    sql += ", PRIMARY KEY (";
    for (size_t i = 0; i < table.key.size(); ++i) sql += (i ? ", " : "") + QuoteIdent(table.key[i]);
    sql += ")";
  }
  return sql + ")";
}

std::string AddColumnSql(const TableDef& table, const ColumnDef& column, const TypeNames& types) {
  return "ALTER TABLE " + QuoteIdent(table.name) + " ADD COLUMN " + QuoteIdent(column.name) + " " +
         std::string(types.Of(column.type));
}

std::string WidenColumnSql(const TableDef& table, const ColumnDef& column, const TypeNames& types) {
  return "ALTER TABLE " + QuoteIdent(table.name) + " ALTER COLUMN " + QuoteIdent(column.name) + " TYPE " +
         std::string(types.Of(column.type));
}

std::string DropNotNullSql(const TableDef& table, const ColumnDef& column) {
  return "ALTER TABLE " + QuoteIdent(table.name) + " ALTER COLUMN " + QuoteIdent(column.name) + " DROP NOT NULL";
}

namespace {

struct ExistingColumn {
  int precision = 0;  // numeric_precision; 0 when not numeric
  bool nullable = true;
};

}  // namespace

Status MigrateSchema(Session& session, const std::vector<TableDef>& tables, const Capabilities& caps,
                     std::string_view schema_name, bool with_primary_key) {
  METL_ASSIGN_OR_RETURN(QueryResult existing,
                        session.Query("SELECT table_name, column_name, CAST(numeric_precision AS VARCHAR), "
                                      "CAST(is_nullable AS VARCHAR) FROM information_schema.columns "
                                      "WHERE table_schema = " +
                                      QuoteLiteral(schema_name)));
  std::map<std::string, std::map<std::string, ExistingColumn, std::less<>>, std::less<>> columns;
  for (const auto& row : existing.rows) {
    if (!row[0] || !row[1]) continue;
    ExistingColumn& c = columns[*row[0]][*row[1]];
    c.precision = row[2] ? std::atoi(row[2]->c_str()) : 0;
    c.nullable = !row[3] || *row[3] != "NO";
  }
  for (const TableDef& table : tables) {
    auto it = columns.find(table.name);
    if (it == columns.end()) {
      METL_TRY(session.Execute(CreateTableSql(table, caps.types, with_primary_key)));
      continue;
    }
    for (const ColumnDef& c : table.columns) {
      auto have = it->second.find(c.name);
      if (have != it->second.end()) {
        // Changes that keep every stored value: DECIMAL(18,6) sums widened to DECIMAL(38,6) (a day's
        // revenue past 10^12 overflowed them), and a column that became nullable.
        if (!caps.add_column) continue;
        if (c.type == LogicalType::kWideDecimal && have->second.precision > 0 && have->second.precision < 38) {
          METL_TRY(session.Execute(WidenColumnSql(table, c, caps.types)));
        }
        if (c.nullable && !have->second.nullable) METL_TRY(session.Execute(DropNotNullSql(table, c)));
        continue;
      }
      if (!caps.add_column) {
        return Error(ErrorKind::kConfig, "table " + std::string(table.name) + " lacks the new column " +
                                             std::string(c.name) + " and this warehouse cannot add columns")
            .WithHint("rebuild it with `matomo-etl load --full-refresh` after dropping the table");
      }
      METL_TRY(session.Execute(AddColumnSql(table, c, caps.types)));
    }
  }
  return OkStatus();
}

std::string PartitionPredicate(const TableDef& table, const PartitionKey& key) {
  return "site_id = " + std::to_string(key.site_id) + " AND " + QuoteIdent(table.partition_date_column) +
         " = DATE " + QuoteLiteral(key.date.ToString());
}

std::string SiteIdIn(const std::vector<int64_t>& sites) {
  std::string sql = "site_id IN (";
  for (size_t i = 0; i < sites.size(); ++i) sql += (i ? ", " : "") + std::to_string(sites[i]);
  return sql + ")";
}

}  // namespace metl::warehouse
