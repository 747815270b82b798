#include "models/report_compare.h"

#include <simdjson.h>

#include <cmath>
#include <cstdlib>
#include <set>

namespace metl::models {
namespace {

using Metrics = std::vector<std::pair<std::string, std::string>>;

Metrics Same(std::initializer_list<const char*> names) {
  Metrics out;
  for (const char* n : names) out.emplace_back(n, n);
  return out;
}

const Metrics& VisitMetrics() {
  static const Metrics m =
      Same({"nb_visits", "nb_uniq_visitors", "nb_users", "nb_actions", "max_actions", "sum_visit_length",
            "bounce_count", "nb_visits_converted", "nb_conversions", "revenue"});
  return m;
}

const Metrics& PageMetrics() {
  static const Metrics m =
      Same({"nb_hits", "nb_visits", "nb_uniq_visitors", "sum_time_spent", "entry_nb_visits", "entry_nb_actions",
            "entry_sum_visit_length", "entry_bounce_count", "exit_nb_visits", "avg_page_load_time"});
  return m;
}

ReportSpec Spec(std::string method, std::string table, std::map<std::string, std::string> where, Metrics metrics,
                std::vector<std::pair<std::string, std::string>> params = {}) {
  ReportSpec s;
  s.method = std::move(method);
  s.table = std::move(table);
  s.where = std::move(where);
  s.metrics = std::move(metrics);
  s.params = std::move(params);
  return s;
}

// Matomo rounds money and averages to 2 decimals, page load times (s) to 3 and nb_pages_per_search to 1
// (PHP round: half away from 0).
int DecimalsOf(const std::string& metric) {
  if (metric == "nb_pages_per_search") return 1;
  return metric == "avg_page_load_time" ? 3 : 2;
}

bool SameAsMatomo(double warehouse, double matomo, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::llround(warehouse * scale) == std::llround(matomo * scale);
}

std::string Explain(const ReportSpec& spec, const std::string& metric, double w, double m,
                    const ReportDayContext& day) {
  // Truncation cuts actions and conversions from Live, never visits or their counters.
  static const std::set<std::string> visit_counters = {"nb_visits",    "nb_uniq_visitors",   "nb_users",
                                                       "nb_actions",   "max_actions",        "sum_visit_length",
                                                       "bounce_count", "nb_visits_converted"};
  const bool visit_report = spec.method.rfind("Referrers.", 0) == 0 || spec.method.rfind("DevicesDetection.", 0) == 0 ||
                            spec.method.rfind("UserCountry.", 0) == 0;
  if (day.truncated_visits > 0 && !(visit_report && visit_counters.count(metric))) {
    return "visits Live cut at 500 actions (" + std::to_string(day.truncated_visits) +
           " on this day): Matomo's reports count the actions Live left out";
  }
  if (metric == "sum_time_spent" && w > m) {
    return "Matomo restarts its time-on-page clock at hits Live does not list (ecommerce cart updates, pings)";
  }
  const bool action_report = spec.method.rfind("Actions.", 0) == 0 || spec.method.rfind("CustomDimensions.", 0) == 0;
  if (metric == "nb_uniq_visitors" && action_report && w > 0 && w < m && day.user_id_visits > 0) {
    return "Matomo counts an action's own visitor id, which changes within a visit when a user id is set; Live "
           "gives one visitor id per visit";
  }
  if (spec.method == "Goals.getItemsCategory" && (w < m || metric == "avg_price")) {
    return "Live gives an ordered item's and a product view's first category only; Matomo also counts the "
           "deeper ones";
  }
  if (spec.method == "Actions.getPageTitles" && metric.rfind("entry_", 0) == 0 && w > m &&
      day.after_midnight_returning > 0) {
    return "Matomo may record no entry title for the part of a visit it split at midnight";
  }
  return "";
}

std::optional<double> Number(simdjson::dom::element e) {
  double d;
  if (e.is_number() && !e.get_double().get(d)) return d;
  int64_t i;
  if (!e.get_int64().get(i)) return static_cast<double>(i);
  uint64_t u;
  if (!e.get_uint64().get(u)) return static_cast<double>(u);
  std::string_view s;
  if (!e.get_string().get(s) && !s.empty()) {
    std::string text(s);
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (end && *end == '\0') return v;
  }
  return std::nullopt;
}

std::string Text(simdjson::dom::element e) {
  std::string_view s;
  if (!e.get_string().get(s)) return std::string(s);
  if (e.is_null()) return "";
  return std::string(simdjson::minify(e));
}

ReportRow ParseRow(simdjson::dom::object o, const ReportSpec& spec) {
  ReportRow row;
  for (auto field : o) {
    std::string key(field.key);
    if (key == "label") {
      row.label = Text(field.value);
    } else if (auto n = Number(field.value)) {
      row.metrics[key] = *n;
    }
  }
  row.key = row.label;
  if (!spec.type_column.empty() && row.label != "Others") {
    simdjson::dom::element type;
    if (!o["referer_type"].get(type)) row.key = Text(type) + '\x1f' + row.label;
  }
  return row;
}

}  // namespace

std::string ReportSpec::name() const {
  std::string out = method;
  for (const auto& [k, v] : params) {
    if (k == "flat") continue;
    out += " " + k + "=" + v;
  }
  return out;
}

void AddDerivedMetrics(std::map<std::string, double>& metrics) {
  auto n = metrics.find("nb_hits_with_page_load_time"), sum = metrics.find("sum_page_load_time_ms");
  if (n != metrics.end() && sum != metrics.end()) {
    metrics["avg_page_load_time"] = n->second > 0 ? sum->second / n->second / 1000 : 0;
  }
}

std::string ReferrerTypeCode(const std::string& type) {
  static const std::map<std::string, std::string> codes = {{"direct", "1"},   {"search", "2"}, {"website", "3"},
                                                           {"campaign", "6"}, {"social", "7"}, {"ai", "8"}};
  auto it = codes.find(type);
  return it == codes.end() ? type : it->second;
}

std::vector<ReportSpec> ReportSpecsForSite(const std::vector<int64_t>& goal_ids, bool ecommerce,
                                           const std::vector<std::pair<int64_t, std::string>>& dimensions) {
  std::vector<ReportSpec> out;
  out.push_back(Spec("Actions.getPageUrls", "matomo_pages_daily", {{"report", "Actions.getPageUrls"}}, PageMetrics(),
                     {{"flat", "1"}}));
  out.push_back(Spec("Actions.getPageTitles", "matomo_page_titles_daily", {{"report", "Actions.getPageTitles"}},
                     PageMetrics(), {{"flat", "1"}}));
  out.push_back(Spec("Referrers.getReferrerType", "matomo_referrers_daily", {{"report", "Referrers.getReferrerType"}},
                     VisitMetrics()));
  ReportSpec all = Spec("Referrers.getAll", "matomo_referrers_daily", {{"report", "Referrers.getAll"}}, VisitMetrics());
  all.type_column = "referrer_type";
  out.push_back(all);
  out.push_back(
      Spec("Referrers.getCampaigns", "matomo_campaigns_daily", {{"report", "Referrers.getCampaigns"}}, VisitMetrics()));
  out.push_back(Spec("DevicesDetection.getType", "matomo_devices_daily", {{"report", "DevicesDetection.getType"}},
                     VisitMetrics()));
  out.push_back(
      Spec("UserCountry.getCountry", "matomo_countries_daily", {{"report", "UserCountry.getCountry"}}, VisitMetrics()));
  const Metrics events = Same({"nb_events", "nb_visits", "nb_uniq_visitors", "nb_events_with_value", "sum_event_value",
                               "min_event_value", "max_event_value"});
  for (const char* m : {"Events.getCategory", "Events.getAction", "Events.getName"}) {
    out.push_back(Spec(m, "matomo_events_daily", {{"report", m}}, events));
  }
  out.push_back(Spec("Actions.getSiteSearchKeywords", "matomo_site_search_daily",
                     {{"report", "Actions.getSiteSearchKeywords"}},
                     Same({"nb_hits", "nb_visits", "sum_time_spent", "exit_nb_visits", "nb_pages_per_search"})));
  auto goal = [&](std::string id, Metrics metrics) {
    ReportSpec s =
        Spec("Goals.get", "matomo_goals_daily", {{"report", "Goals.get"}, {"goal_id", id}}, std::move(metrics));
    if (!id.empty()) s.params = {{"idGoal", id}};
    s.single_row = true;
    out.push_back(std::move(s));
  };
  goal("", Same({"nb_conversions", "nb_visits_converted", "revenue"}));
  for (int64_t id : goal_ids) goal(std::to_string(id), Same({"nb_conversions", "nb_visits_converted", "revenue"}));
  if (ecommerce) {
    goal("ecommerceOrder", Same({"nb_conversions", "nb_visits_converted", "revenue", "revenue_subtotal", "revenue_tax",
                                 "revenue_shipping", "revenue_discount", "items"}));
    goal("ecommerceAbandonedCart", Same({"nb_conversions", "nb_visits_converted", "revenue", "items"}));
    const Metrics ordered = Same({"revenue", "quantity", "orders", "nb_visits", "nb_actions", "avg_price"});
    Metrics abandoned = ordered;
    abandoned[2] = {"abandoned_carts", "orders"};
    for (const char* m : {"Goals.getItemsSku", "Goals.getItemsCategory"}) {
      out.push_back(Spec(m, "matomo_items_daily", {{"report", m}, {"abandoned_cart", "false"}}, ordered));
      out.push_back(Spec(m, "matomo_items_daily", {{"report", m}, {"abandoned_cart", "true"}}, abandoned,
                         {{"abandonedCarts", "1"}}));
    }
  }
  for (const auto& [id, scope] : dimensions) {
    Metrics metrics = scope == "action" ? Same({"nb_hits", "nb_visits", "nb_uniq_visitors"}) : VisitMetrics();
    out.push_back(Spec("CustomDimensions.getCustomDimension", "matomo_custom_dimensions_daily",
                       {{"report", "CustomDimensions.getCustomDimension"}, {"dimension_id", std::to_string(id)}},
                       std::move(metrics), {{"idDimension", std::to_string(id)}}));
  }
  return out;
}

Result<std::map<std::string, std::vector<ReportRow>>> ParseReportResponse(const std::string& body,
                                                                          const ReportSpec& spec) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body).get(doc)) {
    return Error(ErrorKind::kData, spec.name() + ": Matomo's answer is not JSON");
  }
  simdjson::dom::object by_date;
  if (doc.get_object().get(by_date)) {
    return Error(ErrorKind::kData, spec.name() + ": expected an object keyed by date (period=day&date=A,B)");
  }
  std::string_view result;
  if (!by_date["result"].get_string().get(result) && result == "error") {
    std::string_view message;
    if (by_date["message"].get_string().get(message)) message = "(no message)";
    return Error(ErrorKind::kTerminal, spec.name() + ": Matomo answered an error: " + std::string(message));
  }
  std::map<std::string, std::vector<ReportRow>> out;
  for (auto field : by_date) {
    std::vector<ReportRow>& rows = out[std::string(field.key)];
    simdjson::dom::array list;
    simdjson::dom::object one;
    if (!field.value.get_array().get(list)) {
      for (simdjson::dom::element e : list) {
        simdjson::dom::object o;
        if (!e.get_object().get(o)) rows.push_back(ParseRow(o, spec));
      }
    } else if (!field.value.get_object().get(one)) {
      rows.push_back(ParseRow(one, spec));
      if (spec.single_row) rows.back().key = "";
    }
  }
  return out;
}

std::vector<ReportDifference> CompareReport(const ReportSpec& spec, int64_t site_id, CivilDate date,
                                            const std::vector<ReportRow>& warehouse,
                                            const std::vector<ReportRow>& matomo, const ReportDayContext& day) {
  std::map<std::string, const ReportRow*> m_rows, w_rows;
  for (const auto& r : matomo) m_rows[r.key] = &r;
  for (const auto& r : warehouse) w_rows[r.key] = &r;
  // Matomo's "Others" row sums the rows its archive dropped (row limits): the warehouse's rows that Matomo
  // does not list are compared with it as one.
  ReportRow others;
  others.key = others.label = "Others";
  const bool fold = m_rows.count("Others") && !w_rows.count("Others");
  std::set<std::string> keys;
  for (const auto& [k, r] : m_rows) keys.insert(k);
  for (const auto& [k, r] : w_rows) {
    if (fold && !m_rows.count(k)) {
      for (const auto& [metric, v] : r->metrics) others.metrics[metric] += v;
    } else {
      keys.insert(k);
    }
  }
  if (fold) w_rows["Others"] = &others;
  std::vector<ReportDifference> out;
  for (const std::string& key : keys) {
    const ReportRow* w = w_rows.count(key) ? w_rows[key] : nullptr;
    const ReportRow* m = m_rows.count(key) ? m_rows[key] : nullptr;
    for (const auto& [metric, column] : spec.metrics) {
      double wv = 0, mv = 0;
      if (w) {
        auto it = w->metrics.find(column);
        if (it != w->metrics.end()) wv = it->second;
      }
      if (m) {
        auto it = m->metrics.find(metric);
        if (it != m->metrics.end()) mv = it->second;
      }
      // Matomo's avg_page_load_time adds six averages (one per timing), each rounded to 3 decimals: Live's
      // one total can be 6 * 0.0005 s away from it.
      if (metric == "avg_page_load_time" ? std::fabs(wv - mv) <= 0.0035 : SameAsMatomo(wv, mv, DecimalsOf(metric))) {
        continue;
      }
      ReportDifference d;
      d.site_id = site_id;
      d.date = date;
      d.report = spec.name();
      d.label = w ? w->label : m->label;
      d.metric = metric;
      d.warehouse = wv;
      d.matomo = mv;
      d.explanation = Explain(spec, metric, wv, mv, day);
      out.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace metl::models
