// What the generated sites contain: pages, products, events, goals, devices and places. Strings
// are stored already JSON-escaped (PHP style, without quotes) so the writer only copies bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "sim/dataset.h"
#include "sim/log_actions.h"

namespace metl::sim {

enum class PageRole : uint8_t { kHome, kList, kProduct, kCart, kCheckout, kSuccess, kContact, kArticle, kOther };

struct CatalogPage {
  std::string url, title;  // escaped
  std::string url_text;    // the URL unescaped
  // log_action ids (log_actions.h) of this URL as a page (type 1), an event's (10) and a content's (13).
  int64_t id_action = 0, event_url_action = 0, content_url_action = 0;
  std::string dim2;  // JSON value: "\"home\"" or "null"
  PageRole role = PageRole::kOther;
  int product = -1;  // index into products for product pages
};

struct CatalogProduct {
  std::string sku, name, category;  // escaped
  int64_t price_cents = 0;
  std::string sku_text;     // unescaped
  int64_t sku_action = 0;   // log_action id of the SKU: the order of an order's items
};

struct CatalogEvent {
  std::string category, action, name;  // escaped; name empty = no eventName key
  int value_kind = 0;                  // 0: no eventValue, 1: integer, 2: decimal
  int goal_index = -1;  // index into goals the event converts, -1 none
};

struct CatalogLink {
  std::string url;       // escaped
  std::string url_text;  // unescaped
  int goal_index = -1;
  int64_t id_action = 0;  // log_action id (type 2 or 3)
};

struct CatalogContent {
  std::string name, piece, target;  // escaped
};

struct CatalogGoal {
  int64_t id = 0;
  std::string name;        // escaped
  int64_t revenue_cents = 0;
  std::string subtitle;    // escaped, e.g. "Contact page visited (\u20ac5 revenue)"
};

struct SiteCatalog {
  SimSite site;
  bool shop = false;
  std::string name_json, currency_json, symbol_json;  // escaped
  std::string domain_url;                             // escaped main URL
  std::vector<CatalogPage> pages;
  std::vector<CatalogProduct> products;
  std::vector<CatalogEvent> events;
  std::vector<CatalogLink> outlinks, downloads;
  std::vector<CatalogContent> contents;
  std::vector<std::string> search_keywords, search_categories;  // escaped
  std::vector<std::string> search_keywords_text;                // the same keywords unescaped
  std::vector<CatalogGoal> goals;
  int contact_goal = -1, engaged_goal = -1;  // goal indexes triggered by pages
  std::vector<std::string> campaigns;        // escaped campaign names
  // Indexes of pages by role, for quick picks.
  std::vector<int> product_pages, list_pages, article_pages, other_pages;
  int home = 0, cart = -1, checkout = -1, success = -1, contact = -1;
  // log_action of all the sites (shared): Matomo has one table for all sites.
  std::shared_ptr<const LogActions> actions;
};

// Pre-rendered visitor profiles: a block of visit-level keys each.
struct DeviceProfile {
  std::string json;  // "deviceType":...,"browserVersion":"130.0",
  std::vector<std::string> resolutions;
};
struct CountryProfile {
  std::string language_json;  // "languageCode":"en-us","language":"Language code en-us",
  std::string country_json;   // "continent":...,"countryFlag":"...",
  std::string country_name;   // escaped, for "location"
  struct City {
    std::string region, region_code, city;  // escaped
    std::string latitude, longitude;         // decimal text
  };
  std::vector<City> cities;
};

// Sites 1..n: 1 = "Demo Shop" (UTC, EUR, ecommerce), 2 = "Demo Blog" (America/New_York, USD),
// then shops and blogs in other zones and currencies. ts_created is 60 days before `from`. The
// log_action ids of their URLs and SKUs are numbered once for all sites (log_actions.h).
Result<std::vector<SiteCatalog>> BuildCatalogs(int sites, CivilDate from);

const std::vector<DeviceProfile>& DeviceProfiles();
const std::vector<CountryProfile>& CountryProfiles();

}  // namespace metl::sim
