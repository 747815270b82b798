#include "dwc/raw_layer.h"

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_date.h"
#include "dwc/raw_typing.h"
#include "warehouse/ddl.h"

namespace metl::dwc {
namespace {

using warehouse::QuoteIdent;
using warehouse::QuoteLiteral;

constexpr std::string_view kStage = "metl_dwc_stage";
constexpr size_t kBatchBytes = 1 << 20;  // one INSERT statement's size: bounded memory, few round trips
// A staged row travels as ONE string literal, its fields separated by US (0x1f), NULL written as RS
// (0x1e), split and cast by the engine: a VALUES list of one constant per field costs DuckDB a bound
// expression per value (13 s of CPU for 30,000 rows, measured), one per row a few percent of that.
constexpr char kFieldSep = '\x1f';
constexpr char kNullField = '\x1e';

// The field text of one of RawTyper's SQL literals (NULL, 42, 'text' with '' doubled); nullopt when
// the value holds a separator (then the row goes as a VALUES row of literals).
std::optional<std::string> FieldOf(const std::string& literal) {
  if (literal == "NULL") return std::string(1, kNullField);
  std::string out;
  if (literal.empty() || literal[0] != '\'') {
    out = literal;
  } else {
    out.reserve(literal.size());
    for (size_t i = 1; i + 1 < literal.size(); ++i) {
      out += literal[i];
      if (literal[i] == '\'' && literal[i + 1] == '\'') ++i;
    }
  }
  if (out.find(kFieldSep) != std::string::npos || out.find(kNullField) != std::string::npos) return std::nullopt;
  return out;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

class RawFileMerge {
 public:
  RawFileMerge(warehouse::Session& session, const warehouse::TypeNames& types, const ExportFile& file,
               const DwcRawTable& table)
      : session_(session), file_(file), table_(table), typer_(table) {
    for (const auto& c : table.def.columns) {
      columns_.push_back(QuoteIdent(c.name));
      std::string field = "NULLIF(s.a[" + std::to_string(casts_.size() + 1) + "], chr(30))";
      if (c.type != LogicalType::kText) field = "CAST(" + field + " AS " + std::string(types.Of(c.type)) + ")";
      casts_.push_back(field);
    }
    casts_.push_back("CAST(s.a[" + std::to_string(casts_.size() + 1) + "] AS " + std::string(types.big_int) + ")");
    for (auto k : table.def.key) match_ += (match_.empty() ? "" : " AND ") + ("t." + QuoteIdent(k)) + " = s." + QuoteIdent(k);
    file_literal_ = QuoteLiteral(file.key);
    time_literal_ = QuoteLiteral(FormatDateTime(file.mtime) + "+00");
  }

  // Stages every row of the file; returns the rows read.
  Result<int64_t> Stage() {
    METL_TRY(session_.Execute("DROP TABLE IF EXISTS " + std::string(kStage)));
    METL_TRY(session_.Execute("CREATE TEMP TABLE " + std::string(kStage) + " AS SELECT " + Join(columns_, ", ") +
                              ", CAST(0 AS BIGINT) AS _dwc_line FROM " + Raw() + " WHERE 1 = 0"));
    int64_t rows = 0;
    METL_TRY(ForEachExportLine(file_, [&](std::string_view line, size_t line_no) -> Status {
      const std::string what = "file " + file_.key + " line " + std::to_string(line_no);
      METL_ASSIGN_OR_RETURN(RawRow row, ParseRawRow(line, what));
      METL_ASSIGN_OR_RETURN(TypedRawRow typed, typer_.Type(row, what));
      ++rows;
      const std::string hash = table_.upsert ? "" : "'" + typed.Hash() + "'";
      std::vector<std::string> values = std::move(typed.values);
      values.push_back(file_literal_);
      values.push_back(time_literal_);
      values.push_back(typed.extra.empty() ? std::string("NULL") : SqlText(typed.extra));
      if (!table_.upsert) values.push_back(hash);
      values.push_back(std::to_string(line_no));
      std::string packed;
      for (const std::string& v : values) {
        auto field = FieldOf(v);
        if (!field) return InsertLiterals(values);  // a value holds a separator: rare
        if (&v != &values.front()) packed += kFieldSep;
        packed += *field;
      }
      batch_ += batch_.empty() ? "INSERT INTO " + std::string(kStage) + " (" + Join(columns_, ", ") +
                                     ", _dwc_line) SELECT " + Join(casts_, ", ") +
                                     " FROM (SELECT string_to_array(v.l, chr(31)) AS a FROM (VALUES ("
                               : ", (";
      batch_ += warehouse::QuoteLiteral(packed) + ")";
      if (batch_.size() >= kBatchBytes) return Flush();
      return OkStatus();
    }));
    METL_TRY(Flush());
    return rows;
  }

  Status Merge() {
    if (table_.upsert) {
      // Rows this file's previous version held (a re-delivered file): gone unless it still holds them.
      METL_TRY(session_.Execute("DELETE FROM " + Raw() + " WHERE " + QuoteIdent(kDwcFileColumn) + " = " + file_literal_));
      // Stored versions from newer files win: which files hold the keys this one brings?
      METL_ASSIGN_OR_RETURN(
          warehouse::QueryResult holders,
          session_.Query("SELECT DISTINCT t." + QuoteIdent(kDwcFileColumn) + ", " +
                         session_.EpochSecondsOf("t." + QuoteIdent(kDwcFileTimeColumn)) + " FROM " + Raw() +
                         " t WHERE EXISTS (SELECT 1 FROM " + std::string(kStage) + " s WHERE " + match_ + ")"));
      std::vector<std::string> newer;
      for (const auto& row : holders.rows) {
        const std::string key = row[0].value_or("");
        const int64_t time = std::strtoll(row[1].value_or("0").c_str(), nullptr, 10);
        if (time > file_.mtime || (time == file_.mtime && key > file_.key)) newer.push_back(QuoteLiteral(key));
      }
      std::string keep_newer =
          newer.empty() ? "" : " AND t." + QuoteIdent(kDwcFileColumn) + " NOT IN (" + Join(newer, ", ") + ")";
      METL_TRY(session_.Execute("DELETE FROM " + Raw() + " t WHERE EXISTS (SELECT 1 FROM " + std::string(kStage) +
                                " s WHERE " + match_ + ")" + keep_newer));
      METL_TRY(InsertNew("ORDER BY _dwc_line DESC"));  // the last line of a key wins
    } else {
      METL_TRY(InsertNew("ORDER BY _dwc_line"));
    }
    return session_.Execute("DROP TABLE " + std::string(kStage));
  }

 private:
  std::string Raw() const { return session_.Name(table_.def.name); }

  Status Flush() {
    if (batch_.empty()) return OkStatus();
    Status st = session_.Execute(batch_ + ") AS v(l)) s");
    batch_.clear();
    return st;
  }

  Status InsertLiterals(const std::vector<std::string>& values) {
    return session_.Execute("INSERT INTO " + std::string(kStage) + " (" + Join(columns_, ", ") + ", _dwc_line) VALUES (" +
                            Join(values, ", ") + ")");
  }

  // One row per key (or per distinct row) of the stage, where the table holds none yet.
  Status InsertNew(const std::string& order) {
    std::vector<std::string> keys;
    for (auto k : table_.def.key) keys.push_back(QuoteIdent(k));
    return session_.Execute("INSERT INTO " + Raw() + " (" + Join(columns_, ", ") + ") SELECT " + Join(columns_, ", ") +
                            " FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY " + Join(keys, ", ") + " " + order +
                            ") AS metl_rn FROM " + std::string(kStage) + ") s WHERE s.metl_rn = 1 AND NOT EXISTS "
                            "(SELECT 1 FROM " + Raw() + " t WHERE " + match_ + ")");
  }

  warehouse::Session& session_;
  const ExportFile& file_;
  const DwcRawTable& table_;
  RawTyper typer_;
  std::vector<std::string> columns_, casts_;
  std::string match_, file_literal_, time_literal_, batch_;
};

}  // namespace

Status EnsureRawIndexes(warehouse::Session& session, const std::vector<DwcRawTable>& tables) {
  for (const DwcRawTable& t : tables) {
    const std::string table(t.def.name);
    std::vector<std::string> key;
    for (auto k : t.def.key) key.push_back(QuoteIdent(k));
    METL_TRY(session.Execute("CREATE UNIQUE INDEX IF NOT EXISTS " + QuoteIdent(table + "_key_idx") + " ON " +
                             session.Name(table) + " (" + Join(key, ", ") + ")"));
    METL_TRY(session.Execute("CREATE INDEX IF NOT EXISTS " + QuoteIdent(table + "_" + std::string(kDwcFileColumn) + "_idx") +
                             " ON " + session.Name(table) + " (" + QuoteIdent(kDwcFileColumn) + ")"));
  }
  return OkStatus();
}

Result<int64_t> LoadRawFile(warehouse::Session& session, const warehouse::TypeNames& types, const ExportFile& file,
                            const DwcRawTable* table, LedgerFile ledger) {
  METL_TRY(session.Execute("BEGIN TRANSACTION"));
  auto body = [&]() -> Result<int64_t> {
    int64_t rows = ledger.rows;
    if (table) {
      RawFileMerge merge(session, types, file, *table);
      METL_ASSIGN_OR_RETURN(rows, merge.Stage());
      METL_TRY(merge.Merge());
    }
    ledger.rows = rows;
    METL_TRY(session.Execute(RecordFileSql(session, ledger)));
    METL_TRY(session.Execute("COMMIT"));
    return rows;
  };
  Result<int64_t> rows = body();
  if (!rows.ok()) (void)session.Execute("ROLLBACK");
  return rows;
}

}  // namespace metl::dwc
