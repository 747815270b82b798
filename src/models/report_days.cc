// The touched days of a load as SQL predicates, and the dialect's type names, for the report models.
#include <map>
#include <set>

#include "models/report_models.h"

namespace metl::models {
namespace {

std::string DaysPredicate(const std::vector<warehouse::PartitionKey>* days, std::string_view date_column) {
  if (!days) return "TRUE";
  if (days->empty()) return "FALSE";
  std::map<int64_t, std::set<std::string>> by_site;
  for (const auto& key : *days) by_site[key.site_id].insert(key.date.ToString());
  std::string out = "(";
  for (const auto& [site, dates] : by_site) {
    if (out.size() > 1) out += " OR ";
    out += "(site_id = " + std::to_string(site) + " AND " + std::string(date_column) + " IN (";
    bool first = true;
    for (const auto& d : dates) {
      out += (first ? "DATE '" : ", DATE '") + d + "'";
      first = false;
    }
    out += "))";
  }
  return out + ")";
}

void ReplaceAll(std::string& s, std::string_view from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

}  // namespace

std::string BindReportSql(std::string_view sql, const std::vector<warehouse::PartitionKey>* days,
                          std::string_view dialect) {
  std::string out(sql);
  ReplaceAll(out, "{V}", DaysPredicate(days, "visit_date"));
  ReplaceAll(out, "{D}", DaysPredicate(days, "date"));
  const bool google = dialect == "bigquery";
  ReplaceAll(out, "{TEXT}", google ? "STRING" : "TEXT");
  ReplaceAll(out, "{FLOAT}", google ? "FLOAT64" : "DOUBLE PRECISION");
  // Sums that may pass INT64 (quantities of hostile or absurd items): BigQuery's SUM(INT64) fails on overflow.
  ReplaceAll(out, "{WIDE}", google ? "BIGNUMERIC" : "DECIMAL(38,6)");
  return out;
}

std::string BindChReportSql(std::string_view table, std::string_view sql,
                            const std::vector<warehouse::PartitionKey>* days, std::string_view token) {
  if (days && days->empty()) return "";
  const std::string live(table);
  const std::string stg = "_metl_stg_rpt_" + std::string(token) + "_" + live;
  std::string body(sql);
  ReplaceAll(body, "{V}", DaysPredicate(days, "visit_date"));
  ReplaceAll(body, "{STG}", stg);
  std::string out = "DROP TABLE IF EXISTS " + stg + ";\nCREATE TABLE " + stg + " AS " + live + ";\n" + body + ";\n";
  if (!days) {  // every day: the rebuilt table replaces the live one in one RENAME
    const std::string old = "_metl_stg_rpt_" + std::string(token) + "_old_" + live;
    return out + "RENAME TABLE " + live + " TO " + old + ", " + stg + " TO " + live + ";\nDROP TABLE " + old;
  }
  // The touched days, one (site, day) partition at a time; a day without rows in staging is emptied.
  std::set<warehouse::PartitionKey> unique(days->begin(), days->end());
  for (const auto& key : unique) {
    out += "ALTER TABLE " + live + " REPLACE PARTITION (" + std::to_string(key.site_id) + ", '" + key.date.ToString() +
           "') FROM " + stg + ";\n";
  }
  return out + "DROP TABLE " + stg;
}

}  // namespace metl::models
