#include "models/reconcile.h"

#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "normalize/coerce.h"

namespace metl::models {

const std::vector<std::pair<std::string, std::string>>& ComparedMetrics() {
  static const std::vector<std::pair<std::string, std::string>> m = {
      {"nb_visits", "VisitsSummary.get"},       {"nb_uniq_visitors", "VisitsSummary.get"},
      {"nb_users", "VisitsSummary.get"},        {"nb_actions", "VisitsSummary.get"},
      {"nb_visits_converted", "VisitsSummary.get"}, {"bounce_count", "VisitsSummary.get"},
      {"sum_visit_length", "VisitsSummary.get"}, {"max_actions", "VisitsSummary.get"},
      {"nb_pageviews", "Actions.get"},          {"nb_conversions", "Goals.get"},
      {"revenue", "Goals.get"}};
  return m;
}

bool IsMoneyMetric(const std::string& metric) { return metric == "revenue"; }

std::optional<int64_t> MoneyTextToCents(std::string_view text) {
  if (auto cents = ParseDecimalScaled(text, 2, INT64_MAX)) return cents;
  if (!IsDecimalLiteral(text)) return std::nullopt;
  return TrimAscii(text).front() == '-' ? -INT64_MAX : INT64_MAX;  // a number past int64 cents: saturate
}

std::vector<Difference> Reconcile(const std::vector<DayFigures>& days) {
  std::vector<Difference> out;
  for (const DayFigures& d : days) {
    for (const auto& [metric, method] : ComparedMetrics()) {
      auto w = d.warehouse.find(metric);
      int64_t wv = w == d.warehouse.end() ? 0 : w->second;
      auto m = d.matomo.find(metric);
      int64_t mv = m == d.matomo.end() ? 0 : m->second;  // [] or a missing field: Matomo's zero
      if (wv == mv) continue;
      Difference diff{d.site_id, d.date, metric, wv, mv, false, ""};
      // Live drops the tail of a visit past 500 actions; goals, orders and pageviews in that tail
      // are missing from the warehouse while Matomo's archives count them: only ever fewer.
      bool truncation_metric = metric == "nb_pageviews" || metric == "nb_conversions" || metric == "revenue";
      if (truncation_metric && d.truncated_visits > 0 && wv < mv) {
        diff.explained = true;
        diff.note = "explained by " + std::to_string(d.truncated_visits) + " truncated visit(s):";
        for (size_t i = 0; i < d.truncated_ids.size() && i < 5; ++i) diff.note += " " + std::to_string(d.truncated_ids[i]);
      }
      out.push_back(std::move(diff));
    }
  }
  return out;
}

Result<std::map<std::string, Metrics>> ParseDailyAggregates(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body).get(doc)) return Error(ErrorKind::kTransient, "Matomo's aggregate response is not JSON");
  std::map<std::string, Metrics> out;
  simdjson::dom::object days;
  if (doc.get_object().get(days)) return out;  // [] for a range without any data
  for (auto [date, value] : days) {
    Metrics& m = out[std::string(date)];
    simdjson::dom::object metrics;
    if (value.get_object().get(metrics)) continue;  // [] = a day without data
    for (auto [key, v] : metrics) {
      std::string k(key);
      if (IsMoneyMetric(k)) {
        std::optional<int64_t> cents;
        if (v.is_string()) cents = MoneyTextToCents(v.get_string().value());
        if (v.is_int64()) cents = MoneyTextToCents(std::to_string(v.get_int64().value()));
        if (v.is_double()) cents = MoneyTextToCents(std::to_string(v.get_double().value()));
        if (cents) m[k] = *cents;
        continue;
      }
      double d = 0;
      if (v.is_string()) {
        std::string_view s = v.get_string().value();
        char* end = nullptr;
        std::string copy(s);
        d = std::strtod(copy.c_str(), &end);
        if (end == copy.c_str() || *end != '\0') continue;  // "26%" and other display strings
      } else if (v.is_number()) {
        d = v.get_double().value();
      } else {
        continue;
      }
      m[k] = static_cast<int64_t>(std::llround(d));
    }
  }
  return out;
}

}  // namespace metl::models
