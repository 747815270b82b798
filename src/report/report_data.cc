#include "report/report_data.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

namespace metl::report {
namespace {

using warehouse::QueryResult;
using warehouse::Session;

int64_t Int(const std::optional<std::string>& v) {
  return v ? std::strtoll(v->c_str(), nullptr, 10) : 0;
}
double Num(const std::optional<std::string>& v) {
  return v ? std::strtod(v->c_str(), nullptr) : 0;
}
std::string Text(const std::optional<std::string>& v) {
  return v.value_or("");
}
std::string Lit(CivilDate d) {
  return "DATE '" + d.ToString() + "'";
}

struct Ctx {
  Session& s;
  int64_t site;
  CivilDate from, to;
  std::string Range(const std::string& column) const {
    return "site_id = " + std::to_string(site) + " AND " + column + " BETWEEN " + Lit(from) + " AND " + Lit(to);
  }
};

Status ReadDays(const Ctx& c, SiteReport& r) {
  METL_ASSIGN_OR_RETURN(QueryResult q, c.s.Query("SELECT " + c.s.TextOf(c.s.Name("date")) +
                                                 ", nb_visits, nb_conversions, revenue, "
                                                 "nb_uniq_visitors, nb_pageviews FROM matomo_daily_kpis WHERE " +
                                                 c.Range(c.s.Name("date")) + " ORDER BY " + c.s.Name("date")));
  for (const auto& row : q.rows) {
    r.days.push_back({Text(row[0]).substr(0, 10), Int(row[1]), Int(row[2]), Num(row[3])});
    r.uniq_visitors_daily_sum += Int(row[4]);
    r.pageviews += Int(row[5]);
  }
  METL_ASSIGN_OR_RETURN(QueryResult t,
                        c.s.Query("SELECT sum(nb_visits), sum(nb_conversions), " + c.s.TextOf("sum(revenue)") +
                                  " FROM matomo_daily_kpis WHERE " + c.Range(c.s.Name("date"))));
  if (!t.rows.empty()) {
    r.visits = Int(t.rows[0][0]);
    r.conversions = Int(t.rows[0][1]);
    r.revenue_text = t.rows[0][2].value_or("0");
    r.revenue = Num(t.rows[0][2]);
  }
  return OkStatus();
}

Status ReadChannels(const Ctx& c, SiteReport& r) {
  METL_ASSIGN_OR_RETURN(QueryResult tot, c.s.Query("SELECT channel, sum(nb_visits), sum(nb_conversions), sum(revenue) "
                                                   "FROM matomo_channels_daily WHERE " +
                                                   c.Range(c.s.Name("date")) +
                                                   " GROUP BY channel ORDER BY sum(nb_visits) DESC, channel"));
  std::map<std::string, size_t> index;
  for (const auto& row : tot.rows) {
    index[Text(row[0])] = r.channels.size();
    r.channels.push_back(Text(row[0]));
    r.channel_totals.push_back({Text(row[0]), "", Int(row[1]), Int(row[2]), Num(row[3])});
  }
  std::map<std::string, size_t> day_index;
  for (size_t i = 0; i < r.days.size(); ++i) day_index[r.days[i].date] = i;
  r.channel_visits.assign(r.days.size(), std::vector<int64_t>(r.channels.size(), 0));
  METL_ASSIGN_OR_RETURN(QueryResult q, c.s.Query("SELECT " + c.s.TextOf(c.s.Name("date")) +
                                                 ", channel, sum(nb_visits) "
                                                 "FROM matomo_channels_daily WHERE " +
                                                 c.Range(c.s.Name("date")) + " GROUP BY " + c.s.Name("date") +
                                                 ", channel"));
  for (const auto& row : q.rows) {
    auto d = day_index.find(Text(row[0]).substr(0, 10));
    auto ch = index.find(Text(row[1]));
    if (d != day_index.end() && ch != index.end()) r.channel_visits[d->second][ch->second] = Int(row[2]);
  }
  return OkStatus();
}

// Grouped by expression, not by position: ClickHouse 18.16 reads GROUP BY 1 as a constant.
const std::string kRefType = "coalesce(referrer_type, 'direct')";
const std::string kRefName = "coalesce(referrer_name, '')";
const std::string kDevice = "coalesce(device_type, 'Unknown')";

Status ReadLists(const Ctx& c, SiteReport& r) {
  // From the pages report table, whose figures `verify --reports` proves equal to Matomo's: pageviews
  // (nb_hits) and visits summed over the days (a visit belongs to one day, so the sum counts each once).
  METL_ASSIGN_OR_RETURN(
      QueryResult pages,
      c.s.Query("SELECT label, sum(nb_hits), sum(nb_visits) FROM matomo_pages_daily WHERE " +
                c.Range(c.s.Name("date")) +
                " AND report = 'Actions.getPageUrls' GROUP BY label ORDER BY sum(nb_hits) DESC, label LIMIT 10"));
  for (const auto& row : pages.rows) r.pages.push_back({Text(row[0]), "", Int(row[1]), Int(row[2]), 0});
  METL_ASSIGN_OR_RETURN(QueryResult refs,
                        c.s.Query("SELECT " + kRefType + ", " + kRefName + ", count(*), "
                                  "sum(CASE WHEN visit_converted THEN 1 ELSE 0 END) FROM matomo_visits WHERE " +
                                  c.Range("visit_date") + " GROUP BY " + kRefType + ", " + kRefName +
                                  " ORDER BY count(*) DESC, " + kRefType + ", " + kRefName + " LIMIT 10"));
  for (const auto& row : refs.rows) r.referrers.push_back({Text(row[0]), Text(row[1]), Int(row[2]), Int(row[3]), 0});
  METL_ASSIGN_OR_RETURN(QueryResult dev,
                        c.s.Query("SELECT " + kDevice + ", count(*) FROM matomo_visits WHERE " + c.Range("visit_date") +
                                  " GROUP BY " + kDevice + " ORDER BY count(*) DESC, " + kDevice));
  for (const auto& row : dev.rows) r.devices.push_back({Text(row[0]), "", Int(row[1]), 0, 0});
  return OkStatus();
}

Status ReadFunnelsAndCohorts(const Ctx& c, SiteReport& r) {
  METL_ASSIGN_OR_RETURN(
      QueryResult f,
      c.s.Query("SELECT funnel, step, step_definition, sum(entered), sum(reached) FROM matomo_funnels "
                "WHERE " +
                c.Range(c.s.Name("date")) + " GROUP BY funnel, step, step_definition ORDER BY funnel, step"));
  for (const auto& row : f.rows) {
    if (r.funnels.empty() || r.funnels.back().name != Text(row[0])) r.funnels.push_back({Text(row[0]), {}});
    r.funnels.back().steps.push_back({static_cast<int>(Int(row[1])), Text(row[2]), Int(row[3]), Int(row[4])});
  }
  // Cohorts that started in the range (weeks start on Monday: the range's first Monday on). A cohort's
  // activity weeks start at its own week, so the range bounds activity_week too: said on the column the
  // table is partitioned by (BigQuery), it reads only the range's partitions.
  METL_ASSIGN_OR_RETURN(QueryResult q, c.s.Query("SELECT " + c.s.TextOf("cohort_week") +
                                                 ", weeks_since, cohort_visitors, visitors "
                                                 "FROM matomo_cohorts WHERE " +
                                                 c.Range("cohort_week") + " AND activity_week BETWEEN " + Lit(c.from) +
                                                 " AND " + Lit(c.to) + " ORDER BY cohort_week, weeks_since"));
  for (const auto& row : q.rows) {
    std::string week = Text(row[0]).substr(0, 10);
    if (r.cohorts.empty() || r.cohorts.back().week != week) r.cohorts.push_back({week, Int(row[2]), {}});
    size_t since = static_cast<size_t>(std::max<int64_t>(0, Int(row[1])));
    if (r.cohorts.back().visitors.size() <= since) r.cohorts.back().visitors.resize(since + 1, 0);
    r.cohorts.back().visitors[since] = Int(row[3]);
  }
  return OkStatus();
}

}  // namespace

Result<std::vector<SiteReport>> ReadReport(Session& s, const ReportRequest& request) {
  // Two plain queries rather than a join (ClickHouse 18.16 joins USING, and leaves a missing right
  // row's name empty, not NULL).
  METL_ASSIGN_OR_RETURN(QueryResult sites, s.Query("SELECT site_id, " + s.TextOf("max(" + s.Name("date") + ")") +
                                                   " FROM matomo_etl_partitions WHERE status = 'loaded' "
                                                   "GROUP BY site_id ORDER BY site_id"));
  METL_ASSIGN_OR_RETURN(QueryResult names, s.Query("SELECT site_id, name, currency FROM matomo_sites"));
  std::map<int64_t, std::pair<std::optional<std::string>, std::string>> site_names;
  for (const auto& row : names.rows) site_names[Int(row[0])] = {row[1], Text(row[2])};
  std::vector<SiteReport> out;
  for (const auto& row : sites.rows) {
    const int64_t site = Int(row[0]);
    if (!request.sites.empty() && std::find(request.sites.begin(), request.sites.end(), site) == request.sites.end())
      continue;
    METL_ASSIGN_OR_RETURN(CivilDate last, CivilDate::Parse(Text(row[1]).substr(0, 10)));
    SiteReport r;
    r.site_id = site;
    auto named = site_names.find(site);
    const bool has_name = named != site_names.end() && named->second.first;
    r.name = has_name ? *named->second.first : "Site " + std::to_string(site);
    r.name_is_id = !has_name;
    r.currency = named != site_names.end() ? named->second.second : "";
    r.to = request.to.value_or(last);
    r.from = request.from.value_or(r.to - 29);
    if (r.from > r.to) {
      return Error(ErrorKind::kConfig, "--from " + r.from.ToString() + " is after --to " + r.to.ToString())
          .WithHint("give a range whose first day comes first");
    }
    Ctx c{s, site, r.from, r.to};
    METL_TRY(ReadDays(c, r));
    METL_TRY(ReadChannels(c, r));
    METL_TRY(ReadLists(c, r));
    METL_TRY(ReadFunnelsAndCohorts(c, r));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace metl::report
