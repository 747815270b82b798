#include "models/analysis.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "core/log.h"
#include "models/analysis_sql.h"
#include "models/ch_analysis.h"
#include "models/models.h"

namespace metl::models {
namespace {

using warehouse::PartitionKey;
using warehouse::QueryResult;
using warehouse::Session;

constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kDays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

std::string DateLit(CivilDate d) {
  return "DATE '" + d.ToString() + "'";
}

// ISO day of the week, 1 = Monday: 1970-01-01 was a Thursday.
int DayOfWeek(CivilDate d) {
  int64_t r = (d.days() + 3) % 7;
  if (r < 0) r += 7;
  return static_cast<int>(r) + 1;
}
CivilDate WeekStart(CivilDate d) {
  return d - (DayOfWeek(d) - 1);
}

// The touched days per site.
std::map<int64_t, std::set<CivilDate>> BySite(const std::vector<PartitionKey>& keys) {
  std::map<int64_t, std::set<CivilDate>> out;
  for (const auto& k : keys) out[k.site_id].insert(k.date);
  return out;
}

// `date BETWEEN first AND last AND (per_site)`: the bounds repeat what the per-site terms say, on the
// date column alone and at the top level, which is the form BigQuery documents for pruning the date
// partitions a statement reads or rewrites (docs/bigquery.md, "Quotas and costs"); an OR of per-site
// conjunctions is not guaranteed to prune. Other engines skip their own date ranges with it too.
std::string WithDateBounds(const std::string& date, CivilDate first, CivilDate last, const std::string& per_site) {
  return "(" + date + " BETWEEN " + DateLit(first) + " AND " + DateLit(last) + " AND " + per_site + ")";
}

// (site_id = 1 AND (date BETWEEN a AND b OR date = c)) OR ...; FALSE when nothing is touched. Runs of
// consecutive days are written as one range: a reload of many days stays a short statement (BigQuery
// refuses a query text over 1 MB, and the script repeats this predicate in most statements).
std::string DaysWhere(const std::map<int64_t, std::set<CivilDate>>& days, const std::string& site,
                      const std::string& date) {
  std::string sql;
  std::optional<CivilDate> first, last;
  for (const auto& [s, set] : days) {
    if (!first || *set.begin() < *first) first = *set.begin();
    if (!last || *last < *set.rbegin()) last = *set.rbegin();
    std::string runs;
    for (auto it = set.begin(); it != set.end();) {
      CivilDate from = *it, to = *it;
      for (++it; it != set.end() && *it == to + 1; ++it) to = *it;
      runs += (runs.empty() ? "" : " OR ") +
              (from == to ? date + " = " + DateLit(from) : date + " BETWEEN " + DateLit(from) + " AND " + DateLit(to));
    }
    sql += (sql.empty() ? "" : " OR ") + ("(" + site + " = " + std::to_string(s) + " AND (" + runs + "))");
  }
  return sql.empty() ? "FALSE" : WithDateBounds(date, *first, *last, "(" + sql + ")");
}

// (site_id = 1 AND date BETWEEN a AND b) OR ...
std::string RangeWhere(const std::map<int64_t, std::pair<CivilDate, CivilDate>>& ranges, const std::string& site,
                       const std::string& date) {
  std::string sql;
  std::optional<CivilDate> first, last;
  for (const auto& [s, r] : ranges) {
    if (!sql.empty()) sql += " OR ";
    sql += "(" + site + " = " + std::to_string(s) + " AND " + date + " BETWEEN " + DateLit(r.first) + " AND " +
           DateLit(r.second) + ")";
    if (!first || r.first < *first) first = r.first;
    if (!last || *last < r.second) last = r.second;
  }
  return sql.empty() ? "FALSE" : WithDateBounds(date, *first, *last, "(" + sql + ")");
}

std::string Sites(const std::map<int64_t, std::set<CivilDate>>& days, const std::string& site) {
  std::string sql;
  for (const auto& [s, set] : days) sql += (sql.empty() ? "" : ", ") + std::to_string(s);
  return sql.empty() ? "FALSE" : site + " IN (" + sql + ")";
}

Result<std::optional<std::pair<CivilDate, CivilDate>>> LoadedRange(Session& session) {
  METL_ASSIGN_OR_RETURN(QueryResult r, session.Query("SELECT " + session.TextOf("min(" + session.Name("date") + ")") +
                                                     ", " + session.TextOf("max(" + session.Name("date") + ")") +
                                                     " FROM matomo_etl_partitions"));
  if (r.rows.empty() || !r.rows[0][0] || !r.rows[0][1]) return std::optional<std::pair<CivilDate, CivilDate>>();
  METL_ASSIGN_OR_RETURN(CivilDate from, CivilDate::Parse(r.rows[0][0]->substr(0, 10)));
  METL_ASSIGN_OR_RETURN(CivilDate to, CivilDate::Parse(r.rows[0][1]->substr(0, 10)));
  return std::optional<std::pair<CivilDate, CivilDate>>(std::make_pair(from, to));
}

Result<bool> TableEmpty(Session& session, const std::string& table) {
  METL_ASSIGN_OR_RETURN(QueryResult r, session.Query("SELECT count(*) FROM " + table));
  return r.rows.empty() || !r.rows[0][0] || *r.rows[0][0] == "0";
}

// The funnel steps the table was built with differ from the configured ones: rebuild every day.
Result<bool> FunnelsChanged(Session& session, const std::vector<Funnel>& funnels) {
  METL_ASSIGN_OR_RETURN(QueryResult r, session.Query("SELECT DISTINCT funnel, " + session.TextOf("step") +
                                                     ", step_definition FROM matomo_funnels"));
  std::set<std::string> have, want;
  for (const auto& row : r.rows)
    have.insert(row[0].value_or("") + "\n" + row[1].value_or("") + "\n" + row[2].value_or(""));
  for (const auto& f : funnels) {
    for (size_t k = 0; k < f.steps.size(); ++k)
      want.insert(f.name + "\n" + std::to_string(k + 1) + "\n" + f.steps[k].definition);
  }
  return !have.empty() && have != want;
}

Status RunStatements(Session& session, const warehouse::Capabilities& caps,
                     const std::vector<std::string>& statements) {
  if (caps.scripts) {  // one script, its transaction inside (BigQuery)
    std::string script = "BEGIN TRANSACTION;\n";
    for (const auto& s : statements) script += s + ";\n";
    Status st = session.Execute(script + "COMMIT TRANSACTION;");
    if (!st.ok())
      return Error(st.error().kind(), "analysis models failed: " + st.error().message(), st.error().context());
    return OkStatus();
  }
  if (caps.transactions) METL_TRY(session.Execute("BEGIN TRANSACTION"));
  METL_TRY(PlannerSettings(session, caps));
  for (const auto& s : statements) {
    Status st = TimedExecute(session, "analysis", s);
    if (!st.ok()) {
      if (caps.transactions) (void)session.Execute("ROLLBACK");
      return Error(ErrorKind::kInternal, "analysis model failed: " + st.error().message() + "\n" + s.substr(0, 300));
    }
  }
  if (caps.transactions) METL_TRY(session.Execute("COMMIT"));
  return OkStatus();
}

}  // namespace

std::vector<std::string> DateRows(CivilDate from, CivilDate to) {
  std::vector<std::string> rows;
  for (CivilDate d = from; d <= to; ++d) {
    Ymd ymd = d.ymd();
    int dow = DayOfWeek(d);
    CivilDate monday = WeekStart(d);
    // ISO week: the week's Thursday decides the year; week 1 holds that year's first Thursday.
    CivilDate thursday = monday + 3;
    int iso_year = thursday.ymd().year;
    int iso_week = static_cast<int>((thursday - CivilDate::FromYmd(iso_year, 1, 1)) / 7) + 1;
    char ym[16];
    std::snprintf(ym, sizeof ym, "%04d-%02d", ymd.year, ymd.month);
    rows.push_back("(" + DateLit(d) + ", " + std::to_string(d.days()) + ", " + std::to_string(ymd.year) + ", " +
                   std::to_string((ymd.month - 1) / 3 + 1) + ", " + std::to_string(ymd.month) + ", '" +
                   kMonths[ymd.month - 1] + "', '" + ym + "', " + std::to_string(ymd.day) + ", " + std::to_string(dow) +
                   ", '" + kDays[dow - 1] + "', " + (dow >= 6 ? "TRUE" : "FALSE") + ", " + DateLit(monday) + ", " +
                   std::to_string((monday.days() + 3) / 7) + ", " + std::to_string(iso_year) + ", " +
                   std::to_string(iso_week) + ")");
  }
  return rows;
}

Status RunAnalysisModels(Session& session, const warehouse::Capabilities& caps, const AnalysisOptions& options,
                         const AnalysisScope& scope_in) {
  if (!caps.analysis_models) return OkStatus();  // not on this engine (Capabilities::analysis_models)
  AnalysisScope scope = scope_in;
  METL_ASSIGN_OR_RETURN(auto range, LoadedRange(session));
  std::vector<std::string> sql;
  const std::vector<std::string> tables = {"matomo_channels_daily", "matomo_attribution", "matomo_cohorts",
                                           "matomo_funnels"};
  if (!range) {  // nothing loaded: empty tables
    sql.push_back("DELETE FROM matomo_dates WHERE TRUE");
    for (const auto& t : tables) sql.push_back("DELETE FROM " + t + " WHERE TRUE");
    return RunStatements(session, caps, sql);
  }
  if (!scope.full) {
    // Never built (a new warehouse, or tables added by an upgrade): build everything once.
    // (Dropping matomo_dates is the documented way to ask for this: docs/operations.md.)
    METL_ASSIGN_OR_RETURN(bool no_dates, TableEmpty(session, "matomo_dates"));
    METL_ASSIGN_OR_RETURN(bool no_channels, TableEmpty(session, "matomo_channels_daily"));
    if (no_dates || no_channels) scope.full = true;
  }
  METL_ASSIGN_OR_RETURN(bool funnels_changed, FunnelsChanged(session, options.funnels));
  if (!scope.full && scope.touched.empty() && !funnels_changed) return OkStatus();

  // matomo_dates: whole years around the loaded days (a date table for Power BI covers whole years).
  const CivilDate first = CivilDate::FromYmd(range->first.ymd().year, 1, 1);
  const CivilDate last = CivilDate::FromYmd(range->second.ymd().year, 12, 31);
  sql.push_back("DELETE FROM matomo_dates WHERE TRUE");
  std::vector<std::string> rows = DateRows(first, last);
  if (caps.dialect == "clickhouse") {  // staging tables and partition swaps instead of a transaction
    return RunChAnalysisModels(session, options, ChAnalysisPlan{scope.full, funnels_changed, scope.touched, range->second},
                               rows);
  }
  const std::string insert_dates =
      "INSERT INTO matomo_dates (date, day_number, year, quarter, month, month_name, year_month, day_of_month, "
      "day_of_week, day_name, is_weekend, week_start, week_seq, iso_year, iso_week) VALUES\n";
  for (size_t i = 0; i < rows.size(); i += 400) {
    std::string stmt = insert_dates;
    for (size_t j = i; j < std::min(rows.size(), i + 400); ++j) stmt += (j > i ? ",\n" : "") + rows[j];
    sql.push_back(stmt);
  }

  const auto days = BySite(scope.touched);
  std::string v_days = scope.full ? "TRUE" : DaysWhere(days, "v.site_id", "v.visit_date");
  std::string c_days = scope.full ? "TRUE" : DaysWhere(days, "site_id", "visit_date");
  std::string a_days = scope.full ? "TRUE" : DaysWhere(days, "a.site_id", "a.visit_date");

  // Channels: the touched days.
  sql.push_back("DELETE FROM matomo_channels_daily WHERE " +
                (scope.full ? "TRUE" : DaysWhere(days, "site_id", "date")));
  sql.push_back(ChannelsInsertSql(v_days, c_days));

  // Funnels: the touched days, or every day when the configured steps changed.
  const bool funnels_full = scope.full || funnels_changed;
  sql.push_back("DELETE FROM matomo_funnels WHERE " + (funnels_full ? "TRUE" : DaysWhere(days, "site_id", "date")));
  for (const Funnel& f : options.funnels)
    sql.push_back(FunnelInsertSql(caps.dialect, f, funnels_full ? "TRUE" : a_days));

  // Attribution: conversions from a touched day to lookback days after the last one; their touches
  // from lookback days before the first.
  std::map<int64_t, std::pair<CivilDate, CivilDate>> conv_window, touch_window;
  for (const auto& [site, set] : days) {
    conv_window[site] = {*set.begin(), *set.rbegin() + options.lookback_days};
    touch_window[site] = {*set.begin() - options.lookback_days, *set.rbegin() + options.lookback_days};
  }
  sql.push_back("DELETE FROM matomo_attribution WHERE " +
                (scope.full ? "TRUE" : RangeWhere(conv_window, "site_id", "conversion_date")));
  sql.push_back(AttributionInsertSql(scope.full ? "TRUE" : RangeWhere(conv_window, "c.site_id", "c.visit_date"),
                                     scope.full ? "TRUE" : RangeWhere(conv_window, "cv.site_id", "cv.visit_date"),
                                     scope.full ? "TRUE" : RangeWhere(touch_window, "v.site_id", "v.visit_date"),
                                     options.lookback_days));

  // Cohorts: the activity weeks from the week of the first touched day on (a visitor's first visit can
  // only move within them).
  std::string window = "TRUE", deleted = "TRUE";
  if (!scope.full) {
    window.clear();
    deleted.clear();
    std::optional<CivilDate> earliest;  // the deleted rows' partitions: activity_week >= the earliest week
    for (const auto& [site, set] : days) {
      if (!earliest || WeekStart(*set.begin()) < *earliest) earliest = WeekStart(*set.begin());
      std::string from = DateLit(WeekStart(*set.begin()));
      window += (window.empty() ? "" : " OR ") + std::string("(vv.site_id = ") + std::to_string(site) +
                " AND vv.week_start >= " + from + ")";
      deleted += (deleted.empty() ? "" : " OR ") + std::string("(site_id = ") + std::to_string(site) +
                 " AND activity_week >= " + from + ")";
    }
    window = window.empty() ? "FALSE" : "(" + window + ")";  // nothing touched (only the funnels changed)
    deleted = deleted.empty() ? "FALSE" : "(activity_week >= " + DateLit(*earliest) + " AND (" + deleted + "))";
  }
  sql.push_back("DELETE FROM matomo_cohorts WHERE " + deleted);
  sql.push_back(CohortsInsertSql(scope.full ? "TRUE" : Sites(days, "v.site_id"),
                                 scope.full ? "TRUE" : Sites(days, "site_id"), window));

  METL_TRY(RunStatements(session, caps, sql));
  LogDebug("analysis models rebuilt", {{"full", scope.full}, {"sites", days.size()}});
  return OkStatus();
}

}  // namespace metl::models
