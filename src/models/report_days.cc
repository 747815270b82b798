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

}  // namespace metl::models
