// The curated schema: every table and column, declared once (see schema.h). Column order of the
// normalizer's tables follows the constants of columns.h; Build() checks that at start-up.
#include "normalize/schema.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "normalize/analysis_schema.h"
#include "normalize/columns.h"
#include "normalize/report_schema.h"

namespace metl {
namespace {

using T = LogicalType;
constexpr bool kNull = true;
constexpr bool kNotNull = false;

struct IndexedColumn {
  int index;  // expected position (columns.h), or -1 for tables the normalizer does not fill
  ColumnDef def;
};

// Places each column at its declared index; a gap, a duplicate or a count mismatch is a bug.
std::vector<ColumnDef> Place(std::string_view table, int count, std::vector<IndexedColumn> cols) {
  std::vector<ColumnDef> out(cols.size());
  std::vector<bool> seen(cols.size(), false);
  bool bad = count >= 0 && static_cast<int>(cols.size()) != count;
  for (size_t i = 0; i < cols.size() && !bad; ++i) {
    int at = cols[i].index < 0 ? static_cast<int>(i) : cols[i].index;
    if (at >= static_cast<int>(cols.size()) || seen[at]) {
      bad = true;
      break;
    }
    seen[at] = true;
    out[at] = cols[i].def;
  }
  if (bad) {
    std::fprintf(stderr, "bug: schema of %.*s does not match normalize/columns.h\n",
                 static_cast<int>(table.size()), table.data());
    std::abort();
  }
  return out;
}

// Columns that every fact table starts with.
IndexedColumn SiteId(int i) {
  return {i, {"site_id", T::kBigInt, kNotNull, "visit.idSite", "Matomo site id (idSite)."}};
}
IndexedColumn VisitId(int i) {
  return {i, {"visit_id", T::kBigInt, kNotNull, "visit.idVisit", "Matomo visit id (idVisit), unique per site."}};
}
IndexedColumn VisitDate(int i) {
  return {i, {"visit_date", T::kDate, kNotNull, "visit.lastActionTimestamp",
              "Site-local date of the visit's last action: the partition the visit belongs to, as in "
              "Matomo's reports (period=day)."}};
}
IndexedColumn ActionIndex(int i, bool nullable, std::string_view what) {
  return {i, {"action_index", T::kInt, nullable, "position in visit.actionDetails", what}};
}

TableDef RawVisits() {
  namespace c = raw_col;
  return {"matomo_raw_visits",
          "One row per visit: the visit's JSON object exactly as Matomo sent it. Unknown and unmapped "
          "fields live here; re-deriving the curated tables needs nothing else. A table (not a view); "
          "empty when raw_visits = \"landing\".",
          Place("matomo_raw_visits", c::kCount,
                {SiteId(c::kSiteId), VisitDate(c::kVisitDate), VisitId(c::kVisitId),
                 {c::kVisit, {"visit", T::kJson, kNotNull, "visit",
                              "The visit's JSON object: byte-exact as received in DuckDB (JSON); PostgreSQL's "
                              "jsonb keeps the values but reorders keys and drops whitespace."}},
                 {c::kExtractedAt, {"extracted_at", T::kTimestampTz, kNotNull, "landing manifest extracted_at",
                                    "When the partition was extracted from Matomo (UTC)."}}}),
          {"site_id", "visit_date", "visit_id"},
          "visit_date",
          true};
}

TableDef Visits() {
  namespace c = visit_col;
  return {
      "matomo_visits",
      "One row per visit (Live.getLastVisitsDetails), keyed by site and visit id, partitioned by the "
      "site-local date of the last action.",
      Place("matomo_visits", c::kCount,
            {
                SiteId(c::kSiteId), VisitId(c::kVisitId), VisitDate(c::kVisitDate),
                {c::kVisitorId, {"visitor_id", T::kText, kNull, "visit.visitorId",
                                 "16 hex chars; null when Matomo hides it (false without enough access)."}},
                {c::kFingerprint, {"fingerprint", T::kText, kNull, "visit.fingerprint",
                                   "Config id (hash of device settings), 16 hex chars."}},
                {c::kUserId, {"user_id", T::kText, kNull, "visit.userId", "User id set by the site, if any."}},
                {c::kFirstActionAt, {"first_action_at", T::kTimestampTz, kNotNull, "visit.firstActionTimestamp",
                                     "First action of the visit (UTC)."}},
                {c::kLastActionAt, {"last_action_at", T::kTimestampTz, kNotNull, "visit.lastActionTimestamp",
                                    "Last action of the visit (UTC)."}},
                {c::kFirstActionLocal, {"first_action_local", T::kTimestamp, kNotNull, "visit.firstActionTimestamp",
                                        "First action as a site-local wall time."}},
                {c::kLastActionLocal, {"last_action_local", T::kTimestamp, kNotNull, "visit.lastActionTimestamp",
                                       "Last action as a site-local wall time."}},
                {c::kLocalHour, {"local_hour", T::kInt, kNotNull, "visit.lastActionTimestamp",
                                 "Site-local hour (0-23) of the last action."}},
                {c::kVisitDurationS, {"visit_duration_s", T::kInt, kNotNull, "visit.visitDuration",
                                      "Visit length in seconds (Matomo's sum_visit_length adds these)."}},
                {c::kActions, {"actions", T::kInt, kNotNull, "visit.actions",
                               "Matomo's action count: pageviews, downloads, outlinks, searches, events "
                               "(not content, goals or ecommerce). nb_actions sums it."}},
                {c::kInteractions, {"interactions", T::kInt, kNull, "visit.interactions",
                                    "Matomo's interaction count."}},
                {c::kPageviews, {"pageviews", T::kInt, kNotNull, "count of actionDetails[type=action]",
                                 "Pageviews in actionDetails (after truncation)."}},
                {c::kEvents, {"events", T::kInt, kNotNull, "visit.events", "Events (Matomo's counter)."}},
                {c::kSearches, {"searches", T::kInt, kNotNull, "visit.searches", "Site searches (Matomo's counter)."}},
                {c::kDownloads, {"downloads", T::kInt, kNotNull, "count of actionDetails[type=download]",
                                 "Downloads in actionDetails."}},
                {c::kOutlinks, {"outlinks", T::kInt, kNotNull, "count of actionDetails[type=outlink]",
                                "Outlinks in actionDetails."}},
                {c::kContents, {"content_interactions", T::kInt, kNotNull, "count of actionDetails[type=13]",
                                "Content impressions and interactions in actionDetails."}},
                {c::kIsBounce, {"is_bounce", T::kBool, kNotNull, "visit.actions",
                                "actions <= 1, Matomo's bounce definition (a visit with 0 actions bounces)."}},
                {c::kVisitorType, {"visitor_type", T::kText, kNull, "visit.visitorType", "new or returning."}},
                {c::kVisitCount, {"visit_count", T::kInt, kNull, "visit.visitCount",
                                  "The visitor's visit number (1 = first visit)."}},
                {c::kDaysSinceFirstVisit, {"days_since_first_visit", T::kInt, kNull, "visit.daysSinceFirstVisit",
                                           "Days since the visitor's first visit."}},
                {c::kDaysSinceLastVisit, {"days_since_last_visit", T::kInt, kNull, "visit.daysSinceLastVisit",
                                          "Days since the visitor's previous visit."}},
                {c::kDaysSinceLastOrder, {"days_since_last_ecommerce_order", T::kInt, kNull,
                                          "visit.daysSinceLastEcommerceOrder",
                                          "Days since the visitor's last ecommerce order."}},
                {c::kReferrerType, {"referrer_type", T::kText, kNull, "visit.referrerType",
                                    "direct, search, website, campaign, social (ai in newer Matomo)."}},
                {c::kReferrerName, {"referrer_name", T::kText, kNull, "visit.referrerName",
                                    "Search engine, website, social network or campaign name; null when empty."}},
                {c::kReferrerKeyword, {"referrer_keyword", T::kText, kNull, "visit.referrerKeyword",
                                       "Search keyword or campaign keyword; null when empty."}},
                {c::kReferrerUrl, {"referrer_url", T::kText, kNull, "visit.referrerUrl", "Referring URL."}},
                {c::kCampaignName, {"campaign_name", T::kText, kNull,
                                    "visit.campaignName, else visit.referrerName of campaign visits",
                                    "Campaign name (MarketingCampaignsReporting plugin, else the core campaign)."}},
                {c::kCampaignKeyword, {"campaign_keyword", T::kText, kNull,
                                       "visit.campaignKeyword, else visit.referrerKeyword of campaign visits",
                                       "Campaign keyword."}},
                {c::kCampaignSource, {"campaign_source", T::kText, kNull, "visit.campaignSource",
                                      "Campaign source (plugin field)."}},
                {c::kCampaignMedium, {"campaign_medium", T::kText, kNull, "visit.campaignMedium",
                                      "Campaign medium (plugin field)."}},
                {c::kCampaignContent, {"campaign_content", T::kText, kNull, "visit.campaignContent",
                                       "Campaign content (plugin field)."}},
                {c::kCampaignId, {"campaign_id", T::kText, kNull, "visit.campaignId", "Campaign id (plugin field)."}},
                {c::kContinentCode, {"continent_code", T::kText, kNull, "visit.continentCode",
                                     "Continent code, e.g. eur."}},
                {c::kCountryCode, {"country_code", T::kText, kNull, "visit.countryCode",
                                   "ISO country code, lower case as Matomo sends it."}},
                {c::kRegionCode, {"region_code", T::kText, kNull, "visit.regionCode", "Region code."}},
                {c::kCity, {"city", T::kText, kNull, "visit.city", "City name."}},
                {c::kLatitude, {"latitude", T::kDouble, kNull, "visit.latitude", "Latitude."}},
                {c::kLongitude, {"longitude", T::kDouble, kNull, "visit.longitude", "Longitude."}},
                {c::kLanguageCode, {"language_code", T::kText, kNull, "visit.languageCode",
                                    "Browser language, e.g. en-us."}},
                {c::kDeviceType, {"device_type", T::kText, kNull, "visit.deviceType",
                                  "Desktop, Smartphone, Tablet, ..."}},
                {c::kDeviceBrand, {"device_brand", T::kText, kNull, "visit.deviceBrand", "Device brand."}},
                {c::kDeviceModel, {"device_model", T::kText, kNull, "visit.deviceModel", "Device model."}},
                {c::kOsName, {"os_name", T::kText, kNull, "visit.operatingSystemName", "Operating system name."}},
                {c::kOsVersion, {"os_version", T::kText, kNull, "visit.operatingSystemVersion",
                                 "Operating system version."}},
                {c::kBrowserName, {"browser_name", T::kText, kNull, "visit.browserName", "Browser name."}},
                {c::kBrowserVersion, {"browser_version", T::kText, kNull, "visit.browserVersion",
                                      "Browser version."}},
                {c::kBrowserEngine, {"browser_engine", T::kText, kNull, "visit.browserFamily",
                                     "Browser engine (Blink, Gecko, WebKit, ...)."}},
                {c::kResolution, {"resolution", T::kText, kNull, "visit.resolution", "Screen resolution, e.g. 1920x1080."}},
                {c::kVisitConverted, {"visit_converted", T::kBool, kNotNull, "visit.visitConverted",
                                      "The visit converted a goal or placed an order (nb_visits_converted)."}},
                {c::kGoalConversions, {"goal_conversions", T::kInt, kNotNull, "visit.goalConversions",
                                       "Goal conversions (goals only, not orders)."}},
                {c::kRevenue, {"revenue", T::kDecimal, kNull,
                               "sum of actionDetails[type=goal|ecommerceOrder].revenue",
                               "Goal and order revenue of the visit, not abandoned carts (Goals.get revenue); "
                               "misses conversions cut from truncated visits. Null when one of them or the "
                               "total is beyond DECIMAL(18,6) (a warning names the visit)."}},
                {c::kEcommerceStatus, {"ecommerce_status", T::kText, kNull, "visit.visitEcommerceStatus",
                                       "none, ordered, abandonedCart or orderedThenAbandonedCart."}},
                {c::kEcommerceOrders, {"ecommerce_orders", T::kInt, kNull, "visit.totalEcommerceConversions",
                                       "Ecommerce orders of the visit."}},
                {c::kEcommerceRevenue, {"ecommerce_revenue", T::kDecimal, kNull, "visit.totalEcommerceRevenue",
                                        "Ecommerce order revenue of the visit."}},
                {c::kEcommerceItems, {"ecommerce_items", T::kInt, kNull, "visit.totalEcommerceItems",
                                      "Items ordered in the visit."}},
                {c::kAbandonedCarts, {"abandoned_carts", T::kInt, kNull, "visit.totalAbandonedCarts",
                                      "Abandoned carts of the visit."}},
                {c::kAbandonedCartRevenue, {"abandoned_cart_revenue", T::kDecimal, kNull,
                                            "visit.totalAbandonedCartsRevenue", "Value of abandoned carts."}},
                {c::kAbandonedCartItems, {"abandoned_cart_items", T::kInt, kNull, "visit.totalAbandonedCartsItems",
                                          "Items in abandoned carts."}},
                {c::kTruncatedActions, {"truncated_actions", T::kInt, kNotNull, "visit.truncatedActionsCount",
                                        "Actions Matomo cut from actionDetails (500-action limit); 0 if none."}},
                {c::kEntryUrl, {"entry_url", T::kText, kNull, "first actionDetails[type=action].url",
                                "URL of the first pageview."}},
                {c::kExitUrl, {"exit_url", T::kText, kNull, "last actionDetails[type=action].url",
                               "URL of the last pageview."}},
                {c::kEntryPageTitle, {"entry_page_title", T::kText, kNull,
                                      "first actionDetails[type=action].pageTitle", "Title of the first pageview."}},
                {c::kExitPageTitle, {"exit_page_title", T::kText, kNull, "last actionDetails[type=action].pageTitle",
                                     "Title of the last pageview."}},
                {c::kExtractedAt, {"extracted_at", T::kTimestampTz, kNotNull, "landing manifest extracted_at",
                                   "When the partition was extracted from Matomo (UTC)."}},
                {c::kCountryName, {"country_name", T::kText, kNull, "visit.country",
                                   "Country name as Matomo labels it (UserCountry.getCountry's label)."}},
            }),
      {"site_id", "visit_id"},
      "visit_date",
      true};
}

TableDef Actions() {
  namespace c = action_col;
  return {
      "matomo_actions",
      "One row per actionDetails entry of a visit, in Matomo's order: pageviews, events, downloads, "
      "outlinks, searches, content, goals and ecommerce entries.",
      Place("matomo_actions", c::kCount,
            {
                SiteId(c::kSiteId), VisitId(c::kVisitId), VisitDate(c::kVisitDate),
                ActionIndex(c::kActionIndex, kNotNull, "0-based position in the visit's actionDetails."),
                {c::kActionType, {"action_type", T::kText, kNotNull, "actionDetails[].type",
                                  "pageview, event, download, outlink, search, content, goal, ecommerce_order, "
                                  "ecommerce_abandoned_cart or other."}},
                {c::kActionTypeRaw, {"action_type_raw", T::kText, kNotNull, "actionDetails[].type",
                                     "Matomo's type as sent (action, event, ..., 13 for content)."}},
                {c::kOccurredAt, {"occurred_at", T::kTimestampTz, kNotNull, "actionDetails[].timestamp",
                                  "True UTC instant: the site-local timestamp converted with the site's time zone; "
                                  "a repeated fall-back hour is resolved by the visit's order and bounds."}},
                {c::kOccurredLocal, {"occurred_local", T::kTimestamp, kNotNull, "actionDetails[].timestamp",
                                     "Site-local wall time of the action (Matomo's timestamp as is)."}},
                {c::kUrl, {"url", T::kText, kNull, "actionDetails[].url", "Page, download, outlink or goal URL."}},
                {c::kPageTitle, {"page_title", T::kText, kNull, "actionDetails[].pageTitle", "Page title."}},
                {c::kPageIdAction, {"page_id_action", T::kBigInt, kNull, "actionDetails[].pageIdAction",
                                    "Id of the action's URL in Matomo's log_action table."}},
                {c::kPageviewId, {"pageview_id", T::kText, kNull, "actionDetails[].idpageview",
                                  "6-char pageview id shared by a page and its events; null when empty."}},
                {c::kPageId, {"page_id", T::kBigInt, kNull, "actionDetails[].pageId",
                              "Matomo's id of this action (log_link_visit_action); null on goals and orders."}},
                {c::kPageviewPosition, {"pageview_position", T::kInt, kNull,
                                        "actionDetails[].pageviewPosition (interactionPosition)",
                                        "Position of the pageview the action belongs to."}},
                {c::kTimeSpentS, {"time_spent_s", T::kInt, kNull, "actionDetails[].timeSpent",
                                  "Seconds spent on the page."}},
                {c::kPageLoadTimeMs, {"page_load_time_ms", T::kInt, kNull, "actionDetails[].pageLoadTimeMilliseconds",
                                      "Page load time in milliseconds."}},
                {c::kEventCategory, {"event_category", T::kText, kNull, "actionDetails[].eventCategory",
                                     "Event category."}},
                {c::kEventAction, {"event_action", T::kText, kNull, "actionDetails[].eventAction", "Event action."}},
                {c::kEventName, {"event_name", T::kText, kNull, "actionDetails[].eventName", "Event name."}},
                {c::kEventValue, {"event_value", T::kDouble, kNull, "actionDetails[].eventValue", "Event value."}},
                {c::kSearchKeyword, {"search_keyword", T::kText, kNull, "actionDetails[].siteSearchKeyword",
                                     "Site search keyword."}},
                {c::kSearchCategory, {"search_category", T::kText, kNull, "actionDetails[].siteSearchCategory",
                                      "Site search category; null when empty."}},
                {c::kSearchCount, {"search_count", T::kInt, kNull, "actionDetails[].siteSearchCount",
                                   "Number of search results."}},
                {c::kContentName, {"content_name", T::kText, kNull, "actionDetails[].contentName", "Content name."}},
                {c::kContentPiece, {"content_piece", T::kText, kNull, "actionDetails[].contentPiece",
                                    "Content piece."}},
                {c::kContentTarget, {"content_target", T::kText, kNull, "actionDetails[].contentTarget",
                                     "Content target."}},
                {c::kContentInteraction, {"content_interaction", T::kText, kNull,
                                          "actionDetails[].contentInteraction",
                                          "Content interaction; null for an impression."}},
                {c::kGoalId, {"goal_id", T::kBigInt, kNull, "actionDetails[].goalId",
                              "Goal id on goal entries; 0 on orders and -1 on abandoned carts (as Matomo)."}},
                {c::kGoalName, {"goal_name", T::kText, kNull, "actionDetails[].goalName", "Goal name."}},
                {c::kRevenue, {"revenue", T::kDecimal, kNull, "actionDetails[].revenue",
                               "Goal, order or cart revenue."}},
                {c::kOrderId, {"order_id", T::kText, kNull, "actionDetails[].orderId", "Ecommerce order id."}},
                {c::kItems, {"items", T::kInt, kNull, "actionDetails[].items", "Items of an order or cart."}},
                {c::kProductSku, {"product_sku", T::kText, kNull, "actionDetails[].productViewSku",
                                  "SKU of a product page view."}},
                {c::kProductName, {"product_name", T::kText, kNull, "actionDetails[].productViewName",
                                   "Name of a product page view."}},
                {c::kProductCategory, {"product_category", T::kText, kNull, "actionDetails[].productViewCategories",
                                       "First category of a product page view."}},
                {c::kProductPrice, {"product_price", T::kDecimal, kNull, "actionDetails[].productViewPrice",
                                    "Price of a product page view."}},
                {c::kTimeSpentRefS, {"time_spent_ref_s", T::kInt, kNull, "actionDetails[].timestamp",
                                     "Seconds since the visit's previous entry (0 to 1800), on every entry but goals "
                                     "and ecommerce: Matomo's time_spent_ref_action, which its Actions reports add to "
                                     "the previous page (sum_time_spent). Hits Live does not list (cart updates) "
                                     "make Matomo's shorter."}},
            }),
      {"site_id", "visit_id", "action_index"},
      "visit_date",
      true};
}

TableDef CustomDimensions() {
  namespace c = dim_col;
  return {"matomo_custom_dimensions",
          "One row per non-null custom dimension value (dimensionN), of the visit or of one of its actions.",
          Place("matomo_custom_dimensions", c::kCount,
                {SiteId(c::kSiteId), VisitId(c::kVisitId), VisitDate(c::kVisitDate),
                 ActionIndex(c::kActionIndex, kNull, "Action the value belongs to; null for visit scope."),
                 {c::kScope, {"scope", T::kText, kNotNull, "visit.dimensionN or actionDetails[].dimensionN",
                              "visit or action."}},
                 {c::kDimensionId, {"dimension_id", T::kInt, kNotNull, "N of dimensionN",
                                    "Custom dimension id."}},
                 {c::kValue, {"value", T::kText, kNotNull, "dimensionN", "The value (text)."}}}),
          {"site_id", "visit_id", "action_index", "dimension_id"},
          "visit_date",
          true};
}

TableDef Conversions() {
  namespace c = conv_col;
  return {
      "matomo_conversions",
      "One row per goal conversion, ecommerce order and abandoned cart in actionDetails.",
      Place("matomo_conversions", c::kCount,
            {
                SiteId(c::kSiteId), VisitId(c::kVisitId), VisitDate(c::kVisitDate),
                ActionIndex(c::kActionIndex, kNotNull, "Position of the entry in actionDetails."),
                {c::kConversionType, {"conversion_type", T::kText, kNotNull, "actionDetails[].type",
                                      "goal, ecommerce_order or ecommerce_abandoned_cart."}},
                {c::kGoalId, {"goal_id", T::kBigInt, kNotNull, "actionDetails[].goalId",
                              "Goal id; 0 for orders, -1 for abandoned carts (as Matomo)."}},
                {c::kGoalName, {"goal_name", T::kText, kNull, "actionDetails[].goalName", "Goal name."}},
                {c::kConvertedAt, {"converted_at", T::kTimestampTz, kNotNull, "actionDetails[].timestamp",
                                   "When it converted (UTC)."}},
                {c::kConvertedLocal, {"converted_local", T::kTimestamp, kNotNull, "actionDetails[].timestamp",
                                      "When it converted, site-local wall time."}},
                {c::kRevenue, {"revenue", T::kDecimal, kNull, "actionDetails[].revenue",
                               "Revenue (goal revenue, order grand total or cart value)."}},
                {c::kRevenueSubtotal, {"revenue_subtotal", T::kDecimal, kNull, "actionDetails[].revenueSubTotal",
                                       "Order subtotal."}},
                {c::kRevenueTax, {"revenue_tax", T::kDecimal, kNull, "actionDetails[].revenueTax", "Order tax."}},
                {c::kRevenueShipping, {"revenue_shipping", T::kDecimal, kNull, "actionDetails[].revenueShipping",
                                       "Order shipping."}},
                {c::kRevenueDiscount, {"revenue_discount", T::kDecimal, kNull, "actionDetails[].revenueDiscount",
                                       "Order discount."}},
                {c::kItems, {"items", T::kInt, kNull, "actionDetails[].items", "Item count of an order or cart."}},
                {c::kOrderId, {"order_id", T::kText, kNull, "actionDetails[].orderId", "Ecommerce order id."}},
                {c::kUrl, {"url", T::kText, kNull, "actionDetails[].url", "URL where a goal converted."}},
            }),
      {"site_id", "visit_id", "action_index"},
      "visit_date",
      true};
}

TableDef EcommerceItems() {
  namespace c = item_col;
  return {"matomo_ecommerce_items",
          "One row per item (itemDetails) of an ecommerce order or abandoned cart.",
          Place("matomo_ecommerce_items", c::kCount,
                {SiteId(c::kSiteId), VisitId(c::kVisitId), VisitDate(c::kVisitDate),
                 ActionIndex(c::kActionIndex, kNotNull, "Position of the order or cart in actionDetails."),
                 {c::kConversionType, {"conversion_type", T::kText, kNotNull, "actionDetails[].type",
                                       "ecommerce_order or ecommerce_abandoned_cart."}},
                 {c::kOrderId, {"order_id", T::kText, kNull, "actionDetails[].orderId", "Order id (null for carts)."}},
                 {c::kItemIndex, {"item_index", T::kInt, kNotNull, "position in itemDetails",
                                  "0-based position in itemDetails."}},
                 {c::kSku, {"sku", T::kText, kNull, "itemDetails[].itemSKU", "Item SKU."}},
                 {c::kName, {"name", T::kText, kNull, "itemDetails[].itemName", "Item name."}},
                 {c::kCategory, {"category", T::kText, kNull, "itemDetails[].itemCategory", "Item category."}},
                 {c::kPrice, {"price", T::kDecimal, kNull, "itemDetails[].price", "Unit price."}},
                 {c::kQuantity, {"quantity", T::kBigInt, kNull, "itemDetails[].quantity", "Quantity."}}}),
          {"site_id", "visit_id", "action_index", "item_index"},
          "visit_date",
          true};
}

TableDef Sites() {
  return {"matomo_sites",
          "One row per site (SitesManager.getSiteFromId).",
          Place("matomo_sites", -1,
                {{-1, {"site_id", T::kBigInt, kNotNull, "site.idsite", "Matomo site id."}},
                 {-1, {"name", T::kText, kNull, "site.name", "Site name."}},
                 {-1, {"main_url", T::kText, kNull, "site.main_url", "Main URL."}},
                 {-1, {"timezone", T::kText, kNotNull, "site.timezone",
                       "IANA time zone (or UTC+h) that defines the site's days."}},
                 {-1, {"currency", T::kText, kNull, "site.currency", "Currency code of revenues."}},
                 {-1, {"ecommerce", T::kBool, kNull, "site.ecommerce", "Ecommerce enabled."}},
                 {-1, {"sitesearch", T::kBool, kNull, "site.sitesearch", "Site search tracking enabled."}},
                 {-1, {"type", T::kText, kNull, "site.type", "Site type (website, intranet, ...)."}},
                 {-1, {"created_at", T::kTimestampTz, kNull, "site.ts_created", "When the site was created."}},
                 {-1, {"updated_at", T::kTimestampTz, kNotNull, "etl", "When this row was last refreshed."}}}),
          {"site_id"},
          "",
          false};
}

TableDef Goals() {
  return {"matomo_goals",
          "One row per goal (Goals.getGoals).",
          Place("matomo_goals", -1,
                {{-1, {"site_id", T::kBigInt, kNotNull, "goal.idsite", "Matomo site id."}},
                 {-1, {"goal_id", T::kBigInt, kNotNull, "goal.idgoal", "Goal id."}},
                 {-1, {"name", T::kText, kNull, "goal.name", "Goal name."}},
                 {-1, {"description", T::kText, kNull, "goal.description", "Goal description."}},
                 {-1, {"match_attribute", T::kText, kNull, "goal.match_attribute",
                       "What triggers it: url, title, event_category, manually, ..."}},
                 {-1, {"pattern", T::kText, kNull, "goal.pattern", "Pattern matched."}},
                 {-1, {"pattern_type", T::kText, kNull, "goal.pattern_type", "contains, exact or regex."}},
                 {-1, {"case_sensitive", T::kBool, kNull, "goal.case_sensitive", "Pattern is case sensitive."}},
                 {-1, {"allow_multiple", T::kBool, kNull, "goal.allow_multiple", "Converts more than once per visit."}},
                 {-1, {"revenue", T::kDecimal, kNull, "goal.revenue", "Default revenue."}},
                 {-1, {"deleted", T::kBool, kNull, "goal.deleted", "Goal deleted."}},
                 {-1, {"updated_at", T::kTimestampTz, kNotNull, "etl", "When this row was last refreshed."}}}),
          {"site_id", "goal_id"},
          "",
          false};
}

TableDef DailyKpis() {
  auto kpi = [](std::string_view name, LogicalType type, std::string_view source, std::string_view desc) {
    return IndexedColumn{-1, {name, type, kNotNull, source, desc}};
  };
  return {"matomo_daily_kpis",
          "One row per site and site-local day, by Matomo's definitions (VisitsSummary.get, Actions.get, "
          "Goals.get); built by the models from the curated tables.",
          Place("matomo_daily_kpis", -1,
                {kpi("site_id", T::kBigInt, "matomo_visits.site_id", "Matomo site id."),
                 kpi("date", T::kDate, "matomo_visits.visit_date", "Site-local day."),
                 kpi("nb_visits", T::kBigInt, "count(*)", "Visits."),
                 kpi("nb_uniq_visitors", T::kBigInt, "count(distinct visitor_id)", "Unique visitors."),
                 kpi("nb_users", T::kBigInt, "count(distinct user_id)", "Distinct user ids."),
                 kpi("nb_actions", T::kBigInt, "sum(actions)", "Actions."),
                 kpi("nb_visits_converted", T::kBigInt, "count(*) filter (visit_converted)", "Converted visits."),
                 kpi("bounce_count", T::kBigInt, "count(*) filter (actions <= 1)", "Bounced visits."),
                 kpi("sum_visit_length", T::kBigInt, "sum(visit_duration_s)", "Total visit length (s)."),
                 kpi("max_actions", T::kBigInt, "max(actions)", "Most actions in one visit."),
                 kpi("nb_pageviews", T::kBigInt, "count of matomo_actions[pageview]", "Pageviews (Actions.get)."),
                 kpi("nb_conversions", T::kBigInt, "count of matomo_conversions[goal_id >= 0]",
                     "Goal conversions and orders, not abandoned carts (Goals.get)."),
                 kpi("revenue", T::kWideDecimal, "sum of matomo_conversions[goal_id >= 0].revenue",
                     "Goal and order revenue, not abandoned carts (Goals.get). DECIMAL(38,6): a day's sum "
                     "never overflows, whatever the currency.")}),
          {"site_id", "date"},
          "date",
          false};
}

TableDef Partitions() {
  return {"matomo_etl_partitions",
          "The load ledger: one row per loaded (site, site-local day) partition, written in the same "
          "transaction as the partition's rows where the engine has transactions.",
          Place("matomo_etl_partitions", -1,
                {{-1, {"site_id", T::kBigInt, kNotNull, "landing manifest site_id", "Matomo site id."}},
                 {-1, {"date", T::kDate, kNotNull, "landing manifest date", "Site-local day."}},
                 {-1, {"visits", T::kBigInt, kNotNull, "landing manifest visits", "Visits loaded."}},
                 {-1, {"content_hash", T::kText, kNotNull, "landing manifest content_sha256",
                       "Content hash of the landing partition; an unchanged hash is not reloaded."}},
                 {-1, {"status", T::kText, kNotNull, "etl", "loaded or failed."}},
                 {-1, {"loaded_at", T::kTimestampTz, kNotNull, "etl", "When the partition was loaded (UTC)."}},
                 {-1, {"extracted_at", T::kTimestampTz, kNull, "landing manifest extracted_at",
                       "When the partition was extracted (UTC)."}},
                 {-1, {"landing_status", T::kText, kNull, "landing manifest status", "complete, partial or mismatch."}},
                 {-1, {"matomo_nb_visits", T::kBigInt, kNull, "landing manifest matomo_nb_visits",
                       "VisitsSummary.get nb_visits at extraction."}},
                 {-1, {"truncated_visits", T::kBigInt, kNull, "landing manifest truncated_visits",
                       "Visits carrying truncatedActionsCount."}},
                 {-1, {"bytes", T::kBigInt, kNull, "landing manifest bytes", "Uncompressed JSON bytes."}},
                 {-1, {"last_error", T::kText, kNull, "etl", "Error of the last failed load, if any."}},
                 {-1, {"etl_version", T::kText, kNull, "etl", "matomo-etl version that loaded it."}},
                 {-1, {"source", T::kText, kNull, "landing manifest request",
                       "Which exit fed the partition: live (Live API) or dwc (Data Warehouse Connector); null "
                       "for partitions loaded before this column existed (live)."}}}),
          {"site_id", "date"},
          "date",
          false};
}

std::vector<TableDef> BuildAll() {
  // Curated tables first, in CuratedTable order (columns.h).
  std::vector<TableDef> all;
  all.push_back(Visits());
  all.push_back(Actions());
  all.push_back(CustomDimensions());
  all.push_back(Conversions());
  all.push_back(EcommerceItems());
  all.push_back(RawVisits());
  all.push_back(Sites());
  all.push_back(Goals());
  all.push_back(DailyKpis());
  for (TableDef& t : ReportTables()) all.push_back(std::move(t));
  all.push_back(Partitions());
  for (TableDef& t : AnalysisTables()) all.push_back(std::move(t));
  return all;
}

}  // namespace

int TableDef::ColumnIndex(std::string_view column) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return static_cast<int>(i);
  }
  return -1;
}

const std::vector<TableDef>& AllTables() {
  static const std::vector<TableDef> all = BuildAll();
  return all;
}

const std::vector<TableDef>& CuratedTables() {
  static const std::vector<TableDef> curated(AllTables().begin(), AllTables().begin() + kCuratedTableCount);
  return curated;
}

const TableDef* FindTable(std::string_view name) {
  for (const auto& t : AllTables()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const char* LogicalTypeName(LogicalType type) {
  switch (type) {
    case LogicalType::kBigInt: return "BIGINT";
    case LogicalType::kInt: return "INTEGER";
    case LogicalType::kDouble: return "DOUBLE";
    case LogicalType::kDecimal: return "DECIMAL(18,6)";
    case LogicalType::kWideDecimal: return "DECIMAL(38,6)";
    case LogicalType::kBool: return "BOOLEAN";
    case LogicalType::kText: return "TEXT";
    case LogicalType::kDate: return "DATE";
    case LogicalType::kTimestampTz: return "TIMESTAMPTZ";
    case LogicalType::kTimestamp: return "TIMESTAMP";
    case LogicalType::kJson: return "JSON";
  }
  return "?";
}

}  // namespace metl
