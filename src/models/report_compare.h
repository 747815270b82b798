// `verify --reports`: which Matomo report each report-table row equals (ReportSpec), Matomo's answer parsed
// into rows, and the row-by-row, metric-by-metric comparison with its explanations. No I/O here
// (src/cli/verify_reports.cc fetches both sides).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/error.h"

namespace metl::models {

// One Matomo API report and the report-table rows that equal it.
struct ReportSpec {
  std::string method;                                       // e.g. "Referrers.getAll"
  std::vector<std::pair<std::string, std::string>> params;  // extra API parameters (idGoal, flat, ...)
  std::string table;                                        // e.g. "matomo_referrers_daily"
  std::map<std::string, std::string> where;                 // column -> value the table's rows must have
  // Matomo metric -> table column; avg_page_load_time is derived from sum_page_load_time_ms and
  // nb_hits_with_page_load_time (seconds), see WarehouseMetrics.
  std::vector<std::pair<std::string, std::string>> metrics;
  bool single_row = false;   // the API answers one object (Goals.get), not a list of labelled rows
  std::string type_column;   // Referrers.getAll: rows are keyed by (referer_type, label)
  std::string name() const;  // method and parameters, e.g. "Goals.get idGoal=2"
};

// What both sides know about one (site, day), for the explanations.
struct ReportDayContext {
  int64_t truncated_visits = 0;          // visits Live cut at 500 actions
  int64_t user_id_visits = 0;            // visits with a user id
  int64_t after_midnight_returning = 0;  // returning visits that began in the day's first 30 minutes
};

struct ReportRow {
  std::string key;  // label, or type + '\x1f' + label for keyed reports
  std::string label;
  std::map<std::string, double> metrics;
};

struct ReportDifference {
  int64_t site_id = 0;
  CivilDate date;
  std::string report;  // ReportSpec::name()
  std::string label;
  std::string metric;
  double warehouse = 0;
  double matomo = 0;
  std::string explanation;  // empty: not explained
};

// The specs of a site: every row report, Goals.get for the total and each of `goal_ids` (plus the
// ecommerce ones when `ecommerce`), the item reports when `ecommerce`, and CustomDimensions.getCustomDimension
// for each (id, scope) of `dimensions`.
std::vector<ReportSpec> ReportSpecsForSite(const std::vector<int64_t>& goal_ids, bool ecommerce,
                                           const std::vector<std::pair<int64_t, std::string>>& dimensions);

// Matomo's answer for period=day&date=A,B: an object keyed by date; each a list of rows (or one object for
// single_row reports). Numbers may be strings; absent metrics are 0.
Result<std::map<std::string, std::vector<ReportRow>>> ParseReportResponse(const std::string& body,
                                                                          const ReportSpec& spec);

// The metrics of one warehouse row as compared: its columns, and avg_page_load_time derived from them.
void AddDerivedMetrics(std::map<std::string, double>& metrics);

// Matomo's referrer type codes (the API's referer_type), by the warehouse's referrer_type.
std::string ReferrerTypeCode(const std::string& type);

// Compares one (site, day) of one report. Rows that Matomo folded into its "Others" row are compared as
// their sum. Numbers are compared as Matomo rounds them (2 decimals; nb_pages_per_search 1).
std::vector<ReportDifference> CompareReport(const ReportSpec& spec, int64_t site_id, CivilDate date,
                                            const std::vector<ReportRow>& warehouse,
                                            const std::vector<ReportRow>& matomo, const ReportDayContext& day);

}  // namespace metl::models
