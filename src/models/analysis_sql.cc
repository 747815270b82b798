#include "models/analysis_sql.h"

#include "models/channels.h"

namespace metl::models {
namespace {

// Goal conversions and orders, not abandoned carts (as Goals.get counts them), per visit.
std::string ConversionsPerVisit(const std::string& where) {
  return "SELECT site_id, visit_date, visit_id, count(*) AS n, sum(revenue) AS revenue FROM matomo_conversions\n"
         "  WHERE conversion_type IN ('goal', 'ecommerce_order') AND (" +
         where + ")\n  GROUP BY site_id, visit_date, visit_id";
}

}  // namespace

std::string SqlText(std::string_view dialect, std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if ((dialect == "bigquery" || dialect == "clickhouse") && (c == '\'' || c == '\\')) {
      out += '\\';
      out += c;
    } else if (c == '\'') {
      out += "''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string FunnelStepMatchSql(std::string_view dialect, const FunnelStep& s) {
  switch (s.kind) {
    case FunnelStep::Kind::kUrl:
      return "a.action_type = 'pageview' AND a.url LIKE " + SqlText(dialect, s.pattern);
    case FunnelStep::Kind::kEvent:
      return "a.action_type = 'event' AND a.event_category = " + SqlText(dialect, s.category) +
             (s.action.empty() ? "" : " AND a.event_action = " + SqlText(dialect, s.action));
    case FunnelStep::Kind::kGoal:
      return "a.action_type = 'goal' AND a.goal_id = " + std::to_string(s.goal_id);
    case FunnelStep::Kind::kOrder:
      return "a.action_type = 'ecommerce_order'";
    case FunnelStep::Kind::kAnyConversion:
      return "a.action_type IN ('goal', 'ecommerce_order')";
  }
  return "FALSE";
}

std::string ChannelsInsertSql(const std::string& v_where, const std::string& c_where) {
  // The channel CASE runs once per distinct input, not per visit (ChannelLookupSql).
  return "INSERT INTO matomo_channels_daily (site_id, date, channel, referrer_type, nb_visits, nb_uniq_visitors,\n"
         "  nb_actions, bounce_count, sum_visit_length, nb_visits_converted, nb_conversions, revenue)\n"
         "WITH ch AS (\n  " +
         ChannelLookupSql(v_where) +
         "\n), vc AS (\n"
         "  SELECT v.site_id, v.visit_date, v.visit_id, v.visitor_id, v.actions, v.visit_duration_s, "
         "v.visit_converted,\n"
         "         v.referrer_type, ch.channel\n"
         "  FROM matomo_visits v JOIN ch ON " +
         ChannelJoinOn("ch", "v") + "\n  WHERE " + v_where +
         "\n"
         "), c AS (\n  " +
         ConversionsPerVisit(c_where) +
         "\n)\n"
         "SELECT vc.site_id, vc.visit_date, vc.channel, vc.referrer_type, count(*), count(DISTINCT vc.visitor_id),\n"
         "       sum(vc.actions), sum(CASE WHEN vc.actions <= 1 THEN 1 ELSE 0 END), sum(vc.visit_duration_s),\n"
         "       sum(CASE WHEN vc.visit_converted THEN 1 ELSE 0 END), coalesce(sum(c.n), 0), coalesce(sum(c.revenue), "
         "0)\n"
         "FROM vc LEFT JOIN c ON c.site_id = vc.site_id AND c.visit_date = vc.visit_date AND c.visit_id = vc.visit_id\n"
         "GROUP BY vc.site_id, vc.visit_date, vc.channel, vc.referrer_type";
}

std::string AttributionInsertSql(const std::string& conv_where, const std::string& conv_visit_where,
                                 const std::string& touch_where, int lookback_days) {
  // Speed: each join to matomo_visits or matomo_actions repeats the touched days' predicate (implied by the
  // other conditions, so the rows are the same), which the engine can push down to the scan; joined on the
  // visit id alone, a one-day rebuild read every visit or action of the warehouse.
  // Touches are found by three equi-joins (same visitor id, same user id, the converting visit itself)
  // rather than one join on an OR, which engines run as a nested loop.
  const std::string conv_key = "conv.site_id, conv.visit_date, conv.visit_id, conv.action_index";
  auto pair = [&](const std::string& on) {
    return "  SELECT " + conv_key +
           ", v.visit_id AS touch_visit_id FROM conv JOIN matomo_visits v\n"
           "    ON v.site_id = conv.site_id AND " +
           on + "\n    WHERE " + touch_where + "\n";
  };
  return "INSERT INTO matomo_attribution (site_id, conversion_date, conversion_visit_id, conversion_action_index,\n"
         "  conversion_type, goal_id, converted_at, revenue, touch_visit_id, touch_date, touch_at, touch_position,\n"
         "  touch_count, days_before_conversion, channel, referrer_type, referrer_name, campaign_name,\n"
         "  credit_first_touch, credit_last_non_direct, credit_linear, credit_position_based)\n"
         "WITH conv AS (\n"
         "  SELECT c.site_id, c.visit_date, c.visit_id, c.action_index, c.conversion_type, c.goal_id, c.converted_at,\n"
         "         c.revenue, cv.visitor_id, cv.user_id, d.day_number\n"
         "  FROM matomo_conversions c\n"
         "  JOIN matomo_visits cv ON cv.site_id = c.site_id AND cv.visit_date = c.visit_date AND cv.visit_id = "
         "c.visit_id\n"
         "  JOIN matomo_dates d ON d.date = c.visit_date\n"
         "  WHERE c.conversion_type IN ('goal', 'ecommerce_order') AND (" +
         conv_where + ") AND (" + conv_visit_where +
         ")\n"
         "), ch AS (\n  " +
         ChannelLookupSql(touch_where) + "\n), pairs AS (\n" + pair("v.visitor_id = conv.visitor_id") +
         "  UNION DISTINCT\n" + pair("v.user_id = conv.user_id") + "  UNION DISTINCT\n" +
         pair("v.visit_date = conv.visit_date AND v.visit_id = conv.visit_id") +
         "), touch AS (\n"
         "  SELECT conv.site_id, conv.visit_date, conv.visit_id, conv.action_index, conv.conversion_type, "
         "conv.goal_id,\n"
         "         conv.converted_at, conv.revenue, v.visit_id AS touch_visit_id, v.visit_date AS touch_date,\n"
         "         v.first_action_at AS touch_at, conv.day_number - td.day_number AS days_before,\n"
         "         v.referrer_type, v.referrer_name, v.campaign_name, ch.channel\n"
         "  FROM pairs p\n"
         "  JOIN conv ON conv.site_id = p.site_id AND conv.visit_date = p.visit_date AND conv.visit_id = p.visit_id\n"
         "           AND conv.action_index = p.action_index\n"
         "  JOIN matomo_visits v ON v.site_id = p.site_id AND v.visit_id = p.touch_visit_id\n"
         "  JOIN matomo_dates td ON td.date = v.visit_date\n"
         "  JOIN ch ON " +
         ChannelJoinOn("ch", "v") + "\n  WHERE (" + touch_where + ") AND td.day_number >= conv.day_number - " +
         std::to_string(lookback_days) +
         " AND td.day_number <= conv.day_number\n"
         "    AND v.first_action_at <= conv.converted_at\n"
         "), ranked AS (\n"
         "  SELECT touch.*,\n"
         "         row_number() OVER (PARTITION BY site_id, visit_id, action_index ORDER BY touch_at, touch_visit_id) "
         "AS pos,\n"
         "         count(*) OVER (PARTITION BY site_id, visit_id, action_index) AS n\n"
         "  FROM touch\n"
         "), lnd AS (\n"
         "  SELECT ranked.*, coalesce(max(CASE WHEN channel <> 'Direct' THEN pos END)\n"
         "         OVER (PARTITION BY site_id, visit_id, action_index), n) AS lnd_pos\n"
         "  FROM ranked\n"
         ")\n"
         "SELECT site_id, visit_date, visit_id, action_index, conversion_type, goal_id, converted_at, revenue,\n"
         "       touch_visit_id, touch_date, touch_at, pos, n, days_before, channel, referrer_type, referrer_name,\n"
         "       campaign_name,\n"
         "       CASE WHEN pos = 1 THEN 1.0 ELSE 0.0 END,\n"
         "       CASE WHEN pos = lnd_pos THEN 1.0 ELSE 0.0 END,\n"
         "       1.0 / n,\n"
         "       CASE WHEN n = 1 THEN 1.0 WHEN n = 2 THEN 0.5 WHEN pos = 1 OR pos = n THEN 0.4 ELSE 0.2 / (n - 2) END\n"
         "FROM lnd";
}

std::string CohortsInsertSql(const std::string& v_sites_where, const std::string& c_sites_where,
                             const std::string& window_where) {
  return "INSERT INTO matomo_cohorts (site_id, cohort_week, weeks_since, activity_week, cohort_visitors, visitors,\n"
         "  returning_visitors, visits, nb_conversions, revenue)\n"
         "WITH vv AS (\n"
         "  SELECT v.site_id, v.visitor_id, v.visit_id, v.visit_date, d.week_start, d.week_seq,\n"
         "         row_number() OVER (PARTITION BY v.site_id, v.visitor_id ORDER BY v.first_action_at, v.visit_id) AS "
         "visit_rank\n"
         "  FROM matomo_visits v JOIN matomo_dates d ON d.date = v.visit_date\n"
         "  WHERE v.visitor_id IS NOT NULL AND (" +
         v_sites_where +
         ")\n"
         "), firsts AS (\n"
         "  SELECT site_id, visitor_id, week_start AS cohort_week, week_seq AS cohort_seq FROM vv WHERE visit_rank = "
         "1\n"
         "), sizes AS (\n"
         "  SELECT site_id, cohort_week, count(*) AS cohort_visitors FROM firsts GROUP BY site_id, cohort_week\n"
         "), c AS (\n  " +
         ConversionsPerVisit(c_sites_where) +
         "\n"
         "), act AS (\n"
         "  SELECT vv.site_id, f.cohort_week, vv.week_seq - f.cohort_seq AS weeks_since, vv.week_start AS "
         "activity_week,\n"
         "         count(DISTINCT vv.visitor_id) AS visitors,\n"
         "         count(DISTINCT CASE WHEN vv.visit_rank > 1 THEN vv.visitor_id END) AS returning_visitors,\n"
         "         count(*) AS visits, coalesce(sum(c.n), 0) AS nb_conversions, coalesce(sum(c.revenue), 0) AS "
         "revenue\n"
         "  FROM vv JOIN firsts f ON f.site_id = vv.site_id AND f.visitor_id = vv.visitor_id\n"
         "  LEFT JOIN c ON c.site_id = vv.site_id AND c.visit_date = vv.visit_date AND c.visit_id = vv.visit_id\n"
         "  WHERE " +
         window_where +
         "\n"
         "  GROUP BY vv.site_id, f.cohort_week, vv.week_seq - f.cohort_seq, vv.week_start\n"
         ")\n"
         "SELECT act.site_id, act.cohort_week, act.weeks_since, act.activity_week, s.cohort_visitors, act.visitors,\n"
         "       act.returning_visitors, act.visits, act.nb_conversions, act.revenue\n"
         "FROM act JOIN sizes s ON s.site_id = act.site_id AND s.cohort_week = act.cohort_week";
}

std::string FunnelInsertSql(std::string_view dialect, const Funnel& funnel, const std::string& a_where) {
  // s<k>: per visit, the first action matching step k after the one that reached step k-1.
  std::string sql =
      "INSERT INTO matomo_funnels (site_id, date, funnel, step, step_definition, entered, reached, dropped)\nWITH ";
  for (size_t k = 0; k < funnel.steps.size(); ++k) {
    const std::string s = "s" + std::to_string(k + 1);
    if (k == 0) {
      sql += s +
             " AS (\n  SELECT a.site_id, a.visit_date, a.visit_id, min(a.action_index) AS idx FROM matomo_actions a\n"
             "  WHERE (" +
             a_where + ") AND " + FunnelStepMatchSql(dialect, funnel.steps[k]) +
             "\n  GROUP BY a.site_id, a.visit_date, a.visit_id\n)";
    } else {
      const std::string prev = "s" + std::to_string(k);
      sql += ",\n" + s + " AS (\n  SELECT p.site_id, p.visit_date, p.visit_id, min(a.action_index) AS idx FROM " +
             prev +
             " p\n  JOIN matomo_actions a ON a.site_id = p.site_id AND a.visit_date = p.visit_date AND a.visit_id = "
             "p.visit_id\n"
             "    AND a.action_index > p.idx\n  WHERE (" + a_where + ") AND " +
             FunnelStepMatchSql(dialect, funnel.steps[k]) + "\n  GROUP BY p.site_id, p.visit_date, p.visit_id\n)";
    }
  }
  sql += ",\nper_day AS (\n  SELECT s1.site_id, s1.visit_date";
  for (size_t k = 0; k < funnel.steps.size(); ++k) {
    sql += ", count(s" + std::to_string(k + 1) + ".visit_id) AS r" + std::to_string(k + 1);
  }
  sql += "\n  FROM s1";
  for (size_t k = 1; k < funnel.steps.size(); ++k) {
    const std::string s = "s" + std::to_string(k + 1);
    sql += "\n  LEFT JOIN " + s + " ON " + s + ".site_id = s1.site_id AND " + s + ".visit_date = s1.visit_date AND " +
           s + ".visit_id = s1.visit_id";
  }
  sql += "\n  GROUP BY s1.site_id, s1.visit_date\n)\n";
  for (size_t k = 0; k < funnel.steps.size(); ++k) {
    const std::string reached = "r" + std::to_string(k + 1);
    const std::string entered = "r" + std::to_string(k == 0 ? 1 : k);
    if (k) sql += "UNION ALL\n";
    sql += "SELECT site_id, visit_date, " + SqlText(dialect, funnel.name) + ", " + std::to_string(k + 1) + ", " +
           SqlText(dialect, funnel.steps[k].definition) + ", " + entered + ", " + reached + ", " + entered + " - " +
           reached + " FROM per_day\n";
  }
  return sql;
}

}  // namespace metl::models
