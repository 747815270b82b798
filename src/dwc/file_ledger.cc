#include "dwc/file_ledger.h"

#include <cstdlib>

#include "warehouse/ddl.h"

namespace metl::dwc {

const TableDef& FileLedgerTable() {
  static const TableDef table = [] {
    using T = LogicalType;
    TableDef t{};
    t.name = kFileLedgerTable;
    t.description =
        "The Data Warehouse Connector file ledger: one row per export file `dwc load` ingested (a changed "
        "ETag is ingested again).";
    t.columns = {
        {"key", T::kText, false, "export file key", "The file's key under the export (or --from-dir) folder."},
        {"etag", T::kText, false, "S3 ETag / MD5", "The file's ETag (hex MD5 of its bytes for a folder)."},
        {"size", T::kBigInt, false, "file size", "Bytes."},
        {"table_name", T::kText, true, "file key", "The Matomo table the file holds (null: not recognised)."},
        {"rows", T::kBigInt, false, "file lines", "Rows read."},
        {"loaded_at", T::kTimestampTz, false, "etl", "When the file's days were loaded (UTC)."},
    };
    t.key = {"key"};
    return t;
  }();
  return table;
}

Result<std::map<std::string, LedgerFile>> ReadFileLedger(warehouse::Session& session) {
  METL_ASSIGN_OR_RETURN(warehouse::QueryResult r,
                        session.Query("SELECT " + session.Name("key") + ", etag, " + session.Name("size") +
                                      ", table_name, " + session.Name("rows") + ", " +
                                      session.EpochSecondsOf("loaded_at") + " FROM " + session.Name(kFileLedgerTable)));
  std::map<std::string, LedgerFile> out;
  for (const auto& row : r.rows) {
    LedgerFile f;
    f.key = row[0].value_or("");
    f.etag = row[1].value_or("");
    f.size = std::strtoll(row[2].value_or("0").c_str(), nullptr, 10);
    f.table = row[3].value_or("");
    f.rows = std::strtoll(row[4].value_or("0").c_str(), nullptr, 10);
    f.loaded_at = static_cast<int64_t>(std::strtod(row[5].value_or("0").c_str(), nullptr));
    out[f.key] = f;
  }
  return out;
}

std::string RecordFileSql(const warehouse::Session& session, const LedgerFile& f) {
  using warehouse::QuoteLiteral;
  return "DELETE FROM " + session.Name(kFileLedgerTable) + " WHERE " + session.Name("key") + " = " +
         QuoteLiteral(f.key) + "; " + "INSERT INTO " + session.Name(kFileLedgerTable) + " (" + session.Name("key") +
         ", etag, " + session.Name("size") + ", table_name, " + session.Name("rows") + ", loaded_at) VALUES (" +
         QuoteLiteral(f.key) + ", " + QuoteLiteral(f.etag) + ", " + std::to_string(f.size) + ", " +
         (f.table.empty() ? std::string("NULL") : QuoteLiteral(f.table)) + ", " + std::to_string(f.rows) +
         ", TIMESTAMPTZ " + QuoteLiteral(FormatDateTime(f.loaded_at) + "+00") + "); ";
}

Status RecordFiles(warehouse::Session& session, const std::vector<LedgerFile>& files) {
  if (files.empty()) return OkStatus();
  std::string sql = "BEGIN TRANSACTION; ";
  for (const LedgerFile& f : files) sql += RecordFileSql(session, f);
  sql += "COMMIT";
  return session.Execute(sql);
}

}  // namespace metl::dwc
