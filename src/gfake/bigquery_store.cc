#include "gfake/bigquery_store.h"

#include <simdjson.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "gfake/bigquery_sql.h"

namespace metl::gfake {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Quote(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string QuoteText(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 1024) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// "12.500000" -> "12.5", "3.000" -> "3": BigQuery renders NUMERIC without trailing zeros.
std::string TrimDecimal(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string BqTypeOf(duckdb_logical_type type) {
  switch (duckdb_get_type_id(type)) {
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT:
    case DUCKDB_TYPE_UINTEGER:
    case DUCKDB_TYPE_UBIGINT:
    case DUCKDB_TYPE_HUGEINT:
      return "INTEGER";
    case DUCKDB_TYPE_FLOAT:
    case DUCKDB_TYPE_DOUBLE:
      return "FLOAT";
    case DUCKDB_TYPE_DECIMAL:
      // DECIMAL(38,6) is the fake's BIGNUMERIC (bigquery_sql.h)
      return duckdb_decimal_width(type) == 38 && duckdb_decimal_scale(type) == 6 ? "BIGNUMERIC" : "NUMERIC";
    case DUCKDB_TYPE_BOOLEAN:
      return "BOOLEAN";
    case DUCKDB_TYPE_DATE:
      return "DATE";
    case DUCKDB_TYPE_TIMESTAMP:
      return "DATETIME";
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return "TIMESTAMP";
    case DUCKDB_TYPE_BLOB:
      return "BYTES";
    default:
      return "STRING";
  }
}

}  // namespace

Error BqError(std::string_view reason, std::string message) {
  return Error(ErrorKind::kTerminal, std::string(reason) + ": " + std::move(message));
}

std::pair<std::string, std::string> SplitBqError(const Error& error) {
  const std::string& m = error.message();
  size_t colon = m.find(": ");
  if (colon != std::string::npos && colon < 40 && m.find(' ') > colon) return {m.substr(0, colon), m.substr(colon + 2)};
  return {"invalid", m};
}

Result<std::string> DuckTypeOf(const BqField& f) {
  std::string sql;
  const std::string& t = f.type;
  if (t == "STRING")
    sql = "VARCHAR";
  else if (t == "INTEGER" || t == "INT64")
    sql = "BIGINT";
  else if (t == "FLOAT" || t == "FLOAT64")
    sql = "DOUBLE";
  else if (t == "BOOLEAN" || t == "BOOL")
    sql = "BOOLEAN";
  else if (t == "TIMESTAMP")
    sql = "TIMESTAMPTZ";
  else if (t == "DATETIME")
    sql = "TIMESTAMP";
  else if (t == "DATE")
    sql = "DATE";
  else if (t == "JSON")
    sql = "JSON";
  else if (t == "BYTES")
    sql = "BLOB";
  else if (t == "NUMERIC" || t == "BIGNUMERIC") {
    const bool big = t == "BIGNUMERIC";
    if (f.precision.empty() && !f.scale.empty()) {
      return BqError("invalid", "Invalid scale for field " + f.name + ": scale without precision");
    }
    if (f.precision.empty()) {
      sql = big ? "DECIMAL(38,6)" : "DECIMAL(38,9)";
    } else {
      int p = std::atoi(f.precision.c_str()), s = f.scale.empty() ? 0 : std::atoi(f.scale.c_str());
      const int max_int = big ? 38 : 29, max_scale = big ? 38 : 9;
      if (p - s < 1 || p - s > max_int || s < 0 || s > max_scale) {
        return BqError("invalid", "Invalid NUMERIC precision/scale for field " + f.name + ": (" + f.precision + ", " +
                                      f.scale + ")");
      }
      if (p > 38) return BqError("invalid", "the fake keeps BIGNUMERIC to 38 digits (field " + f.name + ")");
      sql = "DECIMAL(" + std::to_string(p) + "," + std::to_string(s) + ")";
    }
  } else {
    return BqError("invalid", "Invalid field type " + t + " for field " + f.name);
  }
  if (f.mode == "REQUIRED")
    sql += " NOT NULL";
  else if (!f.mode.empty() && f.mode != "NULLABLE")
    return BqError("invalid", "Unsupported mode " + f.mode + " for field " + f.name);
  return sql;
}

BqStore::BqStore(std::string project) : project_(std::move(project)) {
  duckdb_config config;
  duckdb_create_config(&config);
  duckdb_set_config(config, "autoinstall_known_extensions", "false");
  duckdb_set_config(config, "autoload_known_extensions", "false");
  duckdb_set_config(config, "threads", "1");
  char* err = nullptr;
  if (duckdb_open_ext(nullptr, &db_, config, &err) == DuckDBError || duckdb_connect(db_, &conn_) == DuckDBError) {
    std::fprintf(stderr, "google-fake: cannot open DuckDB: %s\n", err ? err : "?");
    std::abort();
  }
  duckdb_destroy_config(&config);
  (void)Exec("SET TimeZone = 'UTC'");
  if (!Exec(BigQueryFunctionMacros()).ok()) std::abort();
}

BqStore::~BqStore() {
  duckdb_disconnect(&conn_);
  duckdb_close(&db_);
}

Status BqStore::Exec(const std::string& sql) {
  duckdb_result r;
  if (duckdb_query(conn_, sql.c_str(), &r) == DuckDBError) {
    std::string msg = duckdb_result_error(&r) ? duckdb_result_error(&r) : "error";
    duckdb_destroy_result(&r);
    return BqError("invalidQuery", msg);
  }
  duckdb_destroy_result(&r);
  return OkStatus();
}

Status BqStore::CreateDataset(const std::string& dataset, const std::string& location) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!ValidName(dataset)) return BqError("invalid", "Invalid dataset ID \"" + dataset + "\"");
  if (datasets_.count(dataset)) return BqError("duplicate", "Already Exists: Dataset " + project_ + ":" + dataset);
  METL_TRY(Exec("CREATE SCHEMA " + Quote(dataset)));
  datasets_[dataset] = location.empty() ? "US" : location;
  return OkStatus();
}

std::optional<std::string> BqStore::DatasetLocation(const std::string& dataset) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = datasets_.find(dataset);
  if (it == datasets_.end()) return std::nullopt;
  return it->second;
}

void BqStore::DropExpiredLocked() {
  const int64_t now = NowMs();
  for (auto it = tables_.begin(); it != tables_.end();) {
    if (it->second.expiration_ms && *it->second.expiration_ms <= now) {
      (void)Exec("DROP TABLE IF EXISTS " + Quote(it->second.dataset) + "." + Quote(it->second.table));
      it = tables_.erase(it);
    } else {
      ++it;
    }
  }
}

Status BqStore::CreateTableLocked(const BqTable& t) {
  DropExpiredLocked();
  if (!datasets_.count(t.dataset)) return BqError("notFound", "Not found: Dataset " + project_ + ":" + t.dataset);
  if (!ValidName(t.table)) return BqError("invalid", "Invalid table ID \"" + t.table + "\"");
  const std::string key = t.dataset + "." + t.table;
  if (tables_.count(key)) return BqError("duplicate", "Already Exists: Table " + project_ + ":" + key);
  if (t.fields.empty()) return BqError("invalid", "Schema has no fields. Table: " + t.table);
  std::string sql = "CREATE TABLE " + Quote(t.dataset) + "." + Quote(t.table) + " (";
  std::set<std::string> names;
  for (size_t i = 0; i < t.fields.size(); ++i) {
    const BqField& f = t.fields[i];
    if (!ValidName(f.name) || std::isdigit(static_cast<unsigned char>(f.name[0]))) {
      return BqError("invalid", "Invalid field name \"" + f.name + "\"");
    }
    if (!names.insert(f.name).second) return BqError("invalid", "Field " + f.name + " already exists in schema");
    METL_ASSIGN_OR_RETURN(std::string type, DuckTypeOf(f));
    sql += (i ? ", " : "") + Quote(f.name) + " " + type;
  }
  auto field_type = [&](const std::string& name) -> std::string {
    for (const BqField& f : t.fields) {
      if (f.name == name) return f.type;
    }
    return "";
  };
  if (!t.partition_type.empty() || !t.partition_field.empty()) {
    if (t.partition_type != "DAY" && t.partition_type != "HOUR" && t.partition_type != "MONTH" &&
        t.partition_type != "YEAR") {
      return BqError("invalid", "Invalid timePartitioning.type: " + t.partition_type);
    }
    std::string ft = field_type(t.partition_field);
    if (!t.partition_field.empty() && ft != "DATE" && ft != "TIMESTAMP" && ft != "DATETIME") {
      return BqError("invalid",
                     "The field specified for time partitioning can only be of type TIMESTAMP, DATE or "
                     "DATETIME. The type found is: " +
                         (ft.empty() ? "missing" : ft) + ".");
    }
  }
  if (t.clustering.size() > 4) return BqError("invalid", "Too many clustering fields: at most 4");
  for (const std::string& c : t.clustering) {
    if (field_type(c).empty())
      return BqError("invalid", "The field specified for clustering cannot be found in the schema: " + c);
  }
  METL_TRY(Exec(sql + ")"));
  BqTable copy = t;
  copy.created_ms = NowMs();
  tables_[key] = std::move(copy);
  return OkStatus();
}

Status BqStore::CreateTable(const BqTable& t) {
  std::lock_guard<std::mutex> lock(mu_);
  return CreateTableLocked(t);
}

void BqStore::ForgetDroppedTablesLocked() {
  for (auto it = tables_.begin(); it != tables_.end();) {
    duckdb_result r;
    std::string sql = "SELECT count(*) FROM information_schema.tables WHERE table_schema = " +
                      QuoteText(it->second.dataset) + " AND table_name = " + QuoteText(it->second.table);
    bool exists = true;
    if (duckdb_query(conn_, sql.c_str(), &r) != DuckDBError) exists = duckdb_value_int64(&r, 0, 0) > 0;
    duckdb_destroy_result(&r);
    it = exists ? std::next(it) : tables_.erase(it);
  }
}

std::optional<BqTable> BqStore::GetTable(const std::string& dataset, const std::string& table) {
  std::lock_guard<std::mutex> lock(mu_);
  DropExpiredLocked();
  auto it = tables_.find(dataset + "." + table);
  if (it == tables_.end()) return std::nullopt;
  return it->second;
}

Status BqStore::DeleteTable(const std::string& dataset, const std::string& table) {
  std::lock_guard<std::mutex> lock(mu_);
  DropExpiredLocked();
  auto it = tables_.find(dataset + "." + table);
  if (it == tables_.end()) return BqError("notFound", "Not found: Table " + project_ + ":" + dataset + "." + table);
  METL_TRY(Exec("DROP TABLE " + Quote(dataset) + "." + Quote(table)));
  tables_.erase(it);
  return OkStatus();
}

int64_t BqStore::RowCount(const std::string& dataset, const std::string& table) {
  std::lock_guard<std::mutex> lock(mu_);
  duckdb_result r;
  std::string sql = "SELECT count(*) FROM " + Quote(dataset) + "." + Quote(table);
  if (duckdb_query(conn_, sql.c_str(), &r) == DuckDBError) {
    duckdb_destroy_result(&r);
    return -1;
  }
  int64_t n = duckdb_value_int64(&r, 0, 0);
  duckdb_destroy_result(&r);
  return n;
}

Result<int64_t> BqStore::LoadNdjson(const std::string& dataset, const std::string& table, const std::string& data,
                                    const std::vector<BqField>& schema, const std::string& write_disposition,
                                    const std::string& create_disposition) {
  std::lock_guard<std::mutex> lock(mu_);
  DropExpiredLocked();
  const std::string key = dataset + "." + table;
  if (!tables_.count(key)) {
    if (create_disposition == "CREATE_NEVER") return BqError("notFound", "Not found: Table " + project_ + ":" + key);
    if (schema.empty()) return BqError("invalid", "No schema specified on job or table.");
    BqTable t;
    t.dataset = dataset;
    t.table = table;
    t.fields = schema;
    METL_TRY(CreateTableLocked(t));
  }
  const BqTable& meta = tables_.at(key);
  // Every line an object whose keys are columns (ignoreUnknownValues=false, maxBadRecords=0).
  std::set<std::string, std::less<>> columns;
  for (const BqField& f : meta.fields) columns.insert(f.name);
  simdjson::dom::parser parser;
  int64_t rows = 0;
  size_t pos = 0, line_no = 0;
  while (pos < data.size()) {
    size_t end = data.find('\n', pos);
    if (end == std::string::npos) end = data.size();
    std::string_view line(data.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \r\t") == std::string_view::npos) continue;
    simdjson::dom::object obj;
    if (parser.parse(std::string(line)).get(obj) != simdjson::SUCCESS) {
      return BqError("invalid",
                     "Error while reading data, error message: JSON parsing error in row starting at "
                     "position " +
                         std::to_string(pos - line.size() - 1) + ": Parser terminated before end of string");
    }
    for (auto field : obj) {
      if (!columns.count(field.key)) {
        return BqError("invalid",
                       "Error while reading data, error message: JSON parsing error in row starting at "
                       "line " +
                           std::to_string(line_no) + ": No such field: " + std::string(field.key) + ".");
      }
    }
    ++rows;
  }
  char path[] = "/tmp/gfake-bq-load-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return BqError("backendError", "cannot write a temporary file");
  ::close(fd);
  { std::ofstream(path, std::ios::binary) << data; }
  std::string cols;
  for (const BqField& f : meta.fields) {
    METL_ASSIGN_OR_RETURN(std::string type, DuckTypeOf(BqField{f.name, f.type, "", "", f.precision, f.scale}));
    cols += (cols.empty() ? "" : ", ") + QuoteText(f.name) + ": " + QuoteText(type);
  }
  const std::string target = Quote(dataset) + "." + Quote(table);
  std::string sql = "BEGIN TRANSACTION;\n";
  if (write_disposition == "WRITE_TRUNCATE") sql += "DELETE FROM " + target + ";\n";
  sql += "INSERT INTO " + target + " SELECT * FROM read_ndjson(" + QuoteText(path) + ", columns = {" + cols +
         "}, maximum_object_size = 104857600, dateformat = '%Y-%m-%d');\nCOMMIT;";
  if (write_disposition == "WRITE_EMPTY") {
    duckdb_result r;
    std::string count = "SELECT count(*) FROM " + target;
    duckdb_query(conn_, count.c_str(), &r);
    int64_t n = duckdb_value_int64(&r, 0, 0);
    duckdb_destroy_result(&r);
    if (n > 0) {
      std::filesystem::remove(path);
      return BqError("duplicate", "Already Exists: Table " + project_ + ":" + key);
    }
  }
  Status st = Exec(sql);
  std::filesystem::remove(path);
  if (!st.ok()) {
    (void)Exec("ROLLBACK");
    return BqError("invalid", "Error while reading data, error message: " + SplitBqError(st.error()).second);
  }
  return rows;
}

Result<BqQueryOutput> BqStore::RunScript(const std::string& sql, const std::string& default_dataset) {
  METL_ASSIGN_OR_RETURN(std::string duck, TranslateToDuckDb(sql, project_));
  ScriptInfo info = AnalyzeScript(sql);
  if (info.ddl_in_transaction) {
    return BqError("invalidQuery", "Query error: Transactions do not support DDL statements on permanent entities");
  }
  if (info.bare_union)
    return BqError("invalidQuery", "Syntax error: Expected keyword ALL or keyword DISTINCT after UNION");
  if (!info.dml_without_where.empty()) {
    return BqError("invalidQuery", "Syntax error: " + info.dml_without_where +
                                       " must have a WHERE clause (GoogleSQL; WHERE TRUE for every row)");
  }
  std::lock_guard<std::mutex> lock(mu_);
  DropExpiredLocked();
  if (!default_dataset.empty()) {
    if (!datasets_.count(default_dataset))
      return BqError("notFound", "Not found: Dataset " + project_ + ":" + default_dataset);
    METL_TRY(Exec("SET schema = " + QuoteText(default_dataset)));
  }
  struct ResetSchema {
    BqStore* self;
    bool set;
    ~ResetSchema() {
      if (set) (void)self->Exec("SET schema = 'main'");
    }
  } reset{this, !default_dataset.empty()};
  // Names must resolve to tables the fake knows (DuckDB would also find its own catalogs).
  duckdb_result r;
  if (duckdb_query(conn_, duck.c_str(), &r) == DuckDBError) {
    std::string msg = duckdb_result_error(&r) ? duckdb_result_error(&r) : "error";
    duckdb_destroy_result(&r);
    (void)Exec("ROLLBACK");  // an error rolls the transaction back (none open: ignored)
    if (msg.find("does not exist") != std::string::npos && msg.find("Table") != std::string::npos) {
      return BqError("notFound", "Not found: " + msg);
    }
    return BqError("invalidQuery", "Query error: " + msg);
  }
  for (const std::string& type : info.statement_types) {
    if (type == "DROP_TABLE") {
      ForgetDroppedTablesLocked();
      break;
    }
  }
  BqQueryOutput out;
  const idx_t cols = duckdb_column_count(&r);
  const idx_t rows = duckdb_row_count(&r);
  std::vector<duckdb_type> types;
  for (idx_t c = 0; c < cols; ++c) {
    duckdb_logical_type lt = duckdb_column_logical_type(&r, c);
    out.schema.push_back(BqField{duckdb_column_name(&r, c), BqTypeOf(lt), "NULLABLE", "", "", ""});
    types.push_back(duckdb_get_type_id(lt));
    duckdb_destroy_logical_type(&lt);
  }
  if (info.statement_types.size() == 1 && info.statement_types[0] != "SELECT" && cols == 1 && rows == 1) {
    out.dml_affected_rows = duckdb_value_int64(&r, 0, 0);  // DuckDB returns a DML's count as its result
    out.schema.clear();
    duckdb_destroy_result(&r);
    return out;
  }
  if (info.StatementType() != "SELECT") {  // a script's or DDL's result has no rows here
    out.schema.clear();
    duckdb_destroy_result(&r);
    if (info.transaction && info.statement_types.back() != "COMMIT_TRANSACTION") (void)Exec("ROLLBACK");
    return out;
  }
  // TIMESTAMP (DuckDB TIMESTAMPTZ) cells: the C API renders none, so the SELECT runs once more with
  // those columns as epoch microseconds (a SELECT has no side effect).
  bool has_tz = false;
  for (duckdb_type t : types) has_tz = has_tz || t == DUCKDB_TYPE_TIMESTAMP_TZ;
  if (has_tz) {
    std::string select = duck;
    while (!select.empty() && (select.back() == ';' || std::isspace(static_cast<unsigned char>(select.back())))) {
      select.pop_back();
    }
    std::string wrapped = "SELECT ";
    for (idx_t c = 0; c < cols; ++c) {
      std::string name = Quote(out.schema[c].name);
      wrapped += (c ? ", " : "") + (types[c] == DUCKDB_TYPE_TIMESTAMP_TZ ? "epoch_us(" + name + ") AS " + name : name);
    }
    wrapped += " FROM (" + select + "\n) AS q";
    duckdb_destroy_result(&r);
    if (duckdb_query(conn_, wrapped.c_str(), &r) == DuckDBError) {
      std::string msg = duckdb_result_error(&r) ? duckdb_result_error(&r) : "error";
      duckdb_destroy_result(&r);
      return BqError("invalidQuery", "Query error (the fake's TIMESTAMP rendering): " + msg);
    }
  }
  out.rows.resize(rows);
  for (idx_t row = 0; row < rows; ++row) out.rows[row].resize(cols);
  for (idx_t row = 0; row < rows; ++row) {
    for (idx_t c = 0; c < cols; ++c) {
      if (duckdb_value_is_null(&r, c, row)) continue;
      char* v = duckdb_value_varchar(&r, c, row);
      std::string s = v ? v : "";
      duckdb_free(v);
      if (types[c] == DUCKDB_TYPE_DECIMAL) s = TrimDecimal(s);
      if (types[c] == DUCKDB_TYPE_TIMESTAMP && s.size() > 10 && s[10] == ' ') s[10] = 'T';
      out.rows[row][c] = std::move(s);
    }
  }
  duckdb_destroy_result(&r);
  return out;
}

}  // namespace metl::gfake
