#include "sim/report_api.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "sim/php_json.h"

namespace metl::sim {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// One visit's facts that the reports need, read from its Live JSON.
struct Entry {
  std::string type;  // action, event, search, download, outlink, goal, ecommerceOrder, ecommerceAbandonedCart, 13
  std::string url, title, category, action, name, keyword, sku, view_category, order_key;
  std::optional<double> event_value, view_price, page_load_ms;
  double revenue = 0, subtotal = 0, tax = 0, shipping = 0, discount = 0;
  int64_t items = 0, timestamp = 0;
  std::map<std::string, std::string> dimensions;  // dimensionN -> value
  struct Item {
    std::string sku, category;
    double price = 0;
    int64_t quantity = 0;
  };
  std::vector<Item> item_details;
};
struct Visit {
  int64_t id = 0, actions = 0, duration = 0;
  std::string visitor, user, referrer_type, referrer_name, referrer_keyword, device, country;
  bool converted = false;
  std::map<std::string, std::string> dimensions;
  std::vector<Entry> entries;
};

std::string Str(element e) {
  std::string_view s;
  if (!e.get_string().get(s)) return std::string(s);
  int64_t i;
  if (!e.get_int64().get(i)) return std::to_string(i);
  return "";
}
double Num(element e) {
  double d;
  if (!e.get_double().get(d)) return d;
  int64_t i;
  if (!e.get_int64().get(i)) return static_cast<double>(i);
  std::string_view s;
  if (!e.get_string().get(s)) return std::strtod(std::string(s).c_str(), nullptr);
  return 0;
}
std::optional<double> OptNum(element e) {
  if (e.is_null()) return std::nullopt;
  std::string_view s;
  if (!e.get_string().get(s) && s.empty()) return std::nullopt;
  return Num(e);
}

Result<Visit> ReadVisit(simdjson::dom::parser& parser, const SimVisit& sim) {
  element doc;
  if (parser.parse(sim.json).get(doc)) return Error(ErrorKind::kData, "visit JSON does not parse");
  object o;
  if (doc.get_object().get(o)) return Error(ErrorKind::kData, "visit JSON is not an object");
  Visit v;
  v.id = sim.id_visit;
  for (auto f : o) {
    std::string_view k = f.key;
    if (k == "visitorId")
      v.visitor = Str(f.value);
    else if (k == "userId")
      v.user = Str(f.value);
    else if (k == "actions")
      v.actions = static_cast<int64_t>(Num(f.value));
    else if (k == "visitDuration")
      v.duration = static_cast<int64_t>(Num(f.value));
    else if (k == "visitConverted")
      v.converted = Num(f.value) != 0;
    else if (k == "referrerType")
      v.referrer_type = Str(f.value);
    else if (k == "referrerName")
      v.referrer_name = Str(f.value);
    else if (k == "referrerKeyword")
      v.referrer_keyword = Str(f.value);
    else if (k == "deviceType")
      v.device = Str(f.value);
    else if (k == "country")
      v.country = Str(f.value);
    else if (k.rfind("dimension", 0) == 0 && !f.value.is_null())
      v.dimensions[std::string(k.substr(9))] = Str(f.value);
  }
  simdjson::dom::array details;
  if (o["actionDetails"].get_array().get(details)) return v;
  for (element a : details) {
    object ao;
    if (a.get_object().get(ao)) continue;
    Entry e;
    for (auto f : ao) {
      std::string_view k = f.key;
      if (k == "type")
        e.type = Str(f.value);
      else if (k == "url")
        e.url = Str(f.value);
      else if (k == "pageTitle")
        e.title = Str(f.value);
      else if (k == "eventCategory")
        e.category = Str(f.value);
      else if (k == "eventAction")
        e.action = Str(f.value);
      else if (k == "eventName")
        e.name = Str(f.value);
      else if (k == "eventValue")
        e.event_value = OptNum(f.value);
      else if (k == "siteSearchKeyword")
        e.keyword = Str(f.value);
      else if (k == "timestamp")
        e.timestamp = static_cast<int64_t>(Num(f.value));
      else if (k == "revenue")
        e.revenue = Num(f.value);
      else if (k == "revenueSubTotal")
        e.subtotal = Num(f.value);
      else if (k == "revenueTax")
        e.tax = Num(f.value);
      else if (k == "revenueShipping")
        e.shipping = Num(f.value);
      else if (k == "revenueDiscount")
        e.discount = Num(f.value);
      else if (k == "items")
        e.items = static_cast<int64_t>(Num(f.value));
      else if (k == "productViewSku")
        e.sku = Str(f.value);
      else if (k == "productViewPrice")
        e.view_price = OptNum(f.value);
      else if (k == "pageLoadTimeMilliseconds")
        e.page_load_ms = OptNum(f.value);
      else if (k == "productViewCategories") {
        simdjson::dom::array cats;
        if (!f.value.get_array().get(cats)) {
          for (element c : cats) {
            e.view_category = Str(c);
            break;
          }
        }
      } else if (k == "itemDetails") {
        simdjson::dom::array items;
        if (!f.value.get_array().get(items)) {
          for (element it : items) {
            Entry::Item item;
            item.sku = Str(it["itemSKU"]);
            item.category = Str(it["itemCategory"]);
            item.price = Num(it["price"]);
            item.quantity = static_cast<int64_t>(Num(it["quantity"]));
            e.item_details.push_back(item);
          }
        }
      } else if (k.rfind("dimension", 0) == 0 && !f.value.is_null()) {
        e.dimensions[std::string(k.substr(9))] = Str(f.value);
      }
    }
    v.entries.push_back(std::move(e));
  }
  return v;
}

// A report row under construction: additive metrics and distinct sets.
struct Row {
  std::map<std::string, double> sum;
  std::map<std::string, std::set<std::string>> distinct;
  std::optional<double> min_value, max_value;
  std::map<std::string, std::string> extra;  // text fields (referer_type, code)
};
using Rows = std::map<std::string, Row>;

std::string Format(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", std::round(v * 100) / 100);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// Rows as Matomo's JSON list; distinct sets become counts, zero metrics are left out as Matomo often does.
std::string RenderRows(const Rows& rows) {
  std::string out = "[";
  for (const auto& [label, r] : rows) {
    if (out.size() > 1) out += ',';
    out += "{\"label\":" + PhpJsonString(label);
    for (const auto& [k, v] : r.extra) out += ",\"" + k + "\":" + v;
    for (const auto& [k, v] : r.sum) {
      if (v != 0) out += ",\"" + k + "\":" + Format(v);
    }
    for (const auto& [k, set] : r.distinct) out += ",\"" + k + "\":" + std::to_string(set.size());
    if (r.min_value) out += ",\"min_event_value\":" + Format(*r.min_value);
    if (r.max_value) out += ",\"max_event_value\":" + Format(*r.max_value);
    out += "}";
  }
  return out + "]";
}

void AddVisit(Row& r, const Visit& v) {
  r.sum["nb_visits"] += 1;
  r.distinct["nb_uniq_visitors"].insert(v.visitor);
  auto& users = r.distinct["nb_users"];
  if (!v.user.empty()) users.insert(v.user);
  r.sum["nb_actions"] += static_cast<double>(v.actions);
  r.sum["max_actions"] = std::max(r.sum["max_actions"], static_cast<double>(v.actions));
  r.sum["sum_visit_length"] += static_cast<double>(v.duration);
  r.sum["bounce_count"] += v.actions <= 1 ? 1 : 0;
  r.sum["nb_visits_converted"] += v.converted ? 1 : 0;
  for (const Entry& e : v.entries) {
    if (e.type == "goal" || e.type == "ecommerceOrder") {
      r.sum["nb_conversions"] += 1;
      r.sum["revenue"] += e.revenue;
    }
  }
}

std::string VisitLabel(const std::string& method, const Visit& v, const ReportParams& p, std::string* type_code) {
  if (method == "Referrers.getReferrerType") {
    static const std::map<std::string, std::string> names = {{"direct", "Direct Entry"},
                                                             {"search", "Search Engines"},
                                                             {"website", "Websites"},
                                                             {"campaign", "Campaigns"},
                                                             {"social", "Social Networks"}};
    auto it = names.find(v.referrer_type);
    return it == names.end() ? v.referrer_type : it->second;
  }
  if (method == "Referrers.getAll") {
    static const std::map<std::string, std::string> codes = {
        {"search", "2"}, {"website", "3"}, {"campaign", "6"}, {"social", "7"}};
    auto it = codes.find(v.referrer_type);
    if (it == codes.end()) return "";
    *type_code = it->second;
    if (v.referrer_type == "search") return v.referrer_keyword.empty() ? "Keyword not defined" : v.referrer_keyword;
    return v.referrer_name;
  }
  if (method == "Referrers.getCampaigns") return v.referrer_type == "campaign" ? v.referrer_name : "";
  if (method == "DevicesDetection.getType") return v.device.empty() ? "Unknown" : v.device;
  if (method == "UserCountry.getCountry") return v.country.empty() ? "Unknown" : v.country;
  if (method == "CustomDimensions.getCustomDimension") {
    auto it = v.dimensions.find(p.id_dimension.value_or(""));
    return it == v.dimensions.end() ? "" : it->second;
  }
  return "";
}

std::string PathOf(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url.empty() ? "/" : url;
  size_t path = url.find_first_of("/?#", scheme + 3);
  std::string out = path == std::string::npos ? "" : url.substr(path);
  return out.empty() ? "/" : out;
}

bool IsHit(const Entry& e) {  // an entry with a log_link_visit_action row (not a goal or ecommerce entry)
  return e.type != "goal" && e.type != "ecommerceOrder" && e.type != "ecommerceAbandonedCart";
}

// Pages, titles and site search keywords: hits, visits, time (each later hit's seconds since the previous
// entry, events apart, go to the last page or search before it), entries and exits.
Rows ActionRows(const std::string& method, const std::vector<Visit>& visits) {
  const bool titles = method == "Actions.getPageTitles", search = method == "Actions.getSiteSearchKeywords";
  Rows rows;
  for (const Visit& v : visits) {
    auto anchor_of = [&](const Entry& e) {
      if (e.type == "search") return true;
      return e.type == "action" && (!titles && !search ? true : !e.title.empty());
    };
    auto label_of = [&](const Entry& e) -> std::string {
      if (search) return e.type == "search" ? e.keyword : "";
      if (e.type != "action") return "";
      if (titles) return e.title.empty() ? "Page Name not defined" : e.title;
      return PathOf(e.url);
    };
    int first_page = -1, exit = -1;
    for (size_t i = 0; i < v.entries.size(); ++i) {
      if (first_page < 0 && v.entries[i].type == "action") first_page = static_cast<int>(i);
      if (anchor_of(v.entries[i])) exit = static_cast<int>(i);
    }
    int anchor = -1;
    int64_t previous = v.entries.empty() ? 0 : v.entries[0].timestamp;
    for (size_t i = 0; i < v.entries.size(); ++i) {
      const Entry& e = v.entries[i];
      const int64_t spent = std::clamp<int64_t>(e.timestamp - previous, 0, 1800);
      previous = e.timestamp;
      if (IsHit(e) && e.type != "event" && anchor >= 0) {
        std::string label = label_of(v.entries[anchor]);
        if (!label.empty()) rows[label].sum["sum_time_spent"] += static_cast<double>(spent);
      }
      std::string label = label_of(e);
      if (!label.empty()) {
        Row& r = rows[label];
        r.sum["nb_hits"] += 1;
        r.distinct["nb_visits"].insert(std::to_string(v.id));
        if (!search) r.distinct["nb_uniq_visitors"].insert(v.visitor);
        if (static_cast<int>(i) == first_page && (!titles || !e.title.empty())) {
          r.sum["entry_nb_visits"] += 1;
          r.sum["entry_nb_actions"] += static_cast<double>(v.actions);
          r.sum["entry_sum_visit_length"] += static_cast<double>(v.duration);
          r.sum["entry_bounce_count"] += v.actions <= 1 ? 1 : 0;
        }
        if (static_cast<int>(i) == exit) r.sum["exit_nb_visits"] += 1;
        if (!search && e.page_load_ms) {
          r.sum["page_load_hits"] += 1;
          r.sum["page_load_ms"] += *e.page_load_ms;
        }
      }
      if (anchor_of(e)) anchor = static_cast<int>(i);
    }
  }
  for (auto& [label, r] : rows) {  // avg_page_load_time in seconds, 3 decimals, as Matomo
    if (search) break;
    const double n = r.sum["page_load_hits"];
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", n > 0 ? r.sum["page_load_ms"] / n / 1000 : 0.0);
    r.extra["avg_page_load_time"] = buf;
    r.sum.erase("page_load_hits");
    r.sum.erase("page_load_ms");
  }
  if (search) {
    for (auto& [label, r] : rows) {
      double searched = static_cast<double>(r.distinct["nb_visits"].size());
      double pages = searched > 0 ? std::round(r.sum["nb_hits"] / searched * 10) / 10 : 0;
      r.extra["nb_pages_per_search"] = Format(pages);
    }
  }
  return rows;
}

// Events: each report's rows sum its subtable rows (category by action, action by name, name by action).
Rows EventRows(const std::string& method, const std::vector<Visit>& visits) {
  std::map<std::string, Rows> sub;  // label -> secondary -> row
  for (const Visit& v : visits) {
    for (const Entry& e : v.entries) {
      if (e.type != "event") continue;
      std::string category = e.category.empty() ? "Event Category not defined" : e.category;
      std::string action = e.action.empty() ? "Event Action not defined" : e.action;
      std::string name = e.name.empty() ? "Event Name not defined" : e.name;
      std::string label = method == "Events.getCategory" ? category : method == "Events.getAction" ? action : name;
      std::string secondary = method == "Events.getAction" ? name : action;
      Row& r = sub[label][secondary];
      r.sum["nb_events"] += 1;
      r.distinct["nb_visits"].insert(std::to_string(v.id));
      r.distinct["nb_uniq_visitors"].insert(v.visitor);
      if (e.event_value) {
        r.sum["nb_events_with_value"] += 1;
        r.sum["sum_event_value"] += *e.event_value;
        r.min_value = r.min_value ? std::min(*r.min_value, *e.event_value) : *e.event_value;
        r.max_value = r.max_value ? std::max(*r.max_value, *e.event_value) : *e.event_value;
      }
    }
  }
  Rows rows;
  for (const auto& [label, secondaries] : sub) {
    Row& r = rows[label];
    for (const auto& [secondary, s] : secondaries) {
      for (const auto& [k, v] : s.sum) r.sum[k] += v;
      r.sum["nb_visits"] += static_cast<double>(s.distinct.at("nb_visits").size());
      r.sum["nb_uniq_visitors"] += static_cast<double>(s.distinct.at("nb_uniq_visitors").size());
      if (s.min_value) r.min_value = r.min_value ? std::min(*r.min_value, *s.min_value) : *s.min_value;
      if (s.max_value) r.max_value = r.max_value ? std::max(*r.max_value, *s.max_value) : *s.max_value;
    }
  }
  return rows;
}

// Items of orders (or of abandoned carts), and product page views.
Rows ItemRows(const std::string& method, const ReportParams& p, const std::vector<Visit>& visits) {
  const bool by_sku = method == "Goals.getItemsSku";
  const std::string kind = p.abandoned_carts ? "ecommerceAbandonedCart" : "ecommerceOrder";
  Rows rows;
  std::map<std::string, std::pair<double, int64_t>> view_prices;
  for (const Visit& v : visits) {
    for (size_t i = 0; i < v.entries.size(); ++i) {
      const Entry& e = v.entries[i];
      if (e.type == "action" && (!e.sku.empty() || !e.view_category.empty())) {
        std::string label = by_sku ? e.sku : e.view_category;
        if (label.empty()) continue;
        Row& r = rows[label];
        r.distinct["nb_visits"].insert(std::to_string(v.id));
        r.sum["nb_actions"] += 1;
        if (e.view_price) {
          view_prices[label].first += *e.view_price;
          view_prices[label].second += 1;
        }
      }
      if (e.type != kind) continue;
      for (const auto& item : e.item_details) {
        std::string label = by_sku ? item.sku : item.category;
        if (label.empty()) continue;
        Row& r = rows[label];
        r.sum["revenue"] += item.price * static_cast<double>(item.quantity);
        r.sum["quantity"] += static_cast<double>(item.quantity);
        r.distinct[p.abandoned_carts ? "abandoned_carts" : "orders"].insert(std::to_string(v.id) + "/" +
                                                                            std::to_string(i));
      }
    }
  }
  for (auto& [label, r] : rows) {
    double q = r.sum["quantity"];
    double avg = q > 0 ? r.sum["revenue"] / q
                       : (view_prices.count(label) ? view_prices[label].first / view_prices[label].second : 0);
    r.extra["avg_price"] = Format(avg);
  }
  return rows;
}

std::string EcommerceOrderGoal(const std::vector<Visit>& visits) {
  double conversions = 0, revenue = 0, subtotal = 0, tax = 0, shipping = 0, discount = 0, items = 0;
  std::set<int64_t> converted;
  for (const Visit& v : visits) {
    for (const Entry& e : v.entries) {
      if (e.type != "ecommerceOrder") continue;
      conversions += 1;
      converted.insert(v.id);
      revenue += e.revenue;
      subtotal += e.subtotal;
      tax += e.tax;
      shipping += e.shipping;
      discount += e.discount;
      items += static_cast<double>(e.items);
    }
  }
  return "{\"nb_conversions\":" + Format(conversions) + ",\"nb_visits_converted\":" + std::to_string(converted.size()) +
         ",\"revenue\":" + Format(revenue) + ",\"revenue_subtotal\":" + Format(subtotal) +
         ",\"revenue_tax\":" + Format(tax) + ",\"revenue_shipping\":" + Format(shipping) +
         ",\"revenue_discount\":" + Format(discount) + ",\"items\":" + Format(items) + "}";
}

const std::set<std::string>& ReportMethods() {
  static const std::set<std::string> m = {"Actions.getPageUrls",
                                          "Actions.getPageTitles",
                                          "Actions.getSiteSearchKeywords",
                                          "Referrers.getReferrerType",
                                          "Referrers.getAll",
                                          "Referrers.getCampaigns",
                                          "DevicesDetection.getType",
                                          "UserCountry.getCountry",
                                          "Events.getCategory",
                                          "Events.getAction",
                                          "Events.getName",
                                          "Goals.getItemsSku",
                                          "Goals.getItemsCategory",
                                          "CustomDimensions.getCustomDimension"};
  return m;
}

}  // namespace

bool IsReportMethod(const std::string& method) {
  return ReportMethods().count(method) > 0;
}

bool RendersReport(const std::string& method, const ReportParams& params) {
  if (method == "Goals.get") return params.id_goal && *params.id_goal == "ecommerceOrder";
  return IsReportMethod(method);
}

std::string ReportFileKey(const std::string& method, const ReportParams& params) {
  std::string key = method;
  if (params.id_goal && !params.id_goal->empty()) key += "_idGoal-" + *params.id_goal;
  if (params.id_dimension) key += "_idDimension-" + *params.id_dimension;
  if (params.abandoned_carts) key += "_abandoned";
  return key;
}

Result<std::string> RenderReportJson(const std::string& method, const ReportParams& params,
                                     const std::vector<const SimVisit*>& sim_visits) {
  simdjson::dom::parser parser;
  std::vector<Visit> visits;
  visits.reserve(sim_visits.size());
  for (const SimVisit* s : sim_visits) {
    METL_ASSIGN_OR_RETURN(Visit v, ReadVisit(parser, *s));
    visits.push_back(std::move(v));
  }
  if (method == "Goals.get") return EcommerceOrderGoal(visits);
  if (method.rfind("Actions.", 0) == 0) return RenderRows(ActionRows(method, visits));
  if (method.rfind("Events.", 0) == 0) return RenderRows(EventRows(method, visits));
  if (method.rfind("Goals.getItems", 0) == 0) return RenderRows(ItemRows(method, params, visits));
  if (method == "CustomDimensions.getCustomDimension") {
    // Action scope when an action carries the dimension: hits, and visits and visitors summed per page URL.
    const std::string id = params.id_dimension.value_or("");
    bool action_scope = false;
    for (const Visit& v : visits) {
      for (const Entry& e : v.entries) action_scope |= e.dimensions.count(id) > 0;
    }
    if (action_scope) {
      std::map<std::string, Rows> by_url;
      for (const Visit& v : visits) {
        for (const Entry& e : v.entries) {
          auto it = e.dimensions.find(id);
          if (it == e.dimensions.end()) continue;
          Row& r = by_url[it->second][e.url];
          r.sum["nb_hits"] += 1;
          r.distinct["nb_visits"].insert(std::to_string(v.id));
          r.distinct["nb_uniq_visitors"].insert(v.visitor);
        }
      }
      Rows rows;
      for (const auto& [label, urls] : by_url) {
        Row& r = rows[label];
        for (const auto& [url, u] : urls) {
          r.sum["nb_hits"] += u.sum.at("nb_hits");
          r.sum["nb_visits"] += static_cast<double>(u.distinct.at("nb_visits").size());
          r.sum["nb_uniq_visitors"] += static_cast<double>(u.distinct.at("nb_uniq_visitors").size());
        }
      }
      return RenderRows(rows);
    }
  }
  Rows rows;
  for (const Visit& v : visits) {
    std::string type_code;
    std::string label = VisitLabel(method, v, params, &type_code);
    if (label.empty()) continue;
    Row& r = rows[type_code.empty() ? label : type_code + '\x1f' + label];
    if (!type_code.empty()) r.extra["referer_type"] = type_code;
    AddVisit(r, v);
  }
  // Referrers.getAll rows are keyed by type and label; their JSON label is the label alone.
  std::string out = "[";
  for (const auto& [key, r] : rows) {
    size_t sep = key.find('\x1f');
    Rows one;
    one[sep == std::string::npos ? key : key.substr(sep + 1)] = r;
    std::string row = RenderRows(one);
    if (out.size() > 1) out += ',';
    out += row.substr(1, row.size() - 2);
  }
  return out + "]";
}

}  // namespace metl::sim
