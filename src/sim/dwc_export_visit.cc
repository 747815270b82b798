// log_visit: a visit's row, from its Live answer, then the rows of its entries (Exporter::Entry).
#include <map>

#include "sim/dwc_exporter.h"

namespace metl::sim::dwcx {

using simdjson::dom::element;

Status Exporter::Visit(const SimSite& site, const SimVisit& visit, simdjson::dom::parser& parser) {
  simdjson::dom::element v;
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
  VisitRows s;
  s.site = &site;
  s.idvisit = idvisit;
  s.idvisitor = idvisitor;
  s.first = first;
  s.last = last;
  s.prev_time = first;
  s.conv_common["idvisit"] = Int(idvisit);
  s.conv_common["idsite"] = Int(site.id);
  s.conv_common["idvisitor"] = idvisitor;
  for (const char* c :
       {"visitor_returning", "visitor_seconds_since_first", "visitor_seconds_since_order", "visitor_count_visits",
        "referer_keyword", "referer_name", "referer_type", "config_browser_name", "config_client_type",
        "config_device_brand", "config_device_model", "config_device_type", "location_city", "location_country",
        "location_latitude", "location_longitude", "location_region", "custom_dimension_1"}) {
    auto it = visit_row.find(c);
    if (it != visit_row.end()) s.conv_common[c] = it->second;
  }
  for (element a : details) Entry(s, a);
  // The actions Live cut at 500 (truncatedActionsCount): the log tables hold them all.
  if (!visit.cut_actions_json.empty()) {
    simdjson::dom::parser cut_parser;
    simdjson::dom::array cut;
    if (cut_parser.parse(visit.cut_actions_json).get(cut) != simdjson::SUCCESS) {
      return Error(ErrorKind::kInternal, "the simulator's visit " + std::to_string(idvisit) + " has bad cut actions");
    }
    for (element a : cut) Entry(s, a);
  }
  SetOpt(visit_row, "visit_entry_idaction_url", s.entry_url);
  SetOpt(visit_row, "visit_entry_idaction_name", s.entry_name);
  SetOpt(visit_row, "visit_exit_idaction_url", s.exit_url);
  SetOpt(visit_row, "visit_exit_idaction_name", s.exit_name);
  day_rows_["log_visit"].push_back(RowJson(visit_row, kLogVisitColumns));
  return OkStatus();
}

}  // namespace metl::sim::dwcx
