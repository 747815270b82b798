#include "sim/dwc_export.h"

#include <arpa/inet.h>
#include <simdjson.h>
#include <zlib.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "core/base64.h"
#include "core/log.h"
#include "landing/compressed_file.h"
#include "sim/log_actions.h"

namespace metl::sim {
namespace {

namespace fs = std::filesystem;
using simdjson::dom::element;

// Column lists and order of the real Matomo 5.1.2 sample (raw/*.jsonl), which the DWC mapping reads.
const std::vector<std::string_view> kLogVisitColumns = {"idvisit",
                                                        "idsite",
                                                        "idvisitor",
                                                        "visit_last_action_time",
                                                        "config_id",
                                                        "location_ip",
                                                        "profilable",
                                                        "user_id",
                                                        "visit_first_action_time",
                                                        "visit_goal_buyer",
                                                        "visit_goal_converted",
                                                        "visitor_returning",
                                                        "visitor_seconds_since_first",
                                                        "visitor_seconds_since_order",
                                                        "visitor_count_visits",
                                                        "visit_entry_idaction_name",
                                                        "visit_entry_idaction_url",
                                                        "visit_exit_idaction_name",
                                                        "visit_exit_idaction_url",
                                                        "visit_total_actions",
                                                        "visit_total_interactions",
                                                        "visit_total_searches",
                                                        "referer_keyword",
                                                        "referer_name",
                                                        "referer_type",
                                                        "referer_url",
                                                        "location_browser_lang",
                                                        "config_browser_engine",
                                                        "config_browser_name",
                                                        "config_browser_version",
                                                        "config_client_type",
                                                        "config_device_brand",
                                                        "config_device_model",
                                                        "config_device_type",
                                                        "config_os",
                                                        "config_os_version",
                                                        "visit_total_events",
                                                        "visitor_localtime",
                                                        "visitor_seconds_since_last",
                                                        "config_resolution",
                                                        "config_cookie",
                                                        "config_flash",
                                                        "config_java",
                                                        "config_pdf",
                                                        "config_quicktime",
                                                        "config_realplayer",
                                                        "config_silverlight",
                                                        "config_windowsmedia",
                                                        "visit_total_time",
                                                        "location_city",
                                                        "location_country",
                                                        "location_latitude",
                                                        "location_longitude",
                                                        "location_region",
                                                        "last_idlink_va",
                                                        "custom_dimension_1",
                                                        "custom_dimension_2",
                                                        "custom_dimension_3",
                                                        "custom_dimension_4",
                                                        "custom_dimension_5"};
const std::vector<std::string_view> kLvaColumns = {"idlink_va",
                                                   "idsite",
                                                   "idvisitor",
                                                   "idvisit",
                                                   "idaction_url_ref",
                                                   "idaction_name_ref",
                                                   "custom_float",
                                                   "pageview_position",
                                                   "server_time",
                                                   "idpageview",
                                                   "idaction_name",
                                                   "idaction_url",
                                                   "search_cat",
                                                   "search_count",
                                                   "time_spent_ref_action",
                                                   "idaction_product_cat",
                                                   "idaction_product_cat2",
                                                   "idaction_product_cat3",
                                                   "idaction_product_cat4",
                                                   "idaction_product_cat5",
                                                   "idaction_product_name",
                                                   "product_price",
                                                   "idaction_product_sku",
                                                   "idaction_event_action",
                                                   "idaction_event_category",
                                                   "idaction_content_interaction",
                                                   "idaction_content_name",
                                                   "idaction_content_piece",
                                                   "idaction_content_target",
                                                   "time_dom_completion",
                                                   "time_dom_processing",
                                                   "time_network",
                                                   "time_on_load",
                                                   "time_server",
                                                   "time_transfer",
                                                   "time_spent",
                                                   "custom_dimension_1",
                                                   "custom_dimension_2",
                                                   "custom_dimension_3",
                                                   "custom_dimension_4",
                                                   "custom_dimension_5"};
const std::vector<std::string_view> kConversionColumns = {"idvisit",
                                                          "idsite",
                                                          "idvisitor",
                                                          "server_time",
                                                          "idaction_url",
                                                          "idlink_va",
                                                          "idgoal",
                                                          "buster",
                                                          "idorder",
                                                          "items",
                                                          "url",
                                                          "revenue",
                                                          "revenue_shipping",
                                                          "revenue_subtotal",
                                                          "revenue_tax",
                                                          "revenue_discount",
                                                          "pageviews_before",
                                                          "visitor_returning",
                                                          "visitor_seconds_since_first",
                                                          "visitor_seconds_since_order",
                                                          "visitor_count_visits",
                                                          "referer_keyword",
                                                          "referer_name",
                                                          "referer_type",
                                                          "config_browser_name",
                                                          "config_client_type",
                                                          "config_device_brand",
                                                          "config_device_model",
                                                          "config_device_type",
                                                          "location_city",
                                                          "location_country",
                                                          "location_latitude",
                                                          "location_longitude",
                                                          "location_region",
                                                          "custom_dimension_1",
                                                          "custom_dimension_2",
                                                          "custom_dimension_3",
                                                          "custom_dimension_4",
                                                          "custom_dimension_5"};
const std::vector<std::string_view> kItemColumns = {"idsite",
                                                    "idvisitor",
                                                    "server_time",
                                                    "idvisit",
                                                    "idorder",
                                                    "idaction_sku",
                                                    "idaction_name",
                                                    "idaction_category",
                                                    "idaction_category2",
                                                    "idaction_category3",
                                                    "idaction_category4",
                                                    "idaction_category5",
                                                    "price",
                                                    "quantity",
                                                    "deleted"};
const std::vector<std::string_view> kActionColumns = {"idaction", "name", "hash", "type", "url_prefix"};
const std::vector<std::string_view> kSiteColumns = {"idsite",
                                                    "name",
                                                    "main_url",
                                                    "ts_created",
                                                    "ecommerce",
                                                    "sitesearch",
                                                    "sitesearch_keyword_parameters",
                                                    "sitesearch_category_parameters",
                                                    "timezone",
                                                    "currency",
                                                    "exclude_unknown_urls",
                                                    "excluded_ips",
                                                    "excluded_parameters",
                                                    "excluded_user_agents",
                                                    "excluded_referrers",
                                                    "group",
                                                    "type",
                                                    "keep_url_fragment",
                                                    "creator_login"};
const std::vector<std::string_view> kGoalColumns = {
    "idsite",       "idgoal",         "name",           "description", "match_attribute", "pattern",
    "pattern_type", "case_sensitive", "allow_multiple", "revenue",     "deleted",         "event_value_as_revenue"};
const std::vector<std::string_view> kCustomDimensionColumns = {
    "idcustomdimension", "idsite", "name", "index", "scope", "active", "extractions", "case_sensitive"};

std::string Str(std::string_view s) {
  return "\"" + JsonEscape(s) + "\"";
}
std::string Int(int64_t v) {
  return std::to_string(v);
}
// FLOAT/DOUBLE columns as the sample prints them: always with a fraction (0.0, 7.5).
std::string Float(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

// A text that PHP's urldecode() turns back into `s`: '%' and '+' encoded, everything else as is.
std::string UrlDecodable(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') {
      out += "%25";
    } else if (c == '+') {
      out += "%2B";
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> GetStr(element e, const char* key) {
  element v;
  if (e[key].get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  std::string_view s;
  if (v.get(s) == simdjson::SUCCESS) return std::string(s);
  if (v.is_int64()) return std::to_string(int64_t(v));
  if (v.is_double()) return Float(double(v));
  return std::nullopt;
}
std::optional<int64_t> GetInt(element e, const char* key) {
  element v;
  if (e[key].get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  int64_t i;
  if (v.get(i) == simdjson::SUCCESS) return i;
  double d;
  if (v.get(d) == simdjson::SUCCESS) return static_cast<int64_t>(std::llround(d));
  std::string_view s;
  if (v.get(s) == simdjson::SUCCESS && !s.empty()) return std::atoll(std::string(s).c_str());
  return std::nullopt;
}
std::optional<double> GetDouble(element e, const char* key) {
  element v;
  if (e[key].get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  double d;
  if (v.get(d) == simdjson::SUCCESS) return d;
  int64_t i;
  if (v.get(i) == simdjson::SUCCESS) return static_cast<double>(i);
  std::string_view s;
  if (v.get(s) == simdjson::SUCCESS && !s.empty()) return std::atof(std::string(s).c_str());
  return std::nullopt;
}

// One row: column -> JSON text; absent columns are null.
using Row = std::map<std::string, std::string, std::less<>>;
void SetOpt(Row& r, const char* col, const std::optional<std::string>& v) {
  if (v) r[col] = Str(*v);
}
void SetOpt(Row& r, const char* col, const std::optional<int64_t>& v) {
  if (v) r[col] = Int(*v);
}
std::string RowJson(const Row& r, const std::vector<std::string_view>& columns) {
  std::string out = "{";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ", ";
    out += "\"" + std::string(columns[i]) + "\": ";
    auto it = r.find(columns[i]);
    out += it == r.end() ? "null" : it->second;
  }
  return out + "}\n";
}

std::string HexBytes(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}
std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}
std::string IpBytes(const std::string& ip) {
  std::string out;
  if (ip.find(':') == std::string::npos) {
    size_t start = 0;
    for (int i = 0; i < 4; ++i) {
      size_t dot = ip.find('.', start);
      out += static_cast<char>(std::atoi(ip.substr(start, dot - start).c_str()));
      start = dot + 1;
    }
    return out;
  }
  unsigned char buf[16];
  if (inet_pton(AF_INET6, ip.c_str(), buf) == 1) return std::string(reinterpret_cast<char*>(buf), 16);
  return std::string(4, '\0');
}

class Exporter {
 public:
  Exporter(const Dataset& dataset, DwcExportOptions options)
      : dataset_(dataset), o_(std::move(options)), known_(dataset.Actions()) {
    next_id_ = known_ ? known_->MaxId() + 1 : 1;
  }

  std::string Binary(std::string_view bytes, bool ip) const {
    if (o_.binary == "base64") return Str(Base64Encode(bytes));
    if (o_.binary == "mysql") return Str(std::string(ip ? "base64:type15:" : "base64:type254:") + Base64Encode(bytes));
    return Str(ToHex(bytes));
  }

  // The action's idaction: the simulator's own where it has one (the ids its Live shows), else numbered
  // after them. The log_action row is written with the first day that uses it.
  int64_t ActionId(int type, const std::string& name, std::optional<int> url_prefix = std::nullopt) {
    auto key = std::make_pair(type, name);
    auto it = actions_.find(key);
    if (it != actions_.end()) return it->second;
    std::optional<int64_t> known = known_ ? known_->Find(type, name) : std::nullopt;
    int64_t id = known ? *known : next_id_++;
    actions_.emplace(key, id);
    Row r;
    r["idaction"] = Int(id);
    r["name"] = Str(name);
    r["hash"] = Int(
        static_cast<int64_t>(crc32(0L, reinterpret_cast<const Bytef*>(name.data()), static_cast<uInt>(name.size()))));
    r["type"] = Int(type);
    if (url_prefix) r["url_prefix"] = Int(*url_prefix);
    day_rows_["log_action"].push_back(RowJson(r, kActionColumns));
    return id;
  }

  // A URL action as Matomo stores page and event URLs: the scheme (and www.) folded into url_prefix.
  int64_t UrlAction(int type, const std::string& url) {
    LogActionName n = PrefixedUrl(url);
    return ActionId(type, n.name, n.url_prefix);
  }

  int64_t ServerTime(const SimSite& site, int64_t local_as_utc, int64_t lo, int64_t hi) const {
    auto c = site.tz->FromLocal(local_as_utc);
    for (int i = 0; i < c.count; ++i) {
      if (c.utc[i] >= lo && c.utc[i] <= hi) return c.utc[i];
    }
    return site.tz->FromLocalEarliest(local_as_utc);
  }

  Status Visit(const SimSite& site, const SimVisit& visit, simdjson::dom::parser& parser);
  Status WriteDay(CivilDate day);
  Status WriteSiteTables();

  std::map<std::string, std::vector<std::string>> day_rows_;

 private:
  Status WriteFile(const std::string& table, CivilDate day, const std::vector<std::string>& rows);

  const Dataset& dataset_;
  DwcExportOptions o_;
  const LogActions* known_;
  int64_t next_id_ = 1;
  std::map<std::pair<int, std::string>, int64_t> actions_;  // written so far
};

Status Exporter::Visit(const SimSite& site, const SimVisit& visit, simdjson::dom::parser& parser) {
  element v;
  if (parser.parse(visit.json).get(v) != simdjson::SUCCESS) {
    return Error(ErrorKind::kInternal, "the simulator's visit " + std::to_string(visit.id_visit) + " is not JSON");
  }
  const int64_t idvisit = visit.id_visit;
  const std::string idvisitor = Binary(HexBytes(GetStr(v, "visitorId").value_or("0000000000000000")), false);
  const int64_t first = visit.first_action_ts, last = visit.last_action_ts;
  std::optional<std::string> visit_dim = GetStr(v, "dimension1");

  static const std::map<std::string, int, std::less<>> kReferrer = {
      {"direct", 1}, {"search", 2}, {"website", 3}, {"campaign", 6}, {"social", 7}};
  static const std::map<std::string, int, std::less<>> kDeviceType = {
      {"Desktop", 0},  {"Smartphone", 1},     {"Tablet", 2},        {"Feature phone", 3}, {"Console", 4},
      {"TV", 5},       {"Car browser", 6},    {"Smart display", 7}, {"Camera", 8},        {"Portable media player", 9},
      {"Phablet", 10}, {"Smart speaker", 11}, {"Wearable", 12},     {"Peripheral", 13}};
  // device-detector's brand codes for the brands the generator uses (Live shows the names).
  static const std::map<std::string, std::string, std::less<>> kBrand = {
      {"Unknown", ""},  {"Apple", "AP"},  {"Google", "GO"},   {"Samsung", "SA"},
      {"Xiaomi", "XI"}, {"Huawei", "HU"}, {"Motorola", "MR"}, {"OnePlus", "OP"}};
  static const std::map<std::string, int, std::less<>> kBuyer = {
      {"none", 0}, {"ordered", 1}, {"abandonedCart", 2}, {"orderedThenAbandonedCart", 3}};

  Row visit_row;
  visit_row["idvisit"] = Int(idvisit);
  visit_row["idsite"] = Int(site.id);
  visit_row["idvisitor"] = idvisitor;
  visit_row["visit_last_action_time"] = Str(FormatDateTime(last));
  visit_row["visit_first_action_time"] = Str(FormatDateTime(first));
  visit_row["config_id"] = Binary(HexBytes(GetStr(v, "fingerprint").value_or("0000000000000000")), false);
  visit_row["location_ip"] = Binary(IpBytes(GetStr(v, "visitIp").value_or("0.0.0.0")), true);
  visit_row["profilable"] = Int(1);
  SetOpt(visit_row, "user_id", GetStr(v, "userId"));
  auto buyer = kBuyer.find(GetStr(v, "visitEcommerceStatus").value_or("none"));
  visit_row["visit_goal_buyer"] = Int(buyer == kBuyer.end() ? 0 : buyer->second);
  visit_row["visit_goal_converted"] = Int(GetInt(v, "visitConverted").value_or(0));
  std::string visitor_type = GetStr(v, "visitorType").value_or("new");
  int returning = visitor_type == "returningCustomer" ? 2 : visitor_type == "returning" ? 1 : 0;
  visit_row["visitor_returning"] = Int(returning);
  visit_row["visitor_seconds_since_first"] = Int(GetInt(v, "secondsSinceFirstVisit").value_or(0));
  SetOpt(visit_row, "visitor_seconds_since_order", GetInt(v, "secondsSinceLastEcommerceOrder"));
  visit_row["visitor_count_visits"] = Int(GetInt(v, "visitCount").value_or(1));
  visit_row["visit_total_actions"] = Int(GetInt(v, "actions").value_or(0));
  visit_row["visit_total_interactions"] = Int(GetInt(v, "interactions").value_or(0));
  visit_row["visit_total_searches"] = Int(GetInt(v, "searches").value_or(0));
  visit_row["visit_total_events"] = Int(GetInt(v, "events").value_or(0));
  visit_row["visit_total_time"] = Int(GetInt(v, "visitDuration").value_or(0));
  std::string rtype = GetStr(v, "referrerType").value_or("direct");
  auto rt = kReferrer.find(rtype);
  visit_row["referer_type"] = Int(rt == kReferrer.end() ? 1 : rt->second);
  auto escaped = [&](const char* key) -> std::optional<std::string> {
    auto s = GetStr(v, key);
    if (s) *s = HtmlEscape(*s);
    return s;
  };
  SetOpt(visit_row, "referer_name", escaped("referrerName"));
  // Live shows the keyword urldecode()d and a search's empty keyword as "Keyword not defined"
  // (DWC.md §2): the stored value is what gives Live's back.
  std::optional<std::string> keyword = GetStr(v, "referrerKeyword");
  if (keyword && rtype == "search" && *keyword == "Keyword not defined") keyword = "";
  if (keyword) *keyword = HtmlEscape(UrlDecodable(*keyword));
  SetOpt(visit_row, "referer_keyword", keyword);
  SetOpt(visit_row, "referer_url", escaped("referrerUrl"));
  SetOpt(visit_row, "location_browser_lang", GetStr(v, "languageCode"));
  SetOpt(visit_row, "config_browser_engine", GetStr(v, "browserFamily"));
  SetOpt(visit_row, "config_browser_name", GetStr(v, "browserCode"));
  SetOpt(visit_row, "config_browser_version", GetStr(v, "browserVersion"));
  visit_row["config_client_type"] = Int(1);
  std::string brand = GetStr(v, "deviceBrand").value_or("Unknown");
  auto b = kBrand.find(brand);
  visit_row["config_device_brand"] = Str(b == kBrand.end() ? brand : b->second);
  std::string model = GetStr(v, "deviceModel").value_or("");
  visit_row["config_device_model"] = Str(model == "Generic Desktop" ? "generic desktop" : model);
  auto dt = kDeviceType.find(GetStr(v, "deviceType").value_or("Desktop"));
  visit_row["config_device_type"] = Int(dt == kDeviceType.end() ? 0 : dt->second);
  SetOpt(visit_row, "config_os", GetStr(v, "operatingSystemCode"));
  SetOpt(visit_row, "config_os_version", GetStr(v, "operatingSystemVersion"));
  SetOpt(visit_row, "visitor_localtime", GetStr(v, "visitLocalTime"));
  visit_row["visitor_seconds_since_last"] = Int(GetInt(v, "secondsSinceLastVisit").value_or(0));
  SetOpt(visit_row, "config_resolution", GetStr(v, "resolution"));
  std::string plugins = GetStr(v, "plugins").value_or("");
  for (std::string_view p :
       {"cookie", "flash", "java", "pdf", "quicktime", "realplayer", "silverlight", "windowsmedia"}) {
    visit_row["config_" + std::string(p)] = Int(plugins.find(p) != std::string::npos ? 1 : 0);
  }
  SetOpt(visit_row, "location_city", GetStr(v, "city"));
  SetOpt(visit_row, "location_country", GetStr(v, "countryCode"));
  SetOpt(visit_row, "location_region", GetStr(v, "regionCode"));
  if (auto lat = GetDouble(v, "latitude")) visit_row["location_latitude"] = Float(*lat);
  if (auto lon = GetDouble(v, "longitude")) visit_row["location_longitude"] = Float(*lon);
  SetOpt(visit_row, "custom_dimension_1", visit_dim);

  // Actions, conversions and items, in Live's order.
  simdjson::dom::array details;
  if (v["actionDetails"].get(details) != simdjson::SUCCESS) {
    return Error(ErrorKind::kInternal, "the simulator's visit " + std::to_string(idvisit) + " has no actionDetails");
  }
  std::optional<int64_t> entry_url, entry_name, exit_url, exit_name, prev_url, prev_name;
  int64_t prev_time = first, pageviews = 0;
  Row conv_common;
  conv_common["idvisit"] = Int(idvisit);
  conv_common["idsite"] = Int(site.id);
  conv_common["idvisitor"] = idvisitor;
  for (const char* c :
       {"visitor_returning", "visitor_seconds_since_first", "visitor_seconds_since_order", "visitor_count_visits",
        "referer_keyword", "referer_name", "referer_type", "config_browser_name", "config_client_type",
        "config_device_brand", "config_device_model", "config_device_type", "location_city", "location_country",
        "location_latitude", "location_longitude", "location_region", "custom_dimension_1"}) {
    auto it = visit_row.find(c);
    if (it != visit_row.end()) conv_common[c] = it->second;
  }
  auto one = [&](element a) {
    std::string type;
    std::string_view ts;
    if (a["type"].get(ts) == simdjson::SUCCESS) {
      type = std::string(ts);
    } else {
      type = std::to_string(GetInt(a, "type").value_or(0));  // content entries carry a number
    }
    int64_t when = ServerTime(site, GetInt(a, "timestamp").value_or(0), first, last);
    std::string server_time = Str(FormatDateTime(when));
    if (type == "goal" || type == "ecommerceOrder" || type == "ecommerceAbandonedCart") {
      Row c = conv_common;
      c["server_time"] = server_time;
      // A goal's idlink_va is the action it converted on (Live's goalPageId; none for a manual
      // conversion); orders and carts have none (the real sample).
      if (type == "goal") SetOpt(c, "idlink_va", GetInt(a, "goalPageId"));
      if (prev_url) c["idaction_url"] = Int(*prev_url);
      int64_t goal = type == "goal" ? GetInt(a, "goalId").value_or(0) : type == "ecommerceOrder" ? 0 : -1;
      c["idgoal"] = Int(goal);
      c["pageviews_before"] = Int(pageviews);
      c["url"] = Str(HtmlEscape(GetStr(a, "url").value_or("")));
      c["revenue"] = Float(GetDouble(a, "revenue").value_or(0));
      std::optional<std::string> order = GetStr(a, "orderId");
      if (goal == 0 && order) {
        c["idorder"] = Str(*order);
        c["buster"] = Int(static_cast<int64_t>(
            crc32(0L, reinterpret_cast<const Bytef*>(order->data()), static_cast<uInt>(order->size()))));
      } else {
        c["buster"] = Int(0);
      }
      if (goal <= 0) {
        c["items"] = Int(GetInt(a, "items").value_or(0));
        if (goal == 0) {
          c["revenue_subtotal"] = Float(GetDouble(a, "revenueSubTotal").value_or(0));
          c["revenue_tax"] = Float(GetDouble(a, "revenueTax").value_or(0));
          c["revenue_shipping"] = Float(GetDouble(a, "revenueShipping").value_or(0));
          c["revenue_discount"] = Float(GetDouble(a, "revenueDiscount").value_or(0));
        }
        simdjson::dom::array items;
        if (a["itemDetails"].get(items) == simdjson::SUCCESS) {
          for (element it : items) {
            Row item;
            item["idsite"] = Int(site.id);
            item["idvisitor"] = idvisitor;
            item["server_time"] = server_time;
            item["idvisit"] = Int(idvisit);
            item["idorder"] = Str(goal == 0 && order ? *order : "0");
            item["idaction_sku"] = Int(ActionId(kItemSku, GetStr(it, "itemSKU").value_or("")));
            item["idaction_name"] = Int(ActionId(kItemName, GetStr(it, "itemName").value_or("")));
            simdjson::dom::array cats;
            std::vector<std::string> names;
            if (it["categories"].get(cats) == simdjson::SUCCESS) {
              for (element cat : cats) {
                std::string_view s;
                if (cat.get(s) == simdjson::SUCCESS) names.emplace_back(s);
              }
            }
            const char* cols[] = {"idaction_category", "idaction_category2", "idaction_category3", "idaction_category4",
                                  "idaction_category5"};
            for (size_t k = 0; k < 5; ++k) {
              item[cols[k]] = Int(k < names.size() ? ActionId(kItemCategory, names[k]) : 0);
            }
            item["price"] = Float(GetDouble(it, "price").value_or(0));
            item["quantity"] = Int(GetInt(it, "quantity").value_or(1));
            item["deleted"] = Int(0);
            day_rows_["log_conversion_item"].push_back(RowJson(item, kItemColumns));
          }
        }
      }
      day_rows_["log_conversion"].push_back(RowJson(c, kConversionColumns));
      return;
    }
    // A log_link_visit_action row.
    Row r;
    int64_t idlink = GetInt(a, "pageId").value_or(idvisit * 1000 + static_cast<int64_t>(pageviews));
    r["idlink_va"] = Int(idlink);
    r["idsite"] = Int(site.id);
    r["idvisitor"] = idvisitor;
    r["idvisit"] = Int(idvisit);
    r["idaction_url_ref"] = Int(prev_url.value_or(0));
    r["idaction_name_ref"] = Int(prev_name.value_or(0));
    r["server_time"] = server_time;
    r["time_spent_ref_action"] = Int(std::max<int64_t>(0, when - prev_time));
    SetOpt(r, "pageview_position", GetInt(a, "pageviewPosition"));
    SetOpt(r, "idpageview", GetStr(a, "idpageview"));  // '' as stored, as Live shows it
    SetOpt(r, "custom_dimension_1", GetStr(a, "dimension2"));
    std::string url = GetStr(a, "url").value_or("");
    std::optional<int64_t> url_id, name_id;
    if (type == "action") {
      url_id = UrlAction(kPageUrl, url);
      if (auto title = GetStr(a, "pageTitle")) name_id = ActionId(kPageTitle, *title);
      if (auto ms = GetInt(a, "pageLoadTimeMilliseconds")) {
        // Live gives only the sum of the six timings: all of it lands in time_server.
        for (const char* t :
             {"time_network", "time_transfer", "time_dom_processing", "time_dom_completion", "time_on_load"}) {
          r[t] = Int(0);
        }
        r["time_server"] = Int(*ms);
      }
      if (auto sku = GetStr(a, "productViewSku")) {
        r["idaction_product_sku"] = Int(ActionId(kItemSku, *sku));
        if (auto n = GetStr(a, "productViewName")) r["idaction_product_name"] = Int(ActionId(kItemName, *n));
        if (auto p = GetDouble(a, "productViewPrice")) r["product_price"] = Float(*p);
        simdjson::dom::array cats;
        if (a["productViewCategories"].get(cats) == simdjson::SUCCESS) {
          const char* cols[] = {"idaction_product_cat", "idaction_product_cat2", "idaction_product_cat3",
                                "idaction_product_cat4", "idaction_product_cat5"};
          size_t k = 0;
          for (element cat : cats) {
            std::string_view s;
            if (k < 5 && cat.get(s) == simdjson::SUCCESS) r[cols[k++]] = Int(ActionId(kItemCategory, std::string(s)));
          }
        }
      }
      ++pageviews;
    } else if (type == "event") {
      url_id = UrlAction(kEventCategory, url);
      r["idaction_event_category"] = Int(ActionId(kEventCategory, GetStr(a, "eventCategory").value_or("")));
      r["idaction_event_action"] = Int(ActionId(kEventAction, GetStr(a, "eventAction").value_or("")));
      if (auto n = GetStr(a, "eventName")) name_id = ActionId(kEventName, *n);
      if (auto val = GetDouble(a, "eventValue")) r["custom_float"] = Float(*val);
    } else if (type == "search") {
      name_id = ActionId(kSiteSearch, GetStr(a, "siteSearchKeyword").value_or(""));
      r["search_cat"] = Str(GetStr(a, "siteSearchCategory").value_or(""));
      SetOpt(r, "search_count", GetInt(a, "siteSearchCount"));
    } else if (type == "download" || type == "outlink") {
      url_id = ActionId(type == "download" ? kDownload : kOutlink, HtmlEscape(url));
    } else if (GetStr(a, "contentName")) {
      url_id = ActionId(kContentName, HtmlEscape(url));
      r["idaction_content_name"] = Int(ActionId(kContentName, GetStr(a, "contentName").value_or("")));
      if (auto p = GetStr(a, "contentPiece")) r["idaction_content_piece"] = Int(ActionId(kContentPiece, *p));
      if (auto t = GetStr(a, "contentTarget")) r["idaction_content_target"] = Int(ActionId(kContentTarget, *t));
      if (auto i = GetStr(a, "contentInteraction")) {
        r["idaction_content_interaction"] = Int(ActionId(kContentInteraction, *i));
      }
    } else {
      url_id = UrlAction(kPageUrl, url);
    }
    SetOpt(r, "idaction_url", url_id);
    SetOpt(r, "idaction_name", name_id);
    day_rows_["log_link_visit_action"].push_back(RowJson(r, kLvaColumns));
    if (type == "action") {
      if (!entry_url) {
        entry_url = url_id;
        entry_name = name_id;
      }
      exit_url = url_id;
      exit_name = name_id;
    }
    if (url_id) prev_url = url_id;
    if (name_id && type == "action") prev_name = name_id;
    prev_time = when;
  };
  for (element a : details) one(a);
  // The actions Live cut at 500 (truncatedActionsCount): the log tables hold them all.
  if (!visit.cut_actions_json.empty()) {
    simdjson::dom::parser cut_parser;
    simdjson::dom::array cut;
    if (cut_parser.parse(visit.cut_actions_json).get(cut) != simdjson::SUCCESS) {
      return Error(ErrorKind::kInternal, "the simulator's visit " + std::to_string(idvisit) + " has bad cut actions");
    }
    for (element a : cut) one(a);
  }
  SetOpt(visit_row, "visit_entry_idaction_url", entry_url);
  SetOpt(visit_row, "visit_entry_idaction_name", entry_name);
  SetOpt(visit_row, "visit_exit_idaction_url", exit_url);
  SetOpt(visit_row, "visit_exit_idaction_name", exit_name);
  day_rows_["log_visit"].push_back(RowJson(visit_row, kLogVisitColumns));
  return OkStatus();
}

Status Exporter::WriteFile(const std::string& table, CivilDate day, const std::vector<std::string>& rows) {
  std::string ext = o_.compression == "gzip" ? ".jsonl.gz" : o_.compression == "zstd" ? ".jsonl.zst" : ".jsonl";
  std::string date = day.ToString();
  std::string rel;
  if (o_.layout == "flat") {
    std::string compact = date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2);
    rel = table + "_" + compact + ext;
  } else {
    rel = table + "/date=" + date + "/part-0" + ext;
  }
  fs::path path = fs::path(o_.dir) / rel;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return Error(ErrorKind::kConfig, "cannot create " + path.parent_path().string() + ": " + ec.message());
  if (o_.compression == "none") {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (const auto& r : rows) out << r;
    if (!out) return Error(ErrorKind::kInternal, "cannot write " + path.string());
    return OkStatus();
  }
  METL_ASSIGN_OR_RETURN(auto writer, landing::CompressedFileWriter::Create(
                                         path.string(), o_.compression == "gzip" ? landing::Compression::kGzip
                                                                                 : landing::Compression::kZstd));
  for (const auto& r : rows) METL_TRY(writer->Write(r));
  METL_TRY(writer->Finish());
  return OkStatus();
}

Status Exporter::WriteDay(CivilDate day) {
  for (auto& [table, rows] : day_rows_) {
    if (!rows.empty()) METL_TRY(WriteFile(table, day, rows));
    rows.clear();
  }
  return OkStatus();
}

Status Exporter::WriteSiteTables() {
  for (const auto& s : dataset_.Sites()) {
    Row r;
    r["idsite"] = Int(s.id);
    r["name"] = Str(s.name);
    r["main_url"] = Str(s.main_url);
    r["ts_created"] = Str(s.ts_created);
    r["ecommerce"] = Int(s.ecommerce ? 1 : 0);
    r["sitesearch"] = Int(1);
    for (const char* c : {"sitesearch_keyword_parameters", "sitesearch_category_parameters", "excluded_ips",
                          "excluded_parameters", "excluded_user_agents", "excluded_referrers", "group"}) {
      r[c] = Str("");
    }
    r["timezone"] = Str(s.timezone);
    r["currency"] = Str(s.currency);
    r["exclude_unknown_urls"] = Int(0);
    r["type"] = Str("website");
    r["keep_url_fragment"] = Int(0);
    r["creator_login"] = Str("anonymous");
    day_rows_["site"].push_back(RowJson(r, kSiteColumns));
    for (const auto& g : s.goals) {
      Row gr;
      gr["idsite"] = Int(s.id);
      gr["idgoal"] = Int(g.id);
      gr["name"] = Str(g.name);
      gr["description"] = Str("");
      gr["match_attribute"] = Str(g.match_attribute);
      gr["pattern"] = Str(g.pattern);
      gr["pattern_type"] = Str("contains");
      gr["case_sensitive"] = Int(0);
      gr["allow_multiple"] = Int(0);
      gr["revenue"] = Float(g.revenue);
      gr["deleted"] = Int(0);
      gr["event_value_as_revenue"] = Int(0);
      day_rows_["goal"].push_back(RowJson(gr, kGoalColumns));
    }
    // The generator's dimensions: id 1 visit scope (index 1), id 2 action scope (index 1).
    struct {
      int id;
      const char* name;
      const char* scope;
    } dims[] = {{1, "dimension1", "visit"}, {2, "dimension2", "action"}};
    for (const auto& d : dims) {
      Row dr;
      dr["idcustomdimension"] = Int(d.id);
      dr["idsite"] = Int(s.id);
      dr["name"] = Str(d.name);
      dr["index"] = Int(1);
      dr["scope"] = Str(d.scope);
      dr["active"] = Int(1);
      dr["extractions"] = Str("[]");
      dr["case_sensitive"] = Int(1);
      day_rows_["custom_dimensions"].push_back(RowJson(dr, kCustomDimensionColumns));
    }
  }
  return OkStatus();
}

}  // namespace

Status ValidateDwcExportOptions(const DwcExportOptions& o) {
  if (o.layout != "partitioned" && o.layout != "flat") {
    return Error(ErrorKind::kConfig, "--dwc-layout must be partitioned or flat, not '" + o.layout + "'");
  }
  if (o.compression != "none" && o.compression != "gzip" && o.compression != "zstd") {
    return Error(ErrorKind::kConfig, "--dwc-compression must be none, gzip or zstd, not '" + o.compression + "'");
  }
  if (o.binary != "hex" && o.binary != "base64" && o.binary != "mysql") {
    return Error(ErrorKind::kConfig, "--dwc-binary must be hex, base64 or mysql, not '" + o.binary + "'");
  }
  return OkStatus();
}

Status WriteDwcExport(const Dataset& dataset, CivilDate from, CivilDate to, int64_t now,
                      const DwcExportOptions& options) {
  METL_TRY(ValidateDwcExportOptions(options));
  Exporter exporter(dataset, options);
  simdjson::dom::parser parser;
  METL_TRY(exporter.WriteSiteTables());
  int64_t visits = 0;
  for (CivilDate day = from; !(to < day); day = day + 1) {
    for (const auto& site : dataset.Sites()) {
      DayVisits list = dataset.VisitsOfDay(site.id, day);
      for (const auto& visit : *list) {
        if (visit.last_action_ts > now) continue;  // not served yet, not exported yet
        METL_TRY(exporter.Visit(site, visit, parser));
        ++visits;
      }
    }
    METL_TRY(exporter.WriteDay(day));
  }
  LogInfo("wrote the DWC export", {{"dir", options.dir},
                                   {"visits", std::to_string(visits)},
                                   {"layout", options.layout},
                                   {"compression", options.compression},
                                   {"binary", options.binary}});
  return OkStatus();
}

}  // namespace metl::sim
