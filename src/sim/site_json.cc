#include "sim/site_json.h"

#include <cstdio>

#include "sim/php_json.h"

namespace metl::sim {
namespace {

std::string TimezoneName(const std::string& tz) {
  if (tz == "UTC") return "UTC";
  if (tz == "America/New_York") return "United States - New York";
  if (tz == "America/Los_Angeles") return "United States - Los Angeles";
  if (tz == "America/Chicago") return "United States - Chicago";
  if (tz == "Europe/Paris") return "France";
  if (tz == "Europe/Berlin") return "Germany - Berlin";
  if (tz == "Europe/London") return "United Kingdom";
  if (tz == "Asia/Tokyo") return "Japan";
  if (tz == "Australia/Sydney") return "Australia - Sydney";
  return tz;
}

std::string CurrencyName(const std::string& c) {
  if (c == "EUR") return "Euro";
  if (c == "USD") return "US Dollar";
  if (c == "GBP") return "British Pound";
  if (c == "JPY") return "Japanese Yen";
  if (c == "AUD") return "Australian Dollar";
  if (c == "CHF") return "Swiss Franc";
  return c;
}

std::string Number(double v) {
  char buf[64];
  if (v == static_cast<double>(static_cast<int64_t>(v))) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(buf, sizeof buf, "%.15g", v);
  }
  return buf;
}

}  // namespace

std::string SiteJson(const SimSite& s) {
  std::string o = "{\"idsite\":" + std::to_string(s.id);
  o += ",\"name\":" + PhpJsonString(s.name);
  o += ",\"main_url\":" + PhpJsonString(s.main_url);
  o += ",\"ts_created\":" + PhpJsonString(s.ts_created);
  o += ",\"ecommerce\":" + std::string(s.ecommerce ? "1" : "0");
  o += ",\"sitesearch\":1,\"sitesearch_keyword_parameters\":\"\",\"sitesearch_category_parameters\":\"\"";
  o += ",\"timezone\":" + PhpJsonString(s.timezone);
  o += ",\"currency\":" + PhpJsonString(s.currency);
  o += ",\"exclude_unknown_urls\":0,\"excluded_ips\":\"\",\"excluded_parameters\":\"\",\"excluded_user_agents\":\"\"";
  o += ",\"excluded_referrers\":\"\",\"group\":\"\",\"type\":\"website\",\"keep_url_fragment\":0";
  o += ",\"creator_login\":\"admin\"";
  o += ",\"timezone_name\":" + PhpJsonString(TimezoneName(s.timezone));
  o += ",\"currency_name\":" + PhpJsonString(CurrencyName(s.currency)) + "}";
  return o;
}

std::string GoalsListJson(const SimSite& s) {
  if (s.goals.empty()) return "[]";
  std::string o = "{";
  bool first = true;
  for (const auto& g : s.goals) {
    if (!first) o += ',';
    first = false;
    std::string id = std::to_string(g.id);
    o += "\"" + id + "\":{\"idsite\":" + std::to_string(s.id) + ",\"idgoal\":" + id;
    o += ",\"name\":" + PhpJsonString(g.name) + ",\"description\":\"\"";
    o += ",\"match_attribute\":" + PhpJsonString(g.match_attribute);
    o += ",\"pattern\":" + PhpJsonString(g.pattern) + ",\"pattern_type\":\"contains\",\"case_sensitive\":0";
    o += ",\"allow_multiple\":0,\"revenue\":" + Number(g.revenue) + ",\"deleted\":0,\"event_value_as_revenue\":0}";
  }
  return o + "}";
}

const std::vector<SimDimension>& SiteDimensions(const SimSite&) {
  static const std::vector<SimDimension> dims = {{1, "dimension1", "visit", 1}, {2, "dimension2", "action", 1}};
  return dims;
}

std::string ConfiguredCustomDimensionsJson(const SimSite& site) {
  std::string out = "[";
  for (const SimDimension& d : SiteDimensions(site)) {
    if (out.size() > 1) out += ',';
    out += "{\"idcustomdimension\":\"" + std::to_string(d.id) + "\",\"idsite\":\"" + std::to_string(site.id) +
           "\",\"name\":" + PhpJsonString(d.name) + ",\"index\":\"" + std::to_string(d.index) +
           "\",\"scope\":" + PhpJsonString(d.scope) + ",\"active\":true,\"extractions\":[],\"case_sensitive\":true}";
  }
  return out + "]";
}

}  // namespace metl::sim
