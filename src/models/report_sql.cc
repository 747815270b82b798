// The report tables' SQL (issue 15): Matomo's own day reports rebuilt from the curated tables, one statement
// pair (DELETE the touched days, INSERT them again) per table, in SQL that DuckDB, PostgreSQL and GoogleSQL
// all accept. {V} stands for the touched (site, day)s as a predicate on site_id and visit_date of the one
// curated table in its FROM, {D} for the same on the report table's site_id and date (report_days.cc).
//
// The definitions follow Matomo 5's archivers, and the real sample (tests/data/matomo-5.1.2-sample) holds
// them to Matomo's answers:
// - visit-dimension reports (Referrers, DevicesDetection, UserCountry, CustomDimensions of visit scope):
//   VisitsSummary's metrics over the label's visits; nb_conversions and revenue are the goal conversions and
//   ecommerce orders (not abandoned carts) of those visits.
// - pages and titles (Actions archiver): nb_hits = pageviews, nb_visits = distinct visits; the entry page is
//   the visit's first pageview; the exit page its last pageview, unless a site search came after it (Matomo
//   sets visit_exit_idaction_url to the search's empty URL); sum_time_spent adds each later entry's
//   time_spent_ref_s (events excepted) to the last page viewed before it (time_spent_ref_action grouped by
//   idaction_url_ref).
//
// Speed: each CTE names the columns it needs. A CTE read twice is materialized (DuckDB), and a window over it
// sorts every column it carries: `SELECT *` of matomo_actions (38 columns) made the pages, titles and
// site-search windows 2 to 3 times slower than the few columns they use (bench/results/report_rebuild.md).
#include "models/report_models.h"

namespace metl::models {
namespace {

// Conversions and revenue per visit (goals and orders, not abandoned carts), and the visits with them.
constexpr std::string_view kVisitsWithGoals = R"SQL(
WITH v AS (
  SELECT site_id, visit_date, visit_id, visitor_id, user_id, actions, visit_duration_s, visit_converted, referrer_type,
          referrer_name, referrer_keyword, campaign_name, device_type, country_code, country_name
  FROM matomo_visits WHERE {V}
),
c AS (
  SELECT site_id, visit_id, count(*) AS conv, sum(revenue) AS rev FROM matomo_conversions
  WHERE {V} AND conversion_type IN ('goal', 'ecommerce_order') GROUP BY site_id, visit_id
),
vg AS (
  SELECT v.*, coalesce(c.conv, 0) AS conv, coalesce(c.rev, 0) AS rev
  FROM v LEFT JOIN c ON c.site_id = v.site_id AND c.visit_id = v.visit_id
))SQL";

constexpr std::string_view kVisitMetricColumns =
    "nb_visits, nb_uniq_visitors, nb_users, nb_actions, max_actions, sum_visit_length, bounce_count, "
    "nb_visits_converted, nb_conversions, revenue";

constexpr std::string_view kVisitMetricSelect = R"SQL(
  count(*), count(DISTINCT visitor_id), count(DISTINCT user_id), sum(actions), max(actions),
  sum(visit_duration_s), sum(CASE WHEN actions <= 1 THEN 1 ELSE 0 END),
  sum(CASE WHEN visit_converted THEN 1 ELSE 0 END), sum(conv), sum(rev))SQL";

// One visit-dimension report: `labelled` selects (vg.*, label, code...) rows; NULL labels are left out.
std::string VisitReport(std::string_view table, std::string_view codes, std::string_view labelled) {
  std::string code_list = codes.empty() ? "" : std::string(codes) + ", ";
  std::string sql = "INSERT INTO " + std::string(table) + " (site_id, date, report, label, " + code_list +
                    std::string(kVisitMetricColumns) + ")\n" + std::string(kVisitsWithGoals) + ",\nl AS (" +
                    std::string(labelled) + ")\nSELECT site_id, visit_date, report, label, " + code_list +
                    std::string(kVisitMetricSelect) + "\nFROM l WHERE label IS NOT NULL\nGROUP BY site_id, visit_date, report, label" +
                    (codes.empty() ? "" : ", " + std::string(codes));
  return sql;
}

constexpr std::string_view kReferrers = R"SQL(
  SELECT vg.*, 'Referrers.getReferrerType' AS report,
         CASE referrer_type WHEN 'direct' THEN 'Direct Entry' WHEN 'search' THEN 'Search Engines'
           WHEN 'website' THEN 'Websites' WHEN 'campaign' THEN 'Campaigns' WHEN 'social' THEN 'Social Networks'
           WHEN 'ai' THEN 'AI Assistants' ELSE referrer_type END AS label
  FROM vg
  UNION ALL
  SELECT vg.*, 'Referrers.getAll' AS report,
         CASE WHEN referrer_type = 'search' THEN coalesce(referrer_keyword, 'Keyword not defined')
              WHEN referrer_type = 'direct' THEN NULL ELSE referrer_name END AS label
  FROM vg)SQL";

constexpr std::string_view kCampaigns = R"SQL(
  SELECT vg.*, 'Referrers.getCampaigns' AS report, campaign_name AS label FROM vg WHERE referrer_type = 'campaign')SQL";

constexpr std::string_view kDevices = R"SQL(
  SELECT vg.*, 'DevicesDetection.getType' AS report, coalesce(device_type, 'Unknown') AS label FROM vg)SQL";

constexpr std::string_view kCountries = R"SQL(
  SELECT vg.*, 'UserCountry.getCountry' AS report, coalesce(country_name, 'Unknown') AS label FROM vg)SQL";

// Pages and titles share everything but the label.
// `ends_filter`: which pages can be a visit's entry (titles: only pages with a title, as Matomo's
// visit_entry_idaction_name is empty for an untitled first page). `anchor`: the entries that Matomo's
// visit_exit_idaction_url (or _name) follows, which then receive the later entries' time and the exit: every
// pageview and site search for URLs; for titles, titled pageviews and searches (an untitled page leaves the
// name as it was).
std::string PageReport(std::string_view table, std::string_view report, std::string_view label_expr,
                       std::string_view ends_filter, std::string_view anchor) {
  return std::string(R"SQL(INSERT INTO )SQL") + std::string(table) + R"SQL( (site_id, date, report, label, nb_hits, nb_visits,
  nb_uniq_visitors, sum_time_spent, entry_nb_visits, entry_nb_actions, entry_sum_visit_length, entry_bounce_count,
  exit_nb_visits, nb_hits_with_page_load_time, sum_page_load_time_ms)
WITH a AS (
  SELECT site_id, visit_date, visit_id, action_index, action_type, url, page_title, time_spent_ref_s, page_load_time_ms
  FROM matomo_actions WHERE {V}
),
v AS (SELECT site_id, visit_id, visitor_id, actions, visit_duration_s FROM matomo_visits WHERE {V}),
ends AS (
  SELECT site_id, visit_id,
         min(CASE WHEN action_type = 'pageview' THEN action_index END) AS entry_index,
         max(CASE WHEN )SQL" + std::string(anchor) + R"SQL( THEN action_index END) AS exit_index
  FROM a GROUP BY site_id, visit_id
),
refs AS (
  SELECT site_id, visit_id, action_type, time_spent_ref_s,
         max(CASE WHEN )SQL" + std::string(anchor) + R"SQL( THEN action_index END) OVER (
           PARTITION BY site_id, visit_id ORDER BY action_index ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
         ) AS page_index
  FROM a
),
spent AS (
  SELECT site_id, visit_id, page_index, sum(time_spent_ref_s) AS t FROM refs
  WHERE page_index IS NOT NULL AND action_type IN ('pageview', 'download', 'outlink', 'search', 'content')
  GROUP BY site_id, visit_id, page_index
),
p AS (
  SELECT a.site_id, a.visit_date, a.visit_id, v.visitor_id, v.actions, v.visit_duration_s, a.page_load_time_ms,
         )SQL" + std::string(label_expr) + R"SQL( AS label,
         coalesce(spent.t, 0) AS time_spent,
         CASE WHEN a.action_index = ends.entry_index AND )SQL" + std::string(ends_filter) + R"SQL( THEN 1 ELSE 0 END AS is_entry,
         CASE WHEN a.action_index = ends.exit_index THEN 1 ELSE 0 END AS is_exit
  FROM a
  JOIN v ON v.site_id = a.site_id AND v.visit_id = a.visit_id
  JOIN ends ON ends.site_id = a.site_id AND ends.visit_id = a.visit_id
  LEFT JOIN spent ON spent.site_id = a.site_id AND spent.visit_id = a.visit_id AND spent.page_index = a.action_index
  WHERE a.action_type = 'pageview'
)
SELECT site_id, visit_date, ')SQL" + std::string(report) + R"SQL(', label, count(*), count(DISTINCT visit_id),
       count(DISTINCT visitor_id), sum(time_spent), sum(is_entry), sum(is_entry * actions),
       sum(is_entry * visit_duration_s), sum(CASE WHEN is_entry = 1 AND actions <= 1 THEN 1 ELSE 0 END),
       sum(is_exit), count(page_load_time_ms), coalesce(sum(page_load_time_ms), 0)
FROM p GROUP BY site_id, visit_date, label)SQL";
}

// The page URL without scheme and host: flat Actions.getPageUrls labels ("/", "/shop?x=1").
constexpr std::string_view kUrlLabel =
    "coalesce(nullif(regexp_replace(coalesce(a.url, ''), '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*', ''), ''), '/')";
constexpr std::string_view kUrlAnchor = "action_type IN ('pageview', 'search')";
constexpr std::string_view kTitleAnchor =
    "((action_type = 'pageview' AND coalesce(page_title, '') <> '') OR action_type = 'search')";
constexpr std::string_view kTitleLabel = "coalesce(nullif(a.page_title, ''), 'Page Name not defined')";

// Events: Matomo builds each report's rows by summing its subtable rows (category by action, action by
// name, name by action), so nb_visits and nb_uniq_visitors are sums of distinct counts per secondary label.
constexpr std::string_view kEvents = R"SQL(INSERT INTO matomo_events_daily (site_id, date, report, label, nb_events,
  nb_visits, nb_uniq_visitors, nb_events_with_value, sum_event_value, min_event_value, max_event_value)
WITH a AS (
  SELECT site_id, visit_date, visit_id, event_value, event_category, event_action, event_name FROM matomo_actions
  WHERE {V} AND action_type = 'event'
),
v AS (SELECT site_id, visit_id, visitor_id FROM matomo_visits WHERE {V}),
e AS (
  SELECT a.site_id, a.visit_date, a.visit_id, v.visitor_id, a.event_value,
         coalesce(a.event_category, 'Event Category not defined') AS category,
         coalesce(a.event_action, 'Event Action not defined') AS action,
         coalesce(a.event_name, 'Event Name not defined') AS name
  FROM a JOIN v ON v.site_id = a.site_id AND v.visit_id = a.visit_id
),
l AS (
  SELECT e.*, 'Events.getCategory' AS report, category AS label, action AS secondary FROM e
  UNION ALL
  SELECT e.*, 'Events.getAction' AS report, action AS label, name AS secondary FROM e
  UNION ALL
  SELECT e.*, 'Events.getName' AS report, name AS label, action AS secondary FROM e
),
sub AS (
  SELECT site_id, visit_date, report, label, count(*) AS nb_events, count(DISTINCT visit_id) AS nb_visits,
         count(DISTINCT visitor_id) AS nb_uniq_visitors, count(event_value) AS nb_events_with_value,
         sum(event_value) AS sum_event_value, min(event_value) AS min_event_value, max(event_value) AS max_event_value
  FROM l GROUP BY site_id, visit_date, report, label, secondary
)
SELECT site_id, visit_date, report, label, sum(nb_events), sum(nb_visits), sum(nb_uniq_visitors),
       sum(nb_events_with_value), coalesce(sum(sum_event_value), 0), min(min_event_value), max(max_event_value)
FROM sub GROUP BY site_id, visit_date, report, label)SQL";

constexpr std::string_view kSiteSearch = R"SQL(INSERT INTO matomo_site_search_daily (site_id, date, report, label,
  nb_hits, nb_visits, sum_time_spent, exit_nb_visits, nb_pages_per_search)
WITH a AS (
  SELECT site_id, visit_date, visit_id, action_index, action_type, page_title, time_spent_ref_s, search_keyword,
         search_count
  FROM matomo_actions WHERE {V}
),
ends AS (
  SELECT site_id, visit_id, max(CASE WHEN (action_type = 'pageview' AND coalesce(page_title, '') <> '') OR action_type = 'search' THEN action_index END) AS exit_index
  FROM a GROUP BY site_id, visit_id
),
refs AS (
  SELECT site_id, visit_id, action_type, time_spent_ref_s,
         max(CASE WHEN (action_type = 'pageview' AND coalesce(page_title, '') <> '') OR action_type = 'search' THEN action_index END) OVER (
           PARTITION BY site_id, visit_id ORDER BY action_index ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
         ) AS page_index
  FROM a
),
spent AS (
  SELECT site_id, visit_id, page_index, sum(time_spent_ref_s) AS t FROM refs
  WHERE page_index IS NOT NULL AND action_type IN ('pageview', 'download', 'outlink', 'search', 'content')
  GROUP BY site_id, visit_id, page_index
),
s AS (
  SELECT a.site_id, a.visit_date, a.visit_id, a.search_keyword AS label, a.search_count,
         coalesce(spent.t, 0) AS time_spent,
         CASE WHEN a.action_index = ends.exit_index THEN 1 ELSE 0 END AS is_exit
  FROM a
  JOIN ends ON ends.site_id = a.site_id AND ends.visit_id = a.visit_id
  LEFT JOIN spent ON spent.site_id = a.site_id AND spent.visit_id = a.visit_id AND spent.page_index = a.action_index
  WHERE a.action_type = 'search'
)
SELECT site_id, visit_date, 'Actions.getSiteSearchKeywords', label, count(*), count(DISTINCT visit_id),
       sum(time_spent), sum(is_exit), CAST(count(*) AS {FLOAT}) / count(DISTINCT visit_id)
FROM s WHERE label IS NOT NULL GROUP BY site_id, visit_date, label)SQL";

constexpr std::string_view kGoals = R"SQL(INSERT INTO matomo_goals_daily (site_id, date, report, label, goal_id,
  nb_conversions, nb_visits_converted, revenue, revenue_subtotal, revenue_tax, revenue_shipping, revenue_discount,
  items)
WITH c AS (
  SELECT site_id, visit_date, visit_id, conversion_type, goal_id, goal_name, revenue, revenue_subtotal, revenue_tax,
         revenue_shipping, revenue_discount, items
  FROM matomo_conversions WHERE {V}
),
v AS (SELECT site_id, visit_date, visit_converted FROM matomo_visits WHERE {V}),
per_goal AS (
  SELECT site_id, visit_date,
         CASE conversion_type WHEN 'ecommerce_order' THEN 'ecommerceOrder'
           WHEN 'ecommerce_abandoned_cart' THEN 'ecommerceAbandonedCart' ELSE CAST(goal_id AS {TEXT}) END AS goal_code,
         CASE conversion_type WHEN 'ecommerce_order' THEN 'Ecommerce order'
           WHEN 'ecommerce_abandoned_cart' THEN 'Abandoned cart' ELSE max(goal_name) END AS label,
         count(*) AS nb_conversions, count(DISTINCT visit_id) AS nb_visits_converted,
         coalesce(sum(revenue), 0) AS revenue, coalesce(sum(revenue_subtotal), 0) AS revenue_subtotal,
         coalesce(sum(revenue_tax), 0) AS revenue_tax, coalesce(sum(revenue_shipping), 0) AS revenue_shipping,
         coalesce(sum(revenue_discount), 0) AS revenue_discount, coalesce(sum(items), 0) AS items
  FROM c GROUP BY site_id, visit_date, conversion_type, goal_id
),
total AS (
  SELECT site_id, visit_date, count(*) AS nb_conversions, coalesce(sum(revenue), 0) AS revenue
  FROM c WHERE conversion_type IN ('goal', 'ecommerce_order') GROUP BY site_id, visit_date
),
converted AS (
  SELECT site_id, visit_date, sum(CASE WHEN visit_converted THEN 1 ELSE 0 END) AS n FROM v GROUP BY site_id, visit_date
)
SELECT site_id, visit_date, 'Goals.get', label, goal_code, nb_conversions, nb_visits_converted, revenue,
       revenue_subtotal, revenue_tax, revenue_shipping, revenue_discount, items
FROM per_goal
UNION ALL
SELECT converted.site_id, converted.visit_date, 'Goals.get', 'All goals', '', coalesce(total.nb_conversions, 0),
       converted.n, coalesce(total.revenue, 0), 0, 0, 0, 0, 0
FROM converted LEFT JOIN total ON total.site_id = converted.site_id AND total.visit_date = converted.visit_date)SQL";

// Items: revenue, quantity and orders from the items of orders (or of abandoned carts: abandoned_cart), and
// nb_visits, nb_actions and the price of viewed-only products from product page views, as Matomo's Goals
// archiver joins both. Live's itemDetails carry only an item's first category, and product views only their
// first category here: deeper categories are missing from Goals.getItemsCategory's rows.
constexpr std::string_view kItems = R"SQL(INSERT INTO matomo_items_daily (site_id, date, report, label,
  abandoned_cart, revenue, quantity, orders, nb_visits, nb_actions, avg_price)
WITH i AS (
  SELECT site_id, visit_date, visit_id, action_index, sku, category, price, coalesce(quantity, 1) AS quantity,
         conversion_type = 'ecommerce_abandoned_cart' AS abandoned_cart
  FROM matomo_ecommerce_items WHERE {V}
),
il AS (
  SELECT i.*, 'Goals.getItemsSku' AS report, sku AS label FROM i
  UNION ALL
  SELECT i.*, 'Goals.getItemsCategory' AS report, category AS label FROM i
),
g AS (
  SELECT site_id, visit_date, report, label, abandoned_cart, coalesce(sum(price * quantity), 0) AS revenue,
         sum(CAST(quantity AS {WIDE})) AS quantity,
         count(DISTINCT CAST(visit_id AS {TEXT}) || '/' || CAST(action_index AS {TEXT})) AS orders
  FROM il WHERE label IS NOT NULL GROUP BY site_id, visit_date, report, label, abandoned_cart
),
pv AS (
  SELECT site_id, visit_date, visit_id, product_sku, product_category, product_price FROM matomo_actions
  WHERE {V} AND action_type = 'pageview' AND (product_sku IS NOT NULL OR product_category IS NOT NULL)
),
pl AS (
  SELECT pv.*, 'Goals.getItemsSku' AS report, product_sku AS label FROM pv
  UNION ALL
  SELECT pv.*, 'Goals.getItemsCategory' AS report, product_category AS label FROM pv
),
views AS (
  SELECT site_id, visit_date, report, label, count(DISTINCT visit_id) AS nb_visits, count(*) AS nb_actions,
         avg(product_price) AS view_price
  FROM pl WHERE label IS NOT NULL GROUP BY site_id, visit_date, report, label
),
kinds AS (SELECT FALSE AS abandoned_cart UNION ALL SELECT TRUE AS abandoned_cart),
vk AS (SELECT views.*, kinds.abandoned_cart FROM views CROSS JOIN kinds),
j AS (
  SELECT coalesce(g.site_id, vk.site_id) AS site_id, coalesce(g.visit_date, vk.visit_date) AS visit_date,
         coalesce(g.report, vk.report) AS report, coalesce(g.label, vk.label) AS label,
         coalesce(g.abandoned_cart, vk.abandoned_cart) AS abandoned_cart, coalesce(g.revenue, 0) AS revenue,
         coalesce(g.quantity, 0) AS quantity, coalesce(g.orders, 0) AS orders, coalesce(vk.nb_visits, 0) AS nb_visits,
         coalesce(vk.nb_actions, 0) AS nb_actions, vk.view_price
  FROM g FULL OUTER JOIN vk ON vk.site_id = g.site_id AND vk.visit_date = g.visit_date AND vk.report = g.report
    AND vk.label = g.label AND vk.abandoned_cart = g.abandoned_cart
)
SELECT site_id, visit_date, report, label, abandoned_cart, revenue, quantity, orders, nb_visits, nb_actions,
       CASE WHEN quantity > 0 THEN CAST(revenue AS {FLOAT}) / quantity ELSE CAST(view_price AS {FLOAT}) END
FROM j)SQL";

constexpr std::string_view kCustomDimensions = R"SQL(INSERT INTO matomo_custom_dimensions_daily (site_id, date,
  report, label, dimension_id, scope, nb_visits, nb_hits, nb_uniq_visitors, nb_users, nb_actions, max_actions,
  sum_visit_length, bounce_count, nb_visits_converted, nb_conversions, revenue)
)SQL";

}  // namespace

// Custom dimensions of action scope: Matomo archives them by value and page URL and sums the URLs' rows, so
// nb_visits and nb_uniq_visitors are sums of distinct counts per URL.
std::vector<Model> ReportModels() {
  // Built once: these strings are the models' SQL for every engine, with {V}/{D} filled per run.
  static const std::vector<std::string> sql = [] {
    std::vector<std::string> out;
    auto del = [](std::string_view table) { return "DELETE FROM " + std::string(table) + " WHERE {D};\n"; };
    out.push_back(del("matomo_pages_daily") + PageReport("matomo_pages_daily", "Actions.getPageUrls", kUrlLabel, "TRUE", kUrlAnchor));
    out.push_back(del("matomo_page_titles_daily") +
                  PageReport("matomo_page_titles_daily", "Actions.getPageTitles", kTitleLabel,
                             "coalesce(a.page_title, '') <> ''", kTitleAnchor));
    out.push_back(del("matomo_referrers_daily") + VisitReport("matomo_referrers_daily", "referrer_type", kReferrers));
    out.push_back(del("matomo_campaigns_daily") + VisitReport("matomo_campaigns_daily", "", kCampaigns));
    out.push_back(del("matomo_devices_daily") + VisitReport("matomo_devices_daily", "", kDevices));
    out.push_back(del("matomo_countries_daily") + VisitReport("matomo_countries_daily", "country_code", kCountries));
    out.push_back(del("matomo_events_daily") + std::string(kEvents));
    out.push_back(del("matomo_site_search_daily") + std::string(kSiteSearch));
    out.push_back(del("matomo_goals_daily") + std::string(kGoals));
    out.push_back(del("matomo_items_daily") + std::string(kItems));
    std::string dims = del("matomo_custom_dimensions_daily") + std::string(kCustomDimensions) +
                       std::string(kVisitsWithGoals) + R"SQL(,
d AS (
  SELECT site_id, visit_date, visit_id, action_index, dimension_id, scope, value FROM matomo_custom_dimensions
  WHERE {V}
),
vd AS (
  SELECT vg.*, d.dimension_id, d.value AS label FROM vg
  JOIN d ON d.site_id = vg.site_id AND d.visit_id = vg.visit_id AND d.scope = 'visit'
),
act AS (SELECT site_id, visit_id, action_index, url FROM matomo_actions WHERE {V}),
ad AS (
  SELECT d.site_id, d.visit_date, d.dimension_id, d.value AS label, d.visit_id, v.visitor_id, act.url FROM d
  JOIN v ON v.site_id = d.site_id AND v.visit_id = d.visit_id
  JOIN act ON act.site_id = d.site_id AND act.visit_id = d.visit_id AND act.action_index = d.action_index
  WHERE d.scope = 'action'
),
ad_url AS (
  SELECT site_id, visit_date, dimension_id, label, count(*) AS hits, count(DISTINCT visit_id) AS visits,
         count(DISTINCT visitor_id) AS visitors
  FROM ad GROUP BY site_id, visit_date, dimension_id, label, url
)
SELECT site_id, visit_date, 'CustomDimensions.getCustomDimension', label, dimension_id, 'visit',)SQL" +
                       std::string(kVisitMetricSelect).substr(0, std::string(kVisitMetricSelect).find(',') + 1) +
                       " 0," + std::string(kVisitMetricSelect).substr(std::string(kVisitMetricSelect).find(',') + 1) +
                       R"SQL(
FROM vd GROUP BY site_id, visit_date, label, dimension_id
UNION ALL
SELECT site_id, visit_date, 'CustomDimensions.getCustomDimension', label, dimension_id, 'action',
       sum(visits), sum(hits), sum(visitors), 0, 0, 0, 0, 0, 0, 0, 0
FROM ad_url GROUP BY site_id, visit_date, label, dimension_id)SQL";
    out.push_back(std::move(dims));
    return out;
  }();
  static const std::vector<std::string_view> names = {
      "matomo_pages_daily",  "matomo_page_titles_daily", "matomo_referrers_daily",  "matomo_campaigns_daily",
      "matomo_devices_daily", "matomo_countries_daily",  "matomo_events_daily",     "matomo_site_search_daily",
      "matomo_goals_daily",  "matomo_items_daily",       "matomo_custom_dimensions_daily"};
  std::vector<Model> models;
  for (size_t i = 0; i < sql.size(); ++i) models.push_back(Model{names[i], "", sql[i]});
  return models;
}

}  // namespace metl::models
