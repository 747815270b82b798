#include "warehouse/ledger.h"

#include <cstdlib>

#include "warehouse/ddl.h"

namespace metl::warehouse {
namespace {

void SetInt(TableBatch& b, std::string_view col, std::optional<int64_t> v) {
  int i = b.table().ColumnIndex(col);
  if (i < 0) return;
  if (v) {
    b.column(i).AppendInt(*v);
  } else {
    b.column(i).AppendNull();
  }
}

void SetText(TableBatch& b, std::string_view col, const std::string& v, bool null_when_empty) {
  int i = b.table().ColumnIndex(col);
  if (i < 0) return;
  if (v.empty() && null_when_empty) {
    b.column(i).AppendNull();
  } else {
    b.column(i).AppendText(v);
  }
}

std::optional<int64_t> ToInt(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  return std::strtoll(v->c_str(), nullptr, 10);
}

}  // namespace

const TableDef& LedgerTable() {
  const TableDef* t = FindTable(kLedgerTable);
  if (!t) std::abort();  // a bug: the schema lost the ledger
  return *t;
}

void AppendLedgerRow(const LedgerEntry& e, TableBatch& b) {
  size_t before = b.rows();
  SetInt(b, "site_id", e.key.site_id);
  SetInt(b, "date", e.key.date.days());
  SetInt(b, "visits", e.visits);
  SetText(b, "content_hash", e.content_hash, false);
  SetText(b, "status", e.status, false);
  SetInt(b, "loaded_at", e.loaded_at * 1000000);
  SetInt(b, "extracted_at", e.extracted_at ? std::optional<int64_t>(*e.extracted_at * 1000000) : std::nullopt);
  SetText(b, "landing_status", e.landing_status, true);
  SetInt(b, "matomo_nb_visits", e.matomo_nb_visits);
  SetInt(b, "truncated_visits", e.truncated_visits);
  SetInt(b, "bytes", e.bytes);
  SetText(b, "last_error", e.last_error, true);
  SetText(b, "etl_version", e.etl_version, true);
  SetText(b, "source", e.source, true);
  // Columns a newer schema added that this code does not know stay NULL.
  for (size_t i = 0; i < b.column_count(); ++i) {
    if (b.column(i).size() == before) b.column(i).AppendNull();
  }
}

Result<std::vector<LedgerEntry>> ReadLedger(Session& session, const std::vector<int64_t>& sites,
                                            std::optional<CivilDate> from, std::optional<CivilDate> to) {
  const std::string date_col = session.Name("date");
  std::string sql = "SELECT site_id, " + session.TextOf(date_col) + " AS d, visits, content_hash, status, " +
                    session.EpochSecondsOf("loaded_at") + ", " + session.EpochSecondsOf("extracted_at") +
                    ", landing_status, matomo_nb_visits, truncated_visits, bytes, last_error, etl_version, source FROM " +
                    session.Name(kLedgerTable) + " WHERE 1 = 1";
  if (!sites.empty()) {
    sql += " AND site_id IN (";
    for (size_t i = 0; i < sites.size(); ++i) sql += (i ? "," : "") + std::to_string(sites[i]);
    sql += ")";
  }
  if (from) sql += " AND " + date_col + " >= DATE " + QuoteLiteral(from->ToString());
  if (to) sql += " AND " + date_col + " <= DATE " + QuoteLiteral(to->ToString());
  sql += " ORDER BY site_id, " + date_col;
  METL_ASSIGN_OR_RETURN(QueryResult r, session.Query(sql));
  std::vector<LedgerEntry> out;
  out.reserve(r.rows.size());
  for (const auto& row : r.rows) {
    LedgerEntry e;
    e.key.site_id = ToInt(row[0]).value_or(0);
    auto date = CivilDate::Parse(row[1].value_or(""));
    if (!date.ok()) return Error(ErrorKind::kInternal, "ledger row with a bad date: " + row[1].value_or("NULL"));
    e.key.date = *date;
    e.visits = ToInt(row[2]).value_or(0);
    e.content_hash = row[3].value_or("");
    e.status = row[4].value_or("");
    e.loaded_at = ToInt(row[5]).value_or(0);
    e.extracted_at = ToInt(row[6]);
    e.landing_status = row[7].value_or("");
    e.matomo_nb_visits = ToInt(row[8]);
    e.truncated_visits = ToInt(row[9]).value_or(0);
    e.bytes = ToInt(row[10]).value_or(0);
    e.last_error = row[11].value_or("");
    e.etl_version = row[12].value_or("");
    e.source = row[13].value_or("live");  // rows from before the column read as Live's (its default)
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace metl::warehouse
