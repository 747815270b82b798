// Every report table is (site_id, date, report, label, codes..., metrics...): `report` names the Matomo API
// method a row equals, `label` holds the dimension value exactly as that method labels it, and the metric
// columns carry Matomo's metric names, so that a row compares one to one with the API's row.
#include "normalize/report_schema.h"

#include <initializer_list>

namespace metl {
namespace {

using T = LogicalType;

ColumnDef Col(std::string_view name, LogicalType type, bool nullable, std::string_view source,
              std::string_view description) {
  return {name, type, nullable, source, description};
}
ColumnDef Metric(std::string_view name, std::string_view source, std::string_view description,
                 LogicalType type = T::kBigInt) {
  return {name, type, false, source, description};
}

std::vector<ColumnDef> Head(std::string_view label_source, std::string_view label_description,
                            std::initializer_list<ColumnDef> codes) {
  std::vector<ColumnDef> cols = {
      Col("site_id", T::kBigInt, false, "matomo_visits.site_id", "Matomo site id."),
      Col("date", T::kDate, false, "matomo_visits.visit_date", "Site-local day (period=day)."),
      Col("report", T::kText, false, "Matomo API method", "The Matomo API method this row equals."),
      Col("label", T::kText, false, label_source, label_description),
  };
  cols.insert(cols.end(), codes);
  return cols;
}

void Append(std::vector<ColumnDef>& cols, const std::vector<ColumnDef>& more) {
  cols.insert(cols.end(), more.begin(), more.end());
}

// Visit metrics of a visit-dimension report (Referrers, DevicesDetection, UserCountry, CustomDimensions
// of visit scope): Matomo's VisitsSummary metrics over the label's visits, and the goal totals.
std::vector<ColumnDef> VisitMetrics() {
  return {
      Metric("nb_visits", "count(*)", "Visits."),
      Metric("nb_uniq_visitors", "count(distinct visitor_id)", "Unique visitors."),
      Metric("nb_users", "count(distinct user_id)", "Distinct user ids."),
      Metric("nb_actions", "sum(actions)", "Actions."),
      Metric("max_actions", "max(actions)", "Most actions in one visit."),
      Metric("sum_visit_length", "sum(visit_duration_s)", "Total visit length (s)."),
      Metric("bounce_count", "count(*) filter (actions <= 1)", "Bounced visits."),
      Metric("nb_visits_converted", "count(*) filter (visit_converted)", "Visits that converted."),
      Metric("nb_conversions", "count of matomo_conversions[goal, ecommerce_order]",
             "Goal conversions and ecommerce orders of these visits (not abandoned carts)."),
      Metric("revenue", "sum of matomo_conversions[goal, ecommerce_order].revenue",
             "Goal and order revenue of these visits (not abandoned carts).", T::kWideDecimal),
  };
}

// Page metrics of Actions.getPageUrls / getPageTitles (flat).
std::vector<ColumnDef> PageMetrics() {
  return {
      Metric("nb_hits", "count of pageviews", "Pageviews."),
      Metric("nb_visits", "count(distinct visit_id)", "Visits that viewed the page (unique pageviews)."),
      Metric("nb_uniq_visitors", "count(distinct visitor_id)", "Unique visitors."),
      Metric("sum_time_spent", "sum of time_spent_ref_s of the entries that follow the page",
             "Seconds spent on the page: each later entry's time since the previous hit, events excepted, "
             "added to the last page viewed before it (Matomo's time_spent_ref_action by idaction_url_ref)."),
      Metric("entry_nb_visits", "visits whose first pageview is this page", "Entrances."),
      Metric("entry_nb_actions", "sum(actions) of those visits", "Actions of the visits entering here."),
      Metric("entry_sum_visit_length", "sum(visit_duration_s) of those visits", "Length of the visits entering here."),
      Metric("entry_bounce_count", "those visits with actions <= 1", "Bounces on entering here."),
      Metric("exit_nb_visits", "visits whose last pageview or site search is this page",
             "Exits (a site search after the last page leaves the visit without an exit page, as in Matomo)."),
      Metric("nb_hits_with_page_load_time", "count(page_load_time_ms)", "Pageviews with a page load time."),
      Metric("sum_page_load_time_ms", "sum(page_load_time_ms)",
             "Total page load time (ms); Matomo's avg_page_load_time = this / nb_hits_with_page_load_time / 1000."),
  };
}

TableDef Report(std::string_view name, std::string_view description, std::vector<ColumnDef> cols,
                std::vector<std::string_view> key) {
  return {name, description, std::move(cols), std::move(key), "date", false};
}

}  // namespace

std::vector<TableDef> ReportTables() {
  std::vector<TableDef> out;
  {
    auto cols = Head("path and query of matomo_actions.url",
                     "The page URL without scheme and host, as flat "
                     "Actions.getPageUrls labels it (\"/category/shoes?color=red\").",
                     {});
    Append(cols, PageMetrics());
    out.push_back(Report("matomo_pages_daily", "Actions.getPageUrls (flat=1): one row per page URL and day.",
                         std::move(cols), {"site_id", "date", "report", "label"}));
  }
  {
    auto cols = Head("matomo_actions.page_title", "The page title (\"Page Name not defined\" when empty).", {});
    Append(cols, PageMetrics());
    out.push_back(Report("matomo_page_titles_daily", "Actions.getPageTitles (flat=1): one row per page title and day.",
                         std::move(cols), {"site_id", "date", "report", "label"}));
  }
  {
    auto cols = Head("referrer type name, or the keyword (search) or name (others)",
                     "Referrers.getReferrerType: \"Direct Entry\", \"Search Engines\", \"Websites\", \"Campaigns\", "
                     "\"Social Networks\"; Referrers.getAll: the search keyword (\"Keyword not defined\") or the "
                     "website, campaign or social network name.",
                     {Col("referrer_type", T::kText, false, "matomo_visits.referrer_type",
                          "direct, search, website, campaign or social.")});
    Append(cols, VisitMetrics());
    out.push_back(Report("matomo_referrers_daily",
                         "Referrers.getReferrerType and Referrers.getAll (report column): one row per referrer type, "
                         "or per type and name, and day.",
                         std::move(cols), {"site_id", "date", "report", "referrer_type", "label"}));
  }
  {
    auto cols = Head("matomo_visits.campaign_name", "The campaign name (lower-cased by Matomo).", {});
    Append(cols, VisitMetrics());
    out.push_back(Report("matomo_campaigns_daily", "Referrers.getCampaigns: one row per campaign and day.",
                         std::move(cols), {"site_id", "date", "report", "label"}));
  }
  {
    auto cols = Head("matomo_visits.device_type",
                     "Device type as Matomo labels it (\"Desktop\", \"Smartphone\", "
                     "\"Unknown\"). Matomo also lists every other type with 0 visits; these tables do not.",
                     {});
    Append(cols, VisitMetrics());
    out.push_back(Report("matomo_devices_daily", "DevicesDetection.getType: one row per device type and day.",
                         std::move(cols), {"site_id", "date", "report", "label"}));
  }
  {
    auto cols = Head("matomo_visits.country_name", "Country name as Matomo labels it (\"Japan\", \"Unknown\").",
                     {Col("country_code", T::kText, true, "matomo_visits.country_code",
                          "ISO code, lower case (the API row's `code`).")});
    Append(cols, VisitMetrics());
    out.push_back(Report("matomo_countries_daily", "UserCountry.getCountry: one row per country and day.",
                         std::move(cols), {"site_id", "date", "report", "label"}));
  }
  {
    auto cols = Head("event category, action or name",
                     "Events.getCategory: the category; Events.getAction: the "
                     "action; Events.getName: the name (\"Event Name not defined\" when empty).",
                     {});
    Append(cols, {Metric("nb_events", "count(*)", "Events."),
                  Metric("nb_visits", "sum over the secondary label of count(distinct visit_id)",
                         "Visits with such an event, counted once per action (getCategory, getName) or name "
                         "(getAction), as Matomo sums its subtables."),
                  Metric("nb_uniq_visitors", "likewise, count(distinct visitor_id)", "Unique visitors, likewise."),
                  Metric("nb_events_with_value", "count(event_value)", "Events that carry a value."),
                  Metric("sum_event_value", "sum(event_value)", "Sum of the values.", T::kDouble),
                  Col("min_event_value", T::kDouble, true, "min(event_value)", "Smallest value (null: none)."),
                  Col("max_event_value", T::kDouble, true, "max(event_value)", "Largest value (null: none).")});
    out.push_back(Report("matomo_events_daily",
                         "Events.getCategory, Events.getAction and Events.getName (report column): one row per "
                         "label and day.",
                         std::move(cols), {"site_id", "date", "report", "label"}));
  }
  {
    auto cols = Head("matomo_actions.search_keyword", "The site search keyword.", {});
    Append(cols, {Metric("nb_hits", "count(*)", "Searches."),
                  Metric("nb_visits", "count(distinct visit_id)", "Visits that searched it."),
                  Metric("sum_time_spent", "sum of time_spent_ref_s of the entries that follow the search",
                         "Seconds spent on the result page."),
                  Metric("exit_nb_visits", "visits whose last pageview or search is this search",
                         "Visits that left after this search."),
                  Col("nb_pages_per_search", T::kDouble, true, "nb_hits / nb_visits",
                      "Searches per visit that searched it (Matomo's nb_pages_per_search, rounded there).")});
    out.push_back(Report("matomo_site_search_daily", "Actions.getSiteSearchKeywords: one row per keyword and day.",
                         std::move(cols), {"site_id", "date", "report", "label"}));
  }
  {
    auto cols = Head("goal name",
                     "The goal's name; \"Ecommerce order\" and \"Abandoned cart\" for the ecommerce "
                     "rows; \"All goals\" for Goals.get without idGoal.",
                     {Col("goal_id", T::kText, false, "matomo_conversions.goal_id",
                          "Goals.get's idGoal: the goal id, ecommerceOrder, ecommerceAbandonedCart, or '' for the "
                          "total row.")});
    Append(cols, {Metric("nb_conversions", "count(*)", "Conversions (orders; carts)."),
                  Metric("nb_visits_converted", "count(distinct visit_id)",
                         "Visits that converted it (total row: visits with visit_converted)."),
                  Metric("revenue", "sum(revenue)", "Revenue.", T::kWideDecimal),
                  Metric("revenue_subtotal", "sum(revenue_subtotal)", "Orders: subtotal.", T::kWideDecimal),
                  Metric("revenue_tax", "sum(revenue_tax)", "Orders: tax.", T::kWideDecimal),
                  Metric("revenue_shipping", "sum(revenue_shipping)", "Orders: shipping.", T::kWideDecimal),
                  Metric("revenue_discount", "sum(revenue_discount)", "Orders: discount.", T::kWideDecimal),
                  Metric("items", "sum(items)", "Orders and carts: items.")});
    out.push_back(Report("matomo_goals_daily",
                         "Goals.get per goal (idGoal), ecommerce orders and abandoned carts included, and the total "
                         "over goals and orders (carts apart).",
                         std::move(cols), {"site_id", "date", "report", "goal_id"}));
  }
  {
    auto cols = Head("item SKU or category", "Goals.getItemsSku: the SKU; Goals.getItemsCategory: the category.",
                     {Col("abandoned_cart", T::kBool, false, "matomo_ecommerce_items.conversion_type",
                          "false: ordered items; true: items of abandoned carts (the API's abandonedCarts=1).")});
    Append(cols,
           {Metric("revenue", "sum(price * quantity)", "Item revenue.", T::kWideDecimal),
            Metric("quantity", "sum(quantity)", "Quantity (a wide decimal: a sum of item quantities may pass 64 bits).", T::kWideDecimal),
            Metric("orders", "count(distinct order or cart)",
                   "Orders (abandoned_cart: carts; the API calls it abandoned_carts)."),
            Metric("nb_visits", "count(distinct visit_id) of product page views",
                   "Visits that viewed the product (or a product of the category)."),
            Metric("nb_actions", "count of product page views", "Product page views."),
            Col("avg_price", T::kDouble, true, "revenue / quantity, else the average viewed price", "Average price.")});
    out.push_back(Report("matomo_items_daily",
                         "Goals.getItemsSku and Goals.getItemsCategory (report column), orders and abandoned carts "
                         "apart: one row per label and day.",
                         std::move(cols), {"site_id", "date", "report", "abandoned_cart", "label"}));
  }
  {
    auto cols = Head("matomo_custom_dimensions.value", "The dimension's value.",
                     {Col("dimension_id", T::kInt, false, "matomo_custom_dimensions.dimension_id",
                          "Custom dimension id (idDimension)."),
                      Col("scope", T::kText, false, "matomo_custom_dimensions.scope", "visit or action.")});
    auto visit = VisitMetrics();
    visit.insert(visit.begin() + 1, Metric("nb_hits", "action scope: count(*); visit scope: 0",
                                           "Action scope: actions carrying the value."));
    Append(cols, visit);
    out.push_back(Report("matomo_custom_dimensions_daily",
                         "CustomDimensions.getCustomDimension: one row per dimension, value and day. Visit scope: the "
                         "visit metrics; action scope: nb_hits, nb_visits and nb_uniq_visitors (others 0).",
                         std::move(cols), {"site_id", "date", "report", "dimension_id", "label"}));
  }
  return out;
}

}  // namespace metl
