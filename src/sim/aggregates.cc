#include "sim/aggregates.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>

#include "sim/visit_json_writer.h"

namespace metl::sim {
namespace {

// A ratio rounded to `decimals` places, written like PHP writes round()'s result (no trailing zeros).
void AppendRounded(std::string& out, int64_t num, int64_t den, int decimals) {
  if (den == 0) {
    out += "0";
    return;
  }
  int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  // Round half away from zero like PHP's round(), in integers.
  int64_t scaled = (2 * num * scale + den) / (2 * den);
  AppendInt(out, scaled / scale);
  int64_t frac = scaled % scale;
  if (frac == 0) return;
  out += ".";
  std::string digits;
  for (int i = 0; i < decimals; ++i) {
    scale /= 10;
    digits.push_back(static_cast<char>('0' + frac / scale % 10));
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  out += digits;
}

}  // namespace

bool ParseMicros(std::string_view text, int64_t& micros) {
  micros = 0;
  if (text.empty()) return false;
  bool negative = false;
  size_t i = 0;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    ++i;
  }
  int64_t whole = 0;
  bool digits = false;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    whole = whole * 10 + (text[i] - '0');
    digits = true;
    if (whole > 9'000'000'000'000) return false;
  }
  int64_t frac = 0;
  int frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      digits = true;
      // Beyond micro-units, round half up on the 7th digit and ignore the rest.
      if (frac_digits < 6) {
        frac = frac * 10 + (text[i] - '0');
        ++frac_digits;
      } else if (frac_digits == 6) {
        if (text[i] >= '5') ++frac;
        ++frac_digits;
      }
    }
  }
  if (!digits || i != text.size()) return false;
  for (int k = std::min(frac_digits, 6); k < 6; ++k) frac *= 10;
  micros = whole * 1'000'000 + frac;
  if (negative) micros = -micros;
  return true;
}

std::string FormatMicros(int64_t micros) {
  std::string out;
  if (micros < 0) {
    out += "-";
    micros = -micros;
  }
  AppendInt(out, micros / 1'000'000);
  int64_t frac = micros % 1'000'000;
  if (frac != 0) {
    std::string digits(6, '0');
    for (int i = 5; i >= 0; --i) {
      digits[static_cast<size_t>(i)] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

std::string VisitsSummaryJson(const std::vector<const SimVisit*>& visits) {
  if (visits.empty()) return "[]";
  std::unordered_set<std::string_view> visitors, users;
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
  const auto n = static_cast<int64_t>(visits.size());
  std::string out = "{\"nb_uniq_visitors\":";
  AppendInt(out, static_cast<int64_t>(visitors.size()));
  out += ",\"nb_users\":";
  AppendInt(out, static_cast<int64_t>(users.size()));
  out += ",\"nb_visits\":";
  AppendInt(out, n);
  out += ",\"nb_actions\":";
  AppendInt(out, actions);
  out += ",\"nb_visits_converted\":";
  AppendInt(out, converted);
  out += ",\"bounce_count\":";
  AppendInt(out, bounces);
  out += ",\"sum_visit_length\":";
  AppendInt(out, length);
  out += ",\"max_actions\":";
  AppendInt(out, max_actions);
  out += ",\"bounce_rate\":\"";
  AppendRounded(out, bounces * 100, n, 0);
  out += "%\",\"nb_actions_per_visit\":";
  AppendRounded(out, actions, n, 1);
  out += ",\"avg_time_on_site\":";
  AppendRounded(out, length, n, 0);
  out += "}";
  return out;
}

std::string ActionsJson(const std::vector<const SimVisit*>& visits) {
  if (visits.empty()) return "[]";
  int64_t pv = 0, upv = 0, dl = 0, udl = 0, ol = 0, uol = 0, searches = 0;
  std::unordered_set<std::string_view> keywords;
  for (const SimVisit* v : visits) {
    pv += v->pageviews;
    upv += v->uniq_pageviews;
    dl += v->downloads;
    udl += v->uniq_downloads;
    ol += v->outlinks;
    uol += v->uniq_outlinks;
    searches += v->searches;
    for (const auto& k : v->search_keywords) keywords.insert(k);
  }
  std::string out = "{\"nb_pageviews\":";
  AppendInt(out, pv);
  out += ",\"nb_uniq_pageviews\":";
  AppendInt(out, upv);
  out += ",\"nb_downloads\":";
  AppendInt(out, dl);
  out += ",\"nb_uniq_downloads\":";
  AppendInt(out, udl);
  out += ",\"nb_outlinks\":";
  AppendInt(out, ol);
  out += ",\"nb_uniq_outlinks\":";
  AppendInt(out, uol);
  out += ",\"nb_searches\":";
  AppendInt(out, searches);
  out += ",\"nb_keywords\":";
  AppendInt(out, static_cast<int64_t>(keywords.size()));
  out += "}";
  return out;
}

Result<std::string> GoalsJson(const std::vector<const SimVisit*>& visits, std::optional<std::string_view> id_goal) {
  // Which conversions count: all goals and orders by default (abandoned carts never).
  bool all = !id_goal.has_value() || id_goal->empty();
  int64_t goal = 0;
  if (!all) {
    std::string_view g = *id_goal;
    if (g == "ecommerceOrder") {
      goal = 0;
    } else if (g == "ecommerceAbandonedCart") {
      goal = -1;
    } else {
      int64_t micros = 0;
      if (!ParseMicros(g, micros) || micros % 1'000'000 != 0) {
        return Error(ErrorKind::kTerminal, "idGoal must be a goal id, ecommerceOrder or ecommerceAbandonedCart");
      }
      goal = micros / 1'000'000;
    }
  }
  const bool ecommerce = !all && goal <= 0;
  int64_t conversions = 0, visits_converted = 0, revenue = 0, items = 0;
  for (const SimVisit* v : visits) {
    bool any = false;
    for (const auto& c : v->conversions) {
      bool counts = all ? c.goal_id >= 0 : c.goal_id == goal;
      if (!counts) continue;
      any = true;
      ++conversions;
      int64_t micros = 0;
      if (ParseMicros(c.revenue, micros)) revenue += micros;
      items += c.items;
    }
    visits_converted += any ? 1 : 0;
  }
  const auto n = static_cast<int64_t>(visits.size());
  std::string out = "{\"nb_conversions\":";
  AppendInt(out, conversions);
  out += ",\"nb_visits_converted\":";
  AppendInt(out, visits_converted);
  out += ",\"revenue\":";
  out += FormatMicros(revenue);
  out += ",\"conversion_rate\":\"";
  AppendRounded(out, visits_converted * 100, n, 2);
  out += "%\"";
  if (ecommerce) {
    out += ",\"items\":";
    AppendInt(out, items);
    out += ",\"avg_order_revenue\":";
    out += conversions == 0 ? "0" : FormatMicros((revenue + conversions / 2) / conversions / 10000 * 10000);
  }
  out += "}";
  return out;
}

}  // namespace metl::sim
