// `matomo-etl verify`: compares matomo_daily_kpis with Matomo's VisitsSummary.get, Actions.get
// (pageviews) and Goals.get for every loaded partition in range, prints the differences as a table
// and exits 4 on any difference that truncated visits do not explain.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "cli/commands.h"
#include "cli/load_common.h"
#include "cli/verify_inputs.h"
#include "core/exit_codes.h"
#include "core/log.h"
#include "extract/extract_run.h"
#include "matomo/client.h"
#include "models/models.h"
#include "models/reconcile.h"
#include "warehouse/ddl.h"
#include "warehouse/ledger.h"

namespace metl::cli {
namespace {

int64_t ToMetric(const std::string& metric, const std::optional<std::string>& v) {
  if (!v) return 0;
  if (models::IsMoneyMetric(metric)) return models::MoneyTextToCents(*v).value_or(0);
  return std::strtoll(v->c_str(), nullptr, 10);
}

std::string Show(const std::string& metric, int64_t v) {
  if (!models::IsMoneyMetric(metric)) return std::to_string(v);
  char buf[64];  // cents, exactly
  const uint64_t abs = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  std::snprintf(buf, sizeof buf, "%s%llu.%02llu", v < 0 ? "-" : "", static_cast<unsigned long long>(abs / 100),
                static_cast<unsigned long long>(abs % 100));
  return buf;
}

// Loaded days (`days`) that have no row in `kpis` (matomo_daily_kpis as queried by RunVerify).
size_t MissingDays(const warehouse::QueryResult& kpis,
                   const std::map<std::pair<int64_t, int64_t>, models::DayFigures>& days) {
  int site_col = kpis.ColumnIndex("site_id"), date_col = kpis.ColumnIndex("date_text");
  if (site_col < 0 || date_col < 0) return days.size();
  std::set<std::pair<int64_t, int64_t>> present;
  for (const auto& row : kpis.rows) {
    auto date = CivilDate::Parse(row[date_col].value_or(""));
    if (date.ok()) present.insert({std::strtoll(row[site_col].value_or("0").c_str(), nullptr, 10), date->days()});
  }
  size_t missing = 0;
  for (const auto& [key, figures] : days) missing += present.count(key) ? 0 : 1;
  return missing;
}

}  // namespace

int RunVerify(CommandContext& ctx) {
  if (ctx.config.Has("reports") && ctx.config.Bool("reports")) return RunVerifyReports(ctx);
  VerifyInputs in;
  if (auto code = OpenVerifyInputs(ctx, in)) return *code;
  const auto& ranges = in.site_ranges;
  std::map<std::pair<int64_t, int64_t>, models::DayFigures> days;
  for (const auto& e : in.loaded) {
    auto& d = days[{e.key.site_id, e.key.date.days()}];
    d.site_id = e.key.site_id;
    d.date = e.key.date;
  }
  // Warehouse side. matomo_daily_kpis is safe to drop (docs/operations.md; the migration above then
  // recreated it empty): rebuilt here as after every load when it lacks a loaded day, rather than
  // comparing Matomo's figures with zeros.
  warehouse::Session& s = *in.session;
  const std::string kpis_sql = "SELECT *, " + s.TextOf(s.Name("date")) + " AS date_text FROM matomo_daily_kpis";
  auto kpis = s.Query(kpis_sql);
  if (kpis.ok()) {
    size_t missing = MissingDays(*kpis, days);
    if (missing > 0) {
      LogInfo("matomo_daily_kpis lacks loaded days (dropped or emptied): rebuilding it before comparing",
              {{"days", missing}});
      Status rebuilt = models::RunModels(s, in.warehouse->capabilities());
      if (!rebuilt.ok()) {
        ReportError(rebuilt.error());
        return kExitInternal;
      }
      kpis = s.Query(kpis_sql);
      if (kpis.ok() && MissingDays(*kpis, days) > 0) {
        ReportError(Error(ErrorKind::kInternal, "matomo_daily_kpis still lacks loaded days after its rebuild"));
        return kExitInternal;
      }
    }
  }
  auto trunc = s.Query("SELECT site_id, " + s.TextOf("visit_date") +
                       ", visit_id FROM matomo_visits WHERE truncated_actions > 0 ORDER BY site_id, visit_date, visit_id");
  if (!kpis.ok() || !trunc.ok()) {
    ReportError(!kpis.ok() ? kpis.error() : trunc.error());
    return kExitInternal;
  }
  int site_col = kpis->ColumnIndex("site_id"), date_col = kpis->ColumnIndex("date_text");
  for (const auto& row : kpis->rows) {
    auto date = CivilDate::Parse(row[date_col].value_or(""));
    if (!date.ok()) continue;
    auto it = days.find({std::strtoll(row[site_col].value_or("0").c_str(), nullptr, 10), date->days()});
    if (it == days.end()) continue;
    for (const auto& [metric, method] : models::ComparedMetrics()) {
      int c = kpis->ColumnIndex(metric);
      if (c >= 0) it->second.warehouse[metric] = ToMetric(metric, row[c]);
    }
  }
  for (const auto& row : trunc->rows) {
    auto date = CivilDate::Parse(row[1].value_or(""));
    if (!date.ok()) continue;
    auto it = days.find({std::strtoll(row[0].value_or("0").c_str(), nullptr, 10), date->days()});
    if (it == days.end()) continue;
    ++it->second.truncated_visits;
    it->second.truncated_ids.push_back(std::strtoll(row[2].value_or("0").c_str(), nullptr, 10));
  }
  // Matomo side: one request per site and method over the site's range (period=day&date=A,B).
  for (const auto& [site, range] : ranges) {
    for (const char* method : {"VisitsSummary.get", "Actions.get", "Goals.get"}) {
      matomo::Params params = {{"idSite", std::to_string(site)},
                               {"period", "day"},
                               {"date", range.first.ToString() + "," + range.second.ToString()},
                               {"format", "JSON"}};
      auto body = in.client->CallRaw(method, params);
      if (!body.ok()) {
        ReportError(Error(body.error()).WithSite(site));
        return ExitCodeFor(body.error());
      }
      auto parsed = models::ParseDailyAggregates(*body);
      if (!parsed.ok()) {
        ReportError(parsed.error());
        return kExitInternal;
      }
      for (auto& [date_text, metrics] : *parsed) {
        auto date = CivilDate::Parse(date_text);
        if (!date.ok()) continue;
        auto it = days.find({site, date->days()});
        if (it == days.end()) continue;
        for (const auto& [metric, m] : models::ComparedMetrics()) {
          if (m == method && metrics.count(metric)) it->second.matomo[metric] = metrics[metric];
        }
      }
    }
  }
  // Days loaded from the DWC export are checked like Live's: Matomo archives the same log rows the
  // export carries, and the DWC path never cuts a visit, so no difference is explained by truncation.
  size_t dwc_partitions = 0;
  for (const auto& e : in.loaded) dwc_partitions += e.source == "dwc" ? 1 : 0;
  std::vector<models::DayFigures> list;
  for (auto& [k, d] : days) list.push_back(std::move(d));
  std::vector<models::Difference> diffs = models::Reconcile(list);
  int unexplained = 0;
  for (const auto& d : diffs) unexplained += d.explained ? 0 : 1;

  if (ctx.config.Has("json") && ctx.config.Bool("json")) {
    std::string o = "{\"partitions\":" + std::to_string(list.size()) +
                    ",\"dwc_partitions\":" + std::to_string(dwc_partitions) + ",\"differences\":[";
    for (size_t i = 0; i < diffs.size(); ++i) {
      const auto& d = diffs[i];
      o += std::string(i ? "," : "") + "{\"site_id\":" + std::to_string(d.site_id) + ",\"date\":\"" +
           d.date.ToString() + "\",\"metric\":\"" + d.metric + "\",\"warehouse\":" + Show(d.metric, d.warehouse) +
           ",\"matomo\":" + Show(d.metric, d.matomo) + ",\"explained\":" + (d.explained ? "true" : "false") +
           ",\"note\":\"" + JsonEscape(d.note) + "\"}";
    }
    std::printf("%s],\"unexplained\":%d}\n", o.c_str(), unexplained);
    return unexplained ? kExitMismatch : kExitOk;
  }
  std::printf("verified %zu partition(s) of %zu site(s)%s against VisitsSummary.get, Actions.get and Goals.get\n",
              list.size(), ranges.size(),
              dwc_partitions ? (" (" + std::to_string(dwc_partitions) + " loaded from the DWC export)").c_str() : "");
  if (!diffs.empty()) {
    std::printf("\n%-6s %-10s %-20s %14s %14s  %s\n", "site", "date", "metric", "warehouse", "matomo", "");
    for (const auto& d : diffs) {
      std::printf("%-6lld %-10s %-20s %14s %14s  %s\n", static_cast<long long>(d.site_id),
                  d.date.ToString().c_str(), d.metric.c_str(), Show(d.metric, d.warehouse).c_str(),
                  Show(d.metric, d.matomo).c_str(), d.explained ? d.note.c_str() : "DIFFERS");
    }
  }
  if (unexplained) {
    std::printf("\n%d difference(s) not explained. Re-extract and reload the days (`matomo-etl sync --from D --to D`); "
                "if they persist, Matomo's archives may be stale (re-archive) or data arrived late.\n",
                unexplained);
    return kExitMismatch;
  }
  std::printf("all figures match%s\n", diffs.empty() ? "" : " (differences above are explained by truncated visits)");
  return kExitOk;
}

}  // namespace metl::cli
