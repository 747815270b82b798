#include "sim/aggregate_api.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace metl::sim {
namespace {

// Interim VisitsSummary.get until the generator's aggregates.h is wired in.
std::string VisitsSummary(const std::vector<const SimVisit*>& visits, bool single_day) {
  if (visits.empty()) return "[]";
  std::set<std::string> visitors, users;
  int64_t actions = 0, converted = 0, bounces = 0, length = 0, max_actions = 0;
  for (const SimVisit* v : visits) {
    visitors.insert(v->visitor_id);
    if (!v->user_id.empty()) users.insert(v->user_id);
    actions += v->actions;
    converted += v->converted ? 1 : 0;
    bounces += v->actions <= 1 ? 1 : 0;
    length += v->visit_duration;
    max_actions = std::max(max_actions, v->actions);
  }
  auto n = static_cast<int64_t>(visits.size());
  std::string o = "{";
  if (single_day) o += "\"nb_uniq_visitors\":" + std::to_string(visitors.size()) + ",";
  o += "\"nb_users\":" + std::to_string(users.size()) + ",\"nb_visits\":" + std::to_string(n);
  o += ",\"nb_actions\":" + std::to_string(actions) + ",\"nb_visits_converted\":" + std::to_string(converted);
  o += ",\"bounce_count\":" + std::to_string(bounces) + ",\"sum_visit_length\":" + std::to_string(length);
  o += ",\"max_actions\":" + std::to_string(max_actions);
  o += ",\"bounce_rate\":\"" + std::to_string(static_cast<int64_t>(std::lround(100.0 * bounces / n))) + "%\"";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", std::round(10.0 * actions / n) / 10);
  std::string per_visit = buf;
  if (per_visit.size() > 2 && per_visit.substr(per_visit.size() - 2) == ".0") per_visit.resize(per_visit.size() - 2);
  o += ",\"nb_actions_per_visit\":" + per_visit;
  o += ",\"avg_time_on_site\":" + std::to_string(static_cast<int64_t>(std::lround(static_cast<double>(length) / n)));
  return o + "}";
}

}  // namespace

std::string RenderAggregateJson(const std::string& method, const SimSite& /*site*/,
                                const std::vector<const SimVisit*>& visits, bool single_day) {
  if (method == "VisitsSummary.get") return VisitsSummary(visits, single_day);
  return "[]";
}

}  // namespace metl::sim
