// The report tables' SQL for ClickHouse: the same definitions as report_sql.cc (read its comments for the
// why of each metric), rewritten for what ClickHouse 18.16 and 23.x-26.x both run:
// - no CTEs over tables: nested subqueries, one JOIN per SELECT, joined USING (...) on renamed columns;
// - no window functions: "the last anchor before this action" (the page a later hit's time goes to) comes
//   from a visit's actions as arrays sorted by index, a running count of anchors (arrayCumSum), ARRAY JOIN
//   back to rows, and an equi-join of "k anchors before me" with "the k-th anchor" (linear: comparing each
//   action with every anchor needed 2 GB for one visit of 10,000 actions). No lambda captures a column:
//   18.16 drops a column only a lambda reads from its subquery ("Unknown identifier");
// - no UNION ALL in the final SELECT: a table serving several reports gets one INSERT per report;
// - LEFT JOINs give 0 for a missing right row (join_use_nulls = 0), as coalesce(..., 0) does elsewhere;
// - every value is converted to its column's type, and nothing Nullable goes into a NOT NULL column
//   (18.16 fails the INSERT on a NULL there; its uniqExact of a Nullable column that is all NULL is NULL).
// Each model fills the staging table {STG} with the rows of the days in {V}; BindChReportSql
// (ch_report_swap.cc) wraps it in the staging table's creation and the swap into the live table.
#include <string>

#include "models/report_models.h"

namespace metl::models {
namespace {

// Conversions and revenue per visit (goals and orders, not abandoned carts), beside each visit of {V};
// `extra` names the visit columns a report needs besides the metrics' own.
std::string VisitsWithGoals(std::string_view extra) {
  const std::string more = extra.empty() ? "" : ", " + std::string(extra);
  return R"SQL((
  SELECT site_id, visit_id, visit_date, visitor_id, user_id, actions, visit_duration_s, visit_converted)SQL" + more +
         R"SQL(, conv, rev
  FROM (
    SELECT site_id, visit_id, visit_date, visitor_id, user_id, actions, visit_duration_s, visit_converted)SQL" + more +
         R"SQL(
    FROM matomo_visits WHERE {V}
  ) ANY LEFT JOIN (
    SELECT site_id, visit_id, toInt64(count()) AS conv,
           toDecimal128(sum(ifNull(revenue, toDecimal64(0, 6))), 6) AS rev
    FROM matomo_conversions WHERE {V} AND conversion_type IN ('goal', 'ecommerce_order')
    GROUP BY site_id, visit_id
  ) USING (site_id, visit_id)
))SQL";
}

constexpr std::string_view kVisitMetricColumns =
    "nb_visits, nb_uniq_visitors, nb_users, nb_actions, max_actions, sum_visit_length, bounce_count, "
    "nb_visits_converted, nb_conversions, revenue";

constexpr std::string_view kVisitMetricSelect = R"SQL(toInt64(count()), toInt64(ifNull(uniqExact(visitor_id), 0)),
       toInt64(ifNull(uniqExact(user_id), 0)), toInt64(sum(actions)), toInt64(max(actions)), toInt64(sum(visit_duration_s)),
       toInt64(countIf(actions <= 1)), toInt64(countIf(visit_converted = 1)), toInt64(sum(conv)),
       toDecimal128(sum(rev), 6))SQL";

// One visit-dimension report: `label` is a String expression over the visit's columns, `where` keeps the
// visits that have one (the portable SQL's "label IS NOT NULL"); the code column `code` (if any) holds `code_expr`.
std::string VisitReport(std::string_view report, std::string_view extra, std::string_view label,
                        std::string_view where, std::string_view code = "", std::string_view code_expr = "") {
  const std::string column = code.empty() ? "" : std::string(code) + ", ";
  const std::string value = code.empty() ? "" : std::string(code_expr) + " AS report_code, ";
  return "INSERT INTO {STG} (site_id, date, report, label, " + column + std::string(kVisitMetricColumns) +
         ")\nSELECT site_id, visit_date, '" + std::string(report) + "', " + std::string(label) + " AS report_label, " +
         value + std::string(kVisitMetricSelect) + "\nFROM " + VisitsWithGoals(extra) + "\nWHERE " +
         std::string(where) + "\nGROUP BY site_id, visit_date, report_label" + (code.empty() ? "" : ", report_code");
}

std::string Referrers() {
  const std::string extra = "referrer_type, referrer_name, referrer_keyword";
  return VisitReport("Referrers.getReferrerType", extra,
                     "multiIf(referrer_type = 'direct', 'Direct Entry', referrer_type = 'search', 'Search Engines', "
                     "referrer_type = 'website', 'Websites', referrer_type = 'campaign', 'Campaigns', "
                     "referrer_type = 'social', 'Social Networks', referrer_type = 'ai', 'AI Assistants', "
                     "ifNull(referrer_type, ''))",
                     "referrer_type IS NOT NULL", "referrer_type", "ifNull(referrer_type, '')") +
         ";\n" +
         VisitReport("Referrers.getAll", extra,
                     "if(referrer_type = 'search', ifNull(referrer_keyword, 'Keyword not defined'), "
                     "ifNull(referrer_name, ''))",
                     "referrer_type IS NOT NULL AND referrer_type != 'direct' AND "
                     "(referrer_type = 'search' OR referrer_name IS NOT NULL)",
                     "referrer_type", "ifNull(referrer_type, '')");
}

// The anchors of pages (and searches): the entries that Matomo's visit_exit_idaction_url (or _name)
// follows, which then receive the later entries' time and the exit (report_sql.cc).
constexpr std::string_view kUrlAnchor = "action_type IN ('pageview', 'search')";
constexpr std::string_view kTitleAnchor =
    "((action_type = 'pageview' AND ifNull(page_title, '') != '') OR action_type = 'search')";

// The actions of {V} of type `row_type`, each with its visit's entry and exit index (-1: none), the
// seconds spent on it (t) and its visit's visitor, actions and length.
std::string ActionsWithTime(std::string_view anchor, std::string_view row_type, std::string_view columns) {
  const std::string a = std::string(anchor);
  // Per visit: the anchors' indexes, and the first pageview's.
  const std::string ends = R"SQL(
      SELECT site_id, visit_id, groupArrayIf(action_index, )SQL" + a + R"SQL() AS anchors,
             groupArrayIf(action_index, action_type = 'pageview') AS pageviews
      FROM matomo_actions WHERE {V} GROUP BY site_id, visit_id)SQL";
  // Every action of a visit in order, with `flag` (1: an anchor) and `before`, the number of anchors before
  // it: the k-th anchor (before + 1 = k) is the page of every later action with before = k. Sorted arrays
  // per visit and a running sum, then one row per action again (ARRAY JOIN): linear in a visit's actions.
  const std::string positions = R"SQL(
        SELECT site_id, visit_id, action_index, action_type, time_spent_ref_s, flag, before
        FROM (
          SELECT site_id, visit_id, arraySort(idx) AS s_idx, arraySort((x, i) -> i, types, idx) AS s_types,
                 arraySort((x, i) -> i, times, idx) AS s_times, arraySort((x, i) -> i, flags, idx) AS s_flags,
                 arrayMap((c, f) -> c - f, arrayCumSum(s_flags), s_flags) AS s_before
          FROM (
            SELECT site_id, visit_id, groupArray(action_index) AS idx, groupArray(action_type) AS types,
                   groupArray(toInt64(ifNull(time_spent_ref_s, 0))) AS times, groupArray(toInt64()SQL" + a + R"SQL()) AS flags
            FROM matomo_actions WHERE {V} GROUP BY site_id, visit_id
          )
        ) ARRAY JOIN s_idx AS action_index, s_types AS action_type, s_times AS time_spent_ref_s, s_flags AS flag,
          s_before AS before)SQL";
  // Per anchor: the seconds of the later entries (events excepted) whose last anchor before them it is.
  const std::string spent = R"SQL(
    SELECT site_id, visit_id, page_index AS action_index, t FROM (
      SELECT site_id, visit_id, page_index, toInt64(sum(time_spent_ref_s)) AS t
      FROM (
        SELECT site_id, visit_id, k, time_spent_ref_s, page_index
        FROM (
          SELECT site_id, visit_id, before AS k, time_spent_ref_s FROM ()SQL" + positions + R"SQL()
          WHERE before > 0 AND action_type IN ('pageview', 'download', 'outlink', 'search', 'content')
        ) ALL INNER JOIN (
          SELECT site_id, visit_id, before + 1 AS k, action_index AS page_index FROM ()SQL" + positions + R"SQL()
          WHERE flag = 1
        ) USING (site_id, visit_id, k)
      )
      GROUP BY site_id, visit_id, page_index))SQL";
  return R"SQL((
  SELECT site_id, visit_id, action_index, visit_date, )SQL" + std::string(columns) + R"SQL(, entry_index, exit_index,
         visitor_id, actions, visit_duration_s, t
  FROM (
    SELECT site_id, visit_id, action_index, visit_date, )SQL" + std::string(columns) + R"SQL(, entry_index, exit_index,
           visitor_id, actions, visit_duration_s
    FROM (
      SELECT site_id, visit_id, action_index, visit_date, )SQL" + std::string(columns) + R"SQL(, entry_index, exit_index
      FROM (
        SELECT site_id, visit_id, action_index, visit_date, )SQL" + std::string(columns) + R"SQL(
        FROM matomo_actions WHERE {V} AND action_type = ')SQL" + std::string(row_type) + R"SQL('
      ) ALL INNER JOIN (
        SELECT site_id, visit_id, arrayReduce('max', arrayPushBack(anchors, toInt64(-1))) AS exit_index,
               arrayReduce('min', arrayPushBack(pageviews, toInt64(9223372036854775807))) AS entry_index
        FROM ()SQL" + ends + R"SQL()
      ) USING (site_id, visit_id)
    ) ALL INNER JOIN (
      SELECT site_id, visit_id, visitor_id, actions, visit_duration_s FROM matomo_visits WHERE {V}
    ) USING (site_id, visit_id)
  ) ANY LEFT JOIN ()SQL" + spent + R"SQL(
  ) USING (site_id, visit_id, action_index)
))SQL";
}

// Pages and titles share everything but the label; `entry_filter`: which pages can be a visit's entry.
std::string PageReport(std::string_view report, std::string_view label, std::string_view entry_filter,
                       std::string_view anchor) {
  return R"SQL(INSERT INTO {STG} (site_id, date, report, label, nb_hits, nb_visits, nb_uniq_visitors, sum_time_spent,
  entry_nb_visits, entry_nb_actions, entry_sum_visit_length, entry_bounce_count, exit_nb_visits,
  nb_hits_with_page_load_time, sum_page_load_time_ms)
SELECT site_id, visit_date, ')SQL" + std::string(report) + R"SQL(', page_label, toInt64(count()), toInt64(uniqExact(visit_id)),
       toInt64(ifNull(uniqExact(visitor_id), 0)), toInt64(sum(t)), toInt64(sum(is_entry)), toInt64(sum(is_entry * actions)),
       toInt64(sum(is_entry * visit_duration_s)), toInt64(countIf(is_entry = 1 AND actions <= 1)), toInt64(sum(is_exit)),
       toInt64(count(page_load_time_ms)), toInt64(sum(ifNull(page_load_time_ms, 0)))
FROM (
  SELECT site_id, visit_date, visit_id, visitor_id, actions, visit_duration_s, page_load_time_ms, t,
         )SQL" + std::string(label) + R"SQL( AS page_label,
         if(action_index = entry_index AND )SQL" + std::string(entry_filter) + R"SQL(, 1, 0) AS is_entry,
         if(action_index = exit_index, 1, 0) AS is_exit
  FROM )SQL" + ActionsWithTime(anchor, "pageview", "url, page_title, page_load_time_ms") + R"SQL(
)
GROUP BY site_id, visit_date, page_label)SQL";
}

// The page URL without scheme and host ("/" when nothing is left), as flat Actions.getPageUrls labels it.
constexpr std::string_view kUrlLabel =
    "if(replaceRegexpOne(ifNull(url, ''), '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*', '') = '', '/', "
    "replaceRegexpOne(ifNull(url, ''), '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*', ''))";
constexpr std::string_view kTitleLabel =
    "if(ifNull(page_title, '') = '', 'Page Name not defined', ifNull(page_title, ''))";

std::string SiteSearch() {
  return R"SQL(INSERT INTO {STG} (site_id, date, report, label, nb_hits, nb_visits, sum_time_spent, exit_nb_visits,
  nb_pages_per_search)
SELECT site_id, visit_date, 'Actions.getSiteSearchKeywords', ifNull(search_keyword, ''), toInt64(count()),
       toInt64(uniqExact(visit_id)), toInt64(sum(t)), toInt64(countIf(action_index = exit_index)),
       toFloat64(count()) / toFloat64(uniqExact(visit_id))
FROM )SQL" + ActionsWithTime(kTitleAnchor, "search", "search_keyword") + R"SQL(
WHERE search_keyword IS NOT NULL
GROUP BY site_id, visit_date, search_keyword)SQL";
}

// Events: each report sums its subtable's rows (category by action, action by name, name by action).
std::string EventReport(std::string_view report, std::string_view label, std::string_view secondary) {
  return R"SQL(INSERT INTO {STG} (site_id, date, report, label, nb_events, nb_visits, nb_uniq_visitors,
  nb_events_with_value, sum_event_value, min_event_value, max_event_value)
SELECT site_id, visit_date, ')SQL" + std::string(report) + R"SQL(', event_label, toInt64(sum(n)), toInt64(sum(nv)),
       toInt64(sum(nu)), toInt64(sum(nwv)), toFloat64(ifNull(sum(sv), 0)), min(mn), max(mx)
FROM (
  SELECT site_id, visit_date, event_label, toInt64(count()) AS n, toInt64(uniqExact(visit_id)) AS nv,
         toInt64(ifNull(uniqExact(visitor_id), 0)) AS nu, toInt64(count(event_value)) AS nwv, sum(event_value) AS sv,
         min(event_value) AS mn, max(event_value) AS mx
  FROM (
    SELECT site_id, visit_date, visit_id, visitor_id, event_value,
           )SQL" + std::string(label) + R"SQL( AS event_label, )SQL" + std::string(secondary) + R"SQL( AS event_secondary
    FROM (
      SELECT site_id, visit_id, visit_date, event_value, event_category, event_action, event_name
      FROM matomo_actions WHERE {V} AND action_type = 'event'
    ) ALL INNER JOIN (
      SELECT site_id, visit_id, visitor_id FROM matomo_visits WHERE {V}
    ) USING (site_id, visit_id)
  )
  GROUP BY site_id, visit_date, event_label, event_secondary
)
GROUP BY site_id, visit_date, event_label)SQL";
}

constexpr std::string_view kCategory = "ifNull(event_category, 'Event Category not defined')";
constexpr std::string_view kAction = "ifNull(event_action, 'Event Action not defined')";
constexpr std::string_view kName = "ifNull(event_name, 'Event Name not defined')";

constexpr std::string_view kGoals = R"SQL(INSERT INTO {STG} (site_id, date, report, label, goal_id, nb_conversions,
  nb_visits_converted, revenue, revenue_subtotal, revenue_tax, revenue_shipping, revenue_discount, items)
SELECT site_id, visit_date, 'Goals.get',
       multiIf(conversion_type = 'ecommerce_order', 'Ecommerce order',
               conversion_type = 'ecommerce_abandoned_cart', 'Abandoned cart', ifNull(max(goal_name), '')),
       multiIf(conversion_type = 'ecommerce_order', 'ecommerceOrder',
               conversion_type = 'ecommerce_abandoned_cart', 'ecommerceAbandonedCart', toString(goal_id)),
       toInt64(count()), toInt64(uniqExact(visit_id)),
       toDecimal128(sum(ifNull(revenue, toDecimal64(0, 6))), 6),
       toDecimal128(sum(ifNull(revenue_subtotal, toDecimal64(0, 6))), 6),
       toDecimal128(sum(ifNull(revenue_tax, toDecimal64(0, 6))), 6),
       toDecimal128(sum(ifNull(revenue_shipping, toDecimal64(0, 6))), 6),
       toDecimal128(sum(ifNull(revenue_discount, toDecimal64(0, 6))), 6),
       toInt64(sum(ifNull(items, 0)))
FROM matomo_conversions WHERE {V}
GROUP BY site_id, visit_date, conversion_type, goal_id;
INSERT INTO {STG} (site_id, date, report, label, goal_id, nb_conversions, nb_visits_converted, revenue,
  revenue_subtotal, revenue_tax, revenue_shipping, revenue_discount, items)
SELECT site_id, visit_date, 'Goals.get', 'All goals', '', nb_conversions, nb_converted, total_revenue,
       toDecimal128(0, 6), toDecimal128(0, 6), toDecimal128(0, 6), toDecimal128(0, 6), toInt64(0)
FROM (
  SELECT site_id, visit_date, toInt64(countIf(visit_converted = 1)) AS nb_converted
  FROM matomo_visits WHERE {V} GROUP BY site_id, visit_date
) ANY LEFT JOIN (
  SELECT site_id, visit_date, toInt64(count()) AS nb_conversions,
         toDecimal128(sum(ifNull(revenue, toDecimal64(0, 6))), 6) AS total_revenue
  FROM matomo_conversions WHERE {V} AND conversion_type IN ('goal', 'ecommerce_order')
  GROUP BY site_id, visit_date
) USING (site_id, visit_date))SQL";

// Items: the portable SQL's FULL OUTER JOIN of ordered (or carted) items with product views on unique
// keys, as a UNION ALL of both sides summed per key (each key has at most one row per side).
std::string ItemLabels(std::string_view sku, std::string_view category, std::string_view columns,
                       std::string_view from) {
  return "SELECT " + std::string(columns) + ", 'Goals.getItemsSku' AS report, ifNull(" + std::string(sku) +
         ", '') AS item_label FROM " + std::string(from) + " AND " + std::string(sku) +
         " IS NOT NULL\n      UNION ALL\n      SELECT " + std::string(columns) +
         ", 'Goals.getItemsCategory' AS report, ifNull(" + std::string(category) + ", '') AS item_label FROM " +
         std::string(from) + " AND " + std::string(category) + " IS NOT NULL";
}

std::string Items() {
  return R"SQL(INSERT INTO {STG} (site_id, date, report, label, abandoned_cart, revenue, quantity, orders, nb_visits,
  nb_actions, avg_price)
SELECT site_id, visit_date, report, item_label, abandoned_cart, rev, qty, toInt64(ord), toInt64(nv), toInt64(na),
       if(qty > 0, toFloat64(rev) / toFloat64(qty), vp)
FROM (
  SELECT site_id, visit_date, report, item_label, abandoned_cart, sum(revenue) AS rev, sum(quantity) AS qty,
         sum(orders) AS ord, sum(nb_visits) AS nv, sum(nb_actions) AS na, max(view_price) AS vp
  FROM (
    SELECT site_id, visit_date, report, item_label, abandoned_cart,
           toDecimal128(ifNull(sum(toDecimal128(price, 6) * q), toDecimal128(0, 6)), 6) AS revenue,
           toDecimal128(sum(toDecimal128(q, 6)), 6) AS quantity, toInt64(uniqExact(visit_id, action_index)) AS orders,
           toInt64(0) AS nb_visits, toInt64(0) AS nb_actions, CAST(NULL AS Nullable(Float64)) AS view_price
    FROM (
      )SQL" + ItemLabels("sku", "category",
                         "site_id, visit_date, visit_id, action_index, price, ifNull(quantity, 1) AS q, "
                         "conversion_type = 'ecommerce_abandoned_cart' AS abandoned_cart",
                         "matomo_ecommerce_items WHERE {V}") + R"SQL(
    )
    GROUP BY site_id, visit_date, report, item_label, abandoned_cart
    UNION ALL
    SELECT site_id, visit_date, report, item_label, arrayJoin([toUInt8(0), toUInt8(1)]) AS abandoned_cart,
           toDecimal128(0, 6) AS revenue, toDecimal128(0, 6) AS quantity, toInt64(0) AS orders, nb_visits, nb_actions,
           view_price
    FROM (
      SELECT site_id, visit_date, report, item_label, toInt64(uniqExact(visit_id)) AS nb_visits,
             toInt64(count()) AS nb_actions, CAST(toFloat64(avg(product_price)) AS Nullable(Float64)) AS view_price
      FROM (
        )SQL" + ItemLabels("product_sku", "product_category",
                           "site_id, visit_date, visit_id, product_price",
                           "matomo_actions WHERE {V} AND action_type = 'pageview'") + R"SQL(
      )
      GROUP BY site_id, visit_date, report, item_label
    )
  )
  GROUP BY site_id, visit_date, report, item_label, abandoned_cart
))SQL";
}

// Custom dimensions: visit scope as the visit reports; action scope summed over the value's page URLs.
std::string CustomDimensions() {
  const std::string visit_scope =
      R"SQL(INSERT INTO {STG} (site_id, date, report, label, dimension_id, scope, nb_visits, nb_hits, nb_uniq_visitors,
  nb_users, nb_actions, max_actions, sum_visit_length, bounce_count, nb_visits_converted, nb_conversions, revenue)
SELECT site_id, visit_date, 'CustomDimensions.getCustomDimension', dimension_value, toInt64(dimension_id), 'visit',
       toInt64(count()), toInt64(0), toInt64(ifNull(uniqExact(visitor_id), 0)), toInt64(ifNull(uniqExact(user_id), 0)), toInt64(sum(actions)),
       toInt64(max(actions)), toInt64(sum(visit_duration_s)), toInt64(countIf(actions <= 1)),
       toInt64(countIf(visit_converted = 1)), toInt64(sum(conv)), toDecimal128(sum(rev), 6)
FROM (
  SELECT site_id, visit_id, visit_date, visitor_id, user_id, actions, visit_duration_s, visit_converted, conv, rev
  FROM )SQL" + VisitsWithGoals("") + R"SQL(
) ALL INNER JOIN (
  SELECT site_id, visit_id, dimension_id, value AS dimension_value FROM matomo_custom_dimensions
  WHERE {V} AND scope = 'visit'
) USING (site_id, visit_id)
GROUP BY site_id, visit_date, dimension_value, dimension_id)SQL";
  const std::string action_scope =
      R"SQL(INSERT INTO {STG} (site_id, date, report, label, dimension_id, scope, nb_visits, nb_hits, nb_uniq_visitors,
  nb_users, nb_actions, max_actions, sum_visit_length, bounce_count, nb_visits_converted, nb_conversions, revenue)
SELECT site_id, visit_date, 'CustomDimensions.getCustomDimension', dimension_value, toInt64(dimension_id), 'action',
       toInt64(sum(visits)), toInt64(sum(hits)), toInt64(sum(visitors)), toInt64(0), toInt64(0), toInt64(0), toInt64(0),
       toInt64(0), toInt64(0), toInt64(0), toDecimal128(0, 6)
FROM (
  SELECT site_id, visit_date, dimension_id, dimension_value, toInt64(count()) AS hits,
         toInt64(uniqExact(visit_id)) AS visits, toInt64(ifNull(uniqExact(visitor_id), 0)) AS visitors
  FROM (
    SELECT site_id, visit_id, ai, visit_date, dimension_id, dimension_value, visitor_id, action_url
    FROM (
      SELECT site_id, visit_id, ai, visit_date, dimension_id, dimension_value, visitor_id
      FROM (
        SELECT site_id, visit_id, assumeNotNull(action_index) AS ai, visit_date, dimension_id, value AS dimension_value
        FROM matomo_custom_dimensions WHERE {V} AND scope = 'action' AND action_index IS NOT NULL
      ) ALL INNER JOIN (
        SELECT site_id, visit_id, visitor_id FROM matomo_visits WHERE {V}
      ) USING (site_id, visit_id)
    ) ALL INNER JOIN (
      SELECT site_id, visit_id, action_index AS ai, url AS action_url FROM matomo_actions WHERE {V}
    ) USING (site_id, visit_id, ai)
  )
  GROUP BY site_id, visit_date, dimension_id, dimension_value, action_url
)
GROUP BY site_id, visit_date, dimension_value, dimension_id)SQL";
  return visit_scope + ";\n" + action_scope;
}

}  // namespace

std::vector<Model> ChReportModels() {
  // Built once, like ReportModels(): the same tables in the same order.
  static const std::vector<std::string> sql = {
      PageReport("Actions.getPageUrls", kUrlLabel, "1", kUrlAnchor),
      PageReport("Actions.getPageTitles", kTitleLabel, "ifNull(page_title, '') != ''", kTitleAnchor),
      Referrers(),
      VisitReport("Referrers.getCampaigns", "referrer_type, campaign_name", "ifNull(campaign_name, '')",
                  "referrer_type = 'campaign' AND campaign_name IS NOT NULL"),
      VisitReport("DevicesDetection.getType", "device_type", "ifNull(device_type, 'Unknown')", "1"),
      VisitReport("UserCountry.getCountry", "country_name, country_code", "ifNull(country_name, 'Unknown')", "1",
                  "country_code", "country_code"),
      EventReport("Events.getCategory", kCategory, kAction) + ";\n" + EventReport("Events.getAction", kAction, kName) +
          ";\n" + EventReport("Events.getName", kName, kAction),
      SiteSearch(),
      std::string(kGoals),
      Items(),
      CustomDimensions(),
  };
  std::vector<Model> models;
  const std::vector<Model> portable = ReportModels();
  for (size_t i = 0; i < sql.size(); ++i) models.push_back(Model{portable[i].name, "clickhouse", sql[i]});
  return models;
}

}  // namespace metl::models
