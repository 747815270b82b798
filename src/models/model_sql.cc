// The model SQL. matomo_daily_kpis follows Matomo's own metric definitions (MATOMO-API.md):
//   nb_visits, nb_uniq_visitors (distinct visitorId), nb_users (distinct userId), nb_actions,
//   nb_visits_converted, bounce_count (actions <= 1), sum_visit_length, max_actions (VisitsSummary.get);
//   nb_pageviews = pageview actions (Actions.get);
//   nb_conversions and revenue = goal conversions and ecommerce orders, NOT abandoned carts (Goals.get).
// Every loaded partition gets a row, also a day without visits (Matomo reports zeros for it).
#include "models/models.h"

namespace metl::models {
namespace {

// Portable to DuckDB, PostgreSQL and BigQuery: GoogleSQL wants a WHERE on every DELETE and DISTINCT or
// ALL after UNION, which the other two accept as well.
constexpr std::string_view kDailyKpisPortable = R"SQL(
DELETE FROM matomo_daily_kpis WHERE TRUE;
INSERT INTO matomo_daily_kpis (site_id, date, nb_visits, nb_uniq_visitors, nb_users, nb_actions,
                               nb_visits_converted, bounce_count, sum_visit_length, max_actions,
                               nb_pageviews, nb_conversions, revenue)
WITH v AS (
  SELECT site_id, visit_date AS date,
         count(*) AS nb_visits,
         count(DISTINCT visitor_id) AS nb_uniq_visitors,
         count(DISTINCT user_id) AS nb_users,
         sum(actions) AS nb_actions,
         sum(CASE WHEN visit_converted THEN 1 ELSE 0 END) AS nb_visits_converted,
         sum(CASE WHEN actions <= 1 THEN 1 ELSE 0 END) AS bounce_count,
         sum(visit_duration_s) AS sum_visit_length,
         max(actions) AS max_actions
  FROM matomo_visits GROUP BY site_id, visit_date
), a AS (
  SELECT site_id, visit_date AS date, count(*) AS nb_pageviews
  FROM matomo_actions WHERE action_type = 'pageview' GROUP BY site_id, visit_date
), c AS (
  SELECT site_id, visit_date AS date, count(*) AS nb_conversions, sum(revenue) AS revenue
  FROM matomo_conversions WHERE conversion_type IN ('goal', 'ecommerce_order') GROUP BY site_id, visit_date
), p AS (
  SELECT site_id, date FROM matomo_etl_partitions WHERE status = 'loaded'
  UNION DISTINCT
  SELECT site_id, date FROM v
)
SELECT p.site_id, p.date,
       coalesce(v.nb_visits, 0), coalesce(v.nb_uniq_visitors, 0), coalesce(v.nb_users, 0),
       coalesce(v.nb_actions, 0), coalesce(v.nb_visits_converted, 0), coalesce(v.bounce_count, 0),
       coalesce(v.sum_visit_length, 0), coalesce(v.max_actions, 0), coalesce(a.nb_pageviews, 0),
       coalesce(c.nb_conversions, 0), coalesce(c.revenue, 0)
FROM p
LEFT JOIN v ON v.site_id = p.site_id AND v.date = p.date
LEFT JOIN a ON a.site_id = p.site_id AND a.date = p.date
LEFT JOIN c ON c.site_id = p.site_id AND c.date = p.date
)SQL";

// ClickHouse (18.16 and newer): no CTEs over tables, no multi-way JOIN, no transactions. The table is
// rebuilt beside the live one and swapped in by RENAME, so readers never see it empty (what a killed
// rebuild left behind is dropped first). LEFT JOINs
// without a match give 0 (join_use_nulls = 0) or, for an aggregate of a Nullable column, NULL: ifNull()
// makes both 0, as the coalesce()s above do. On a cluster
// the engine runs each statement on every shard against its local tables: a (site, day) and its
// ledger row live on one shard, so each shard computes its own days.
constexpr std::string_view kDailyKpisClickHouse = R"SQL(
DROP TABLE IF EXISTS matomo_daily_kpis__old;
DROP TABLE IF EXISTS matomo_daily_kpis__next;
CREATE TABLE matomo_daily_kpis__next AS matomo_daily_kpis;
INSERT INTO matomo_daily_kpis__next (site_id, date, nb_visits, nb_uniq_visitors, nb_users, nb_actions,
                               nb_visits_converted, bounce_count, sum_visit_length, max_actions,
                               nb_pageviews, nb_conversions, revenue)
SELECT site_id, date, toInt64(ifNull(nb_visits, 0)), toInt64(ifNull(nb_uniq_visitors, 0)),
       toInt64(ifNull(nb_users, 0)), toInt64(ifNull(nb_actions, 0)), toInt64(ifNull(nb_visits_converted, 0)),
       toInt64(ifNull(bounce_count, 0)), toInt64(ifNull(sum_visit_length, 0)), toInt64(ifNull(max_actions, 0)),
       toInt64(ifNull(nb_pageviews, 0)), toInt64(ifNull(nb_conversions, 0)),
       ifNull(revenue, toDecimal128(0, 6))
FROM (
  SELECT site_id, date, nb_visits, nb_uniq_visitors, nb_users, nb_actions, nb_visits_converted, bounce_count,
         sum_visit_length, max_actions, nb_pageviews
  FROM (
    SELECT site_id, date, nb_visits, nb_uniq_visitors, nb_users, nb_actions, nb_visits_converted, bounce_count,
           sum_visit_length, max_actions
    FROM (
      SELECT DISTINCT site_id, date FROM (
        SELECT site_id, date FROM matomo_etl_partitions WHERE status = 'loaded'
        UNION ALL
        SELECT site_id, visit_date AS date FROM matomo_visits
      )
    ) ANY LEFT JOIN (
      SELECT site_id, visit_date AS date,
             toInt64(count()) AS nb_visits,
             toInt64(uniqExact(visitor_id)) AS nb_uniq_visitors,
             toInt64(uniqExact(user_id)) AS nb_users,
             toInt64(sum(actions)) AS nb_actions,
             toInt64(countIf(visit_converted = 1)) AS nb_visits_converted,
             toInt64(countIf(actions <= 1)) AS bounce_count,
             toInt64(sum(visit_duration_s)) AS sum_visit_length,
             toInt64(max(actions)) AS max_actions
      FROM matomo_visits GROUP BY site_id, visit_date
    ) USING (site_id, date)
  ) ANY LEFT JOIN (
    SELECT site_id, visit_date AS date, toInt64(count()) AS nb_pageviews
    FROM matomo_actions WHERE action_type = 'pageview' GROUP BY site_id, visit_date
  ) USING (site_id, date)
) ANY LEFT JOIN (
  SELECT site_id, visit_date AS date, toInt64(count()) AS nb_conversions,
         toDecimal128(sum(assumeNotNull(revenue)), 6) AS revenue
  FROM matomo_conversions WHERE conversion_type IN ('goal', 'ecommerce_order') GROUP BY site_id, visit_date
) USING (site_id, date);
RENAME TABLE matomo_daily_kpis TO matomo_daily_kpis__old, matomo_daily_kpis__next TO matomo_daily_kpis;
DROP TABLE matomo_daily_kpis__old
)SQL";

}  // namespace

std::vector<Model> ModelsFor(std::string_view dialect) {
  // One portable version serves every engine but ClickHouse.
  if (dialect == "clickhouse") return {Model{"matomo_daily_kpis", "clickhouse", kDailyKpisClickHouse}};
  return {Model{"matomo_daily_kpis", "", kDailyKpisPortable}};
}

}  // namespace metl::models
