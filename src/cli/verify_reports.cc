// `matomo-etl verify --reports`: compares every report table with the Matomo API report it equals, for the
// loaded (site, day)s in range (--site/--from/--to), row by row and metric by metric
// (models/report_compare.h). Exits 0 when every difference is explained, 4 otherwise.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "cli/commands.h"
#include "cli/verify_inputs.h"
#include "cli/load_common.h"
#include "core/exit_codes.h"
#include "core/log.h"
#include "extract/extract_run.h"
#include "matomo/client.h"
#include "models/report_compare.h"
#include "warehouse/ledger.h"

namespace metl::cli {
namespace {

using DayKey = std::pair<int64_t, int64_t>;  // site, days since epoch

int64_t Int(const std::optional<std::string>& v) {
  return v ? std::strtoll(v->c_str(), nullptr, 10) : 0;
}

std::string Bool(const std::string& v) {  // engines print booleans as true/false or t/f
  if (v == "t" || v == "true" || v == "1") return "true";
  if (v == "f" || v == "false" || v == "0") return "false";
  return v;
}

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

}  // namespace

int RunVerifyReports(CommandContext& ctx) {
  VerifyInputs in;
  if (auto code = OpenVerifyInputs(ctx, in)) return *code;
  warehouse::Session& s = *in.session;
  const auto& ranges = in.site_ranges;
  std::map<DayKey, models::ReportDayContext> days;
  for (const auto& e : in.loaded) days[{e.key.site_id, e.key.date.days()}];
  CivilDate lo = ranges.begin()->second.first, hi = ranges.begin()->second.second;
  for (const auto& [site, r] : ranges) {
    lo = std::min(lo, r.first);
    hi = std::max(hi, r.second);
  }
  const std::string in_range = " >= DATE '" + lo.ToString() + "' AND {c} <= DATE '" + hi.ToString() + "'";
  auto range_of = [&](const std::string& column) {
    std::string r = in_range;
    r.replace(r.find("{c}"), 3, column);
    return column + r;
  };
  auto fail = [](const Error& e) {
    ReportError(e);
    return kExitInternal;
  };

  // What explains a difference: truncated visits, user ids, visits split at midnight (report_compare.h).
  const std::string date_text = s.TextOf("visit_date");
  auto context = s.Query("SELECT site_id, " + date_text +
                         ", sum(CASE WHEN truncated_actions > 0 THEN 1 ELSE 0 END), count(user_id), "
                         "sum(CASE WHEN visitor_type = 'returning' AND " +
                         s.TextOf("first_action_local") + " < " + date_text +
                         " || ' 00:30' THEN 1 ELSE 0 END) FROM matomo_visits WHERE " + range_of("visit_date") +
                         " GROUP BY site_id, visit_date");
  if (!context.ok()) return fail(context.error());
  for (const auto& row : context->rows) {
    auto date = CivilDate::Parse(row[1].value_or(""));
    if (!date.ok()) continue;
    auto it = days.find({Int(row[0]), date->days()});
    if (it == days.end()) continue;
    it->second.truncated_visits = Int(row[2]);
    it->second.user_id_visits = Int(row[3]);
    it->second.after_midnight_returning = Int(row[4]);
  }

  // Which goals, ecommerce and custom dimensions each site has.
  std::map<int64_t, std::vector<int64_t>> goals;
  std::map<int64_t, bool> ecommerce;
  std::map<int64_t, std::vector<std::pair<int64_t, std::string>>> dimensions;
  auto goal_rows = s.Query("SELECT site_id, goal_id FROM matomo_goals ORDER BY site_id, goal_id");
  auto site_rows = s.Query("SELECT site_id, " + s.TextOf("ecommerce") + " FROM matomo_sites");
  auto dim_rows = s.Query("SELECT DISTINCT site_id, dimension_id, scope FROM matomo_custom_dimensions_daily WHERE " +
                          range_of("date") + " ORDER BY site_id, dimension_id");
  if (!goal_rows.ok()) return fail(goal_rows.error());
  if (!site_rows.ok()) return fail(site_rows.error());
  if (!dim_rows.ok()) return fail(dim_rows.error());
  for (const auto& row : goal_rows->rows) goals[Int(row[0])].push_back(Int(row[1]));
  for (const auto& row : site_rows->rows) ecommerce[Int(row[0])] = Bool(row[1].value_or("")) == "true";
  for (const auto& row : dim_rows->rows) dimensions[Int(row[0])].push_back({Int(row[1]), row[2].value_or("")});

  // The report tables' rows in range, read once per table.
  std::map<std::string, warehouse::QueryResult> tables;
  auto rows_of = [&](const std::string& table) -> Result<const warehouse::QueryResult*> {
    auto it = tables.find(table);
    if (it != tables.end()) return &it->second;
    METL_ASSIGN_OR_RETURN(auto r, s.Query("SELECT *, " + s.TextOf(s.Name("date")) + " AS date_text FROM " + table +
                                          " WHERE " + range_of(s.Name("date"))));
    return &tables.emplace(table, std::move(r)).first->second;
  };

  std::vector<models::ReportDifference> diffs;
  int compared = 0;
  for (const auto& [site, range] : ranges) {
    for (const models::ReportSpec& spec : models::ReportSpecsForSite(goals[site], ecommerce[site], dimensions[site])) {
      auto table = rows_of(spec.table);
      if (!table.ok()) return fail(table.error());
      const warehouse::QueryResult& t = **table;
      // The warehouse's rows of this report, by day.
      std::map<int64_t, std::vector<models::ReportRow>> ours;
      const int site_col = t.ColumnIndex("site_id"), date_col = t.ColumnIndex("date_text"),
                label_col = t.ColumnIndex("label");
      const int type_col = spec.type_column.empty() ? -1 : t.ColumnIndex(spec.type_column);
      for (const auto& row : t.rows) {
        if (Int(row[site_col]) != site) continue;
        bool match = true;
        for (const auto& [column, value] : spec.where) {
          int c = t.ColumnIndex(column);
          std::string have = row[c < 0 ? 0 : c].value_or("");
          if (value == "true" || value == "false") have = Bool(have);
          if (c < 0 || have != value) match = false;
        }
        auto date = CivilDate::Parse(row[date_col].value_or(""));
        if (!match || !date.ok()) continue;
        models::ReportRow r;
        r.label = row[label_col].value_or("");
        r.key = spec.single_row ? "" : r.label;
        if (type_col >= 0) r.key = models::ReferrerTypeCode(row[type_col].value_or("")) + '\x1f' + r.label;
        for (const auto& [metric, column] : spec.metrics) {
          int c = t.ColumnIndex(column);
          if (c >= 0 && row[c]) r.metrics[column] = std::strtod(row[c]->c_str(), nullptr);
        }
        for (const char* column : {"nb_hits_with_page_load_time", "sum_page_load_time_ms"}) {
          int c = t.ColumnIndex(column);
          if (c >= 0 && row[c]) r.metrics[column] = std::strtod(row[c]->c_str(), nullptr);
        }
        models::AddDerivedMetrics(r.metrics);
        ours[date->days()].push_back(std::move(r));
      }
      matomo::Params params = {{"idSite", std::to_string(site)},
                               {"period", "day"},
                               {"date", range.first.ToString() + "," + range.second.ToString()},
                               {"format", "JSON"},
                               {"filter_limit", "-1"}};
      for (const auto& p : spec.params) params.push_back(p);
      auto body = in.client->CallRaw(spec.method, params);
      if (!body.ok()) {
        ReportError(Error(body.error()).WithSite(site));
        return ExitCodeFor(body.error());
      }
      auto theirs = models::ParseReportResponse(*body, spec);
      if (!theirs.ok()) return fail(Error(theirs.error()).WithSite(site));
      for (CivilDate d = range.first; d <= range.second; ++d) {
        auto day = days.find({site, d.days()});
        if (day == days.end()) continue;  // not loaded
        ++compared;
        static const std::vector<models::ReportRow> kNone;
        auto m = theirs->find(d.ToString());
        auto w = ours.find(d.days());
        auto found = models::CompareReport(spec, site, d, w == ours.end() ? kNone : w->second,
                                           m == theirs->end() ? kNone : m->second, day->second);
        diffs.insert(diffs.end(), found.begin(), found.end());
      }
    }
  }
  int unexplained = 0;
  for (const auto& d : diffs) unexplained += d.explanation.empty() ? 1 : 0;
  if (ctx.config.Has("json") && ctx.config.Bool("json")) {
    for (const auto& d : diffs) {
      std::printf(
          "{\"site\":%lld,\"date\":\"%s\",\"report\":\"%s\",\"label\":\"%s\",\"metric\":\"%s\","
          "\"warehouse\":%s,\"matomo\":%s,\"explanation\":%s}\n",
          static_cast<long long>(d.site_id), d.date.ToString().c_str(), JsonEscape(d.report).c_str(),
          JsonEscape(d.label).c_str(), d.metric.c_str(), Number(d.warehouse).c_str(), Number(d.matomo).c_str(),
          d.explanation.empty() ? "null" : ("\"" + JsonEscape(d.explanation) + "\"").c_str());
    }
    return unexplained ? kExitMismatch : kExitOk;
  }
  std::printf("verified %d report(s) of %zu partition(s) against Matomo's API\n", compared, days.size());
  for (const auto& d : diffs) {
    std::printf("site %lld %s %s [%s] %s: warehouse %s, matomo %s  %s\n", static_cast<long long>(d.site_id),
                d.date.ToString().c_str(), d.report.c_str(), d.label.c_str(), d.metric.c_str(),
                Number(d.warehouse).c_str(), Number(d.matomo).c_str(),
                d.explanation.empty() ? "DIFFERS" : ("(" + d.explanation + ")").c_str());
  }
  if (unexplained) {
    std::printf(
        "\n%d difference(s) not explained. Rebuild the report tables (`matomo-etl sync --full-refresh`, or "
        "reload the days); if they persist, Matomo's archives may be stale (re-archive the days).\n",
        unexplained);
    return kExitMismatch;
  }
  std::printf("all reports match%s\n", diffs.empty() ? "" : " (the differences above are explained)");
  return kExitOk;
}

}  // namespace metl::cli
