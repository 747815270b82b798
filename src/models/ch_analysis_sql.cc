// Read analysis_sql.cc for what each table means; here only how ClickHouse computes the same thing.
// 18.16 pitfalls avoided, as in ch_report_sql.cc: a lambda never captures a column (a value it needs is
// passed as an array argument, replicate(x, arr)); uniqExact of a Nullable column goes through ifNull; a
// LEFT JOIN gives 0 for a missing right row (join_use_nulls = 0), as coalesce(..., 0) does elsewhere;
// every value is converted to its column's type.
#include "models/ch_analysis_sql.h"

#include "models/analysis_sql.h"
#include "models/channels.h"

namespace metl::models {
namespace {

// Goals and orders (not abandoned carts) per visit of `days`, as ConversionsPerVisit in analysis_sql.cc.
std::string ConversionsPerVisit(const std::string& days) {
  return R"SQL(
    SELECT site_id, visit_date, visit_id, toInt64(count()) AS conv,
           toDecimal128(sum(ifNull(revenue, toDecimal64(0, 6))), 6) AS rev
    FROM matomo_conversions WHERE conversion_type IN ('goal', 'ecommerce_order') AND ()SQL" +
         days + R"SQL()
    GROUP BY site_id, visit_date, visit_id)SQL";
}

// The keys that link a visit to a conversion's touches: its visitor id, its user id (when set) and the
// visit itself. Two visits share a key exactly when the generic SQL's three equi-joins pair them.
constexpr std::string_view kLinks =
    "arrayFilter(x -> x != '', [if(isNull(visitor_id), '', concat('v:', assumeNotNull(visitor_id))), "
    "if(isNull(user_id), '', concat('u:', assumeNotNull(user_id))), "
    "concat('i:', toString(visit_date), ':', toString(visit_id))])";

}  // namespace

std::string ChChannelsSql(const std::string& days) {
  return R"SQL(INSERT INTO {STG} (site_id, date, channel, referrer_type, nb_visits, nb_uniq_visitors, nb_actions,
  bounce_count, sum_visit_length, nb_visits_converted, nb_conversions, revenue)
SELECT site_id, visit_date, channel, referrer_type, toInt64(count()), toInt64(ifNull(uniqExact(visitor_id), 0)),
       toInt64(sum(actions)), toInt64(countIf(actions <= 1)), toInt64(sum(visit_duration_s)),
       toInt64(countIf(visit_converted = 1)), toInt64(sum(conv)), toDecimal128(sum(rev), 6)
FROM (
  SELECT site_id, visit_date, visit_id, visitor_id, actions, visit_duration_s, visit_converted, referrer_type, channel,
         conv, rev
  FROM (
    SELECT site_id, visit_date, visit_id, visitor_id, actions, visit_duration_s, visit_converted, referrer_type,
           )SQL" +
         ChannelCaseSql() + R"SQL( AS channel
    FROM matomo_visits AS v WHERE )SQL" +
         days + R"SQL(
  ) ANY LEFT JOIN ()SQL" +
         ConversionsPerVisit(days) + R"SQL(
  ) USING (site_id, visit_date, visit_id)
)
GROUP BY site_id, visit_date, channel, referrer_type)SQL";
}

std::string ChFunnelSql(const Funnel& funnel, const std::string& days) {
  const size_t n = funnel.steps.size();
  auto k_name = [](const char* prefix, size_t k) { return std::string(prefix) + std::to_string(k + 1); };
  // Per visit: f<k> flags (1: the action matches step k) in action order, q<k> the positions of the
  // matches, p<k> the position that reached step k (0: not reached).
  std::string flags, any_step, positions, reached, counts, rs, es, steps, defs;
  for (size_t k = 0; k < n; ++k) {
    const std::string match = FunnelStepMatchSql("clickhouse", funnel.steps[k]);
    flags += ", groupArray(toUInt8(ifNull(" + match + ", 0))) AS " + k_name("f", k);
    any_step += std::string(k ? " OR " : "") + "(" + match + ")";
    positions += ", arrayFilter((j, f) -> f = 1, arrayEnumerate(idx), arraySort((f, i) -> i, " + k_name("f", k) +
                 ", idx)) AS " + k_name("q", k);
    if (k == 0) {
      reached += ", if(empty(q1), 0, q1[1]) AS p1";
    } else {
      reached += ", if(" + k_name("p", k - 1) + " = 0, 0, arrayFirst((j, prev) -> j > prev, " + k_name("q", k) +
                 ", replicate(" + k_name("p", k - 1) + ", " + k_name("q", k) + "))) AS " + k_name("p", k);
    }
    counts += ", toInt64(countIf(" + k_name("p", k) + " > 0)) AS " + k_name("r", k);
    rs += std::string(k ? ", " : "") + k_name("r", k);
    es += std::string(k ? ", " : "") + k_name("r", k == 0 ? 0 : k - 1);
    steps += std::string(k ? ", " : "") + "toInt64(" + std::to_string(k + 1) + ")";
    defs += std::string(k ? ", " : "") + SqlText("clickhouse", funnel.steps[k].definition);
  }
  std::string q_list;
  for (size_t k = 0; k < n; ++k) q_list += ", " + k_name("q", k);
  // Actions matching no step cannot move a visit along: left out before the arrays are built.
  return R"SQL(INSERT INTO {STG} (site_id, date, funnel, step, step_definition, entered, reached, dropped)
SELECT site_id, visit_date, )SQL" +
         SqlText("clickhouse", funnel.name) + R"SQL(, step, step_definition, ent, rea, ent - rea
FROM (
  SELECT site_id, visit_date, [)SQL" +
         rs + "] AS rs, [" + es + "] AS es, [" + steps + "] AS steps, [" + defs + R"SQL(] AS defs
  FROM (
    SELECT site_id, visit_date)SQL" +
         counts + R"SQL(
    FROM (
      SELECT site_id, visit_date, visit_id)SQL" +
         q_list + reached + R"SQL(
      FROM (
        SELECT site_id, visit_date, visit_id)SQL" +
         positions + R"SQL(
        FROM (
          SELECT site_id, visit_date, visit_id, groupArray(action_index) AS idx)SQL" +
         flags + R"SQL(
          FROM matomo_actions AS a WHERE ()SQL" +
         days + ") AND (" + any_step + R"SQL()
          GROUP BY site_id, visit_date, visit_id
        )
      )
    )
    GROUP BY site_id, visit_date
  )
  WHERE r1 > 0
) ARRAY JOIN rs AS rea, es AS ent, steps AS step, defs AS step_definition)SQL";
}

std::string ChAttributionSql(const std::string& conv_days, const std::string& touch_days, int lookback_days) {
  const std::string lookback = std::to_string(lookback_days);
  // conv: a row per conversion and link key; touch: a row per candidate visit and link key.
  const std::string conv = R"SQL(
        SELECT site_id, conv_date, conv_visit, conv_index, conversion_type, goal_id, converted_at, revenue, link
        FROM (
          SELECT site_id, visit_date AS conv_date, visit_id AS conv_visit, action_index AS conv_index, conversion_type,
                 goal_id, converted_at, revenue, links
          FROM (
            SELECT site_id, visit_date, visit_id, action_index, conversion_type, goal_id, converted_at, revenue
            FROM matomo_conversions WHERE conversion_type IN ('goal', 'ecommerce_order') AND ()SQL" +
                           conv_days + R"SQL()
          ) ALL INNER JOIN (
            SELECT site_id, visit_date, visit_id, )SQL" +
                           std::string(kLinks) + R"SQL( AS links FROM matomo_visits WHERE )SQL" + conv_days + R"SQL(
          ) USING (site_id, visit_date, visit_id)
        ) ARRAY JOIN links AS link)SQL";
  const std::string touch = R"SQL(
        SELECT site_id, visit_id AS t_visit, visit_date AS t_date, first_action_at AS t_at, channel AS t_channel,
               referrer_type AS t_rtype, referrer_name AS t_rname, campaign_name AS t_campaign, link
        FROM (
          SELECT site_id, visit_id, visit_date, first_action_at, referrer_type, referrer_name, campaign_name,
                 )SQL" + ChannelCaseSql() +
                            R"SQL( AS channel, )SQL" + std::string(kLinks) + R"SQL( AS links
          FROM matomo_visits AS v WHERE )SQL" +
                            touch_days + R"SQL(
        ) ARRAY JOIN links AS link)SQL";
  // pairs: each (conversion, touch) once (two visits can share several keys), within the lookback and
  // not after the conversion; then per conversion its touches as one array of tuples sorted by (start,
  // visit id, ...) — a tuple, because groupArray skips NULLs, which would misalign parallel arrays.
  return R"SQL(INSERT INTO {STG} (site_id, conversion_date, conversion_visit_id, conversion_action_index,
  conversion_type, goal_id, converted_at, revenue, touch_visit_id, touch_date, touch_at, touch_position, touch_count,
  days_before_conversion, channel, referrer_type, referrer_name, campaign_name, credit_first_touch,
  credit_last_non_direct, credit_linear, credit_position_based)
SELECT site_id, conv_date, conv_visit, conv_index, conversion_type, goal_id, converted_at, revenue, t_visit, t_date,
       t_at, toInt64(pos), n, toInt64(toRelativeDayNum(conv_date)) - toInt64(toRelativeDayNum(t_date)), t_channel,
       t_rtype, t_rname, t_campaign, if(pos = 1, 1., 0.), if(pos = lnd_pos, 1., 0.), 1. / n,
       multiIf(n = 1, 1., n = 2, 0.5, pos = 1 OR pos = n, 0.4, 0.2 / (n - 2))
FROM (
  SELECT site_id, conv_date, conv_visit, conv_index, conversion_type, goal_id, converted_at, revenue, pos, n, lnd_pos,
         tupleElement(t, 1) AS t_at, tupleElement(t, 2) AS t_visit, tupleElement(t, 3) AS t_date,
         tupleElement(t, 4) AS t_channel, tupleElement(t, 5) AS t_rtype, tupleElement(t, 6) AS t_rname,
         tupleElement(t, 7) AS t_campaign
  FROM (
    SELECT site_id, conv_date, conv_visit, conv_index, conversion_type, goal_id, converted_at, revenue, touches,
           arrayEnumerate(touches) AS positions, toInt64(length(touches)) AS n,
           toInt64(arrayReduce('max', arrayMap((x, p) -> if(x.4 != 'Direct', p, 0), touches, positions))) AS last_nd,
           if(last_nd = 0, n, last_nd) AS lnd_pos
    FROM (
      SELECT site_id, conv_date, conv_visit, conv_index, any(conversion_type) AS conversion_type,
             any(goal_id) AS goal_id, any(converted_at) AS converted_at, any(revenue) AS revenue,
             arraySort(groupArray((t_at, t_visit, t_date, t_channel, t_rtype, t_rname, t_campaign))) AS touches
      FROM (
        SELECT DISTINCT site_id, conv_date, conv_visit, conv_index, conversion_type, goal_id, converted_at, revenue,
               t_visit, t_date, t_at, t_channel, t_rtype, t_rname, t_campaign
        FROM ()SQL" +
         conv + R"SQL(
        ) ALL INNER JOIN ()SQL" +
         touch + R"SQL(
        ) USING (site_id, link)
        WHERE toInt64(toRelativeDayNum(t_date)) >= toInt64(toRelativeDayNum(conv_date)) - )SQL" +
         lookback + R"SQL(
          AND t_date <= conv_date AND t_at <= converted_at
      )
      GROUP BY site_id, conv_date, conv_visit, conv_index
    )
  ) ARRAY JOIN touches AS t, positions AS pos
))SQL";
}

std::string ChCohortsSql(const std::string& sites, const std::string& window) {
  // A visitor's first visit: the earliest start, ties broken by visit id (the generic SQL's rank 1).
  const std::string firsts = R"SQL(
      SELECT site_id, vid, first_visit, toMonday(first_date) AS cohort_week
      FROM (
        SELECT site_id, assumeNotNull(visitor_id) AS vid, argMin(visit_id, (first_action_at, visit_id)) AS first_visit,
               argMin(visit_date, (first_action_at, visit_id)) AS first_date
        FROM matomo_visits WHERE visitor_id IS NOT NULL AND ()SQL" +
                             sites + R"SQL()
        GROUP BY site_id, vid
      ))SQL";
  return R"SQL(INSERT INTO {STG} (site_id, cohort_week, weeks_since, activity_week, cohort_visitors, visitors,
  returning_visitors, visits, nb_conversions, revenue)
SELECT site_id, cohort_week, weeks_since, activity_week, cohort_visitors, visitors, returning_visitors, visits,
       nb_conversions, revenue
FROM (
  SELECT site_id, cohort_week, activity_week,
         toInt64(intDiv(toInt64(toRelativeDayNum(activity_week)) - toInt64(toRelativeDayNum(cohort_week)), 7))
           AS weeks_since,
         toInt64(uniqExact(vid)) AS visitors, toInt64(uniqExactIf(vid, visit_id != first_visit)) AS returning_visitors,
         toInt64(count()) AS visits, toInt64(sum(conv)) AS nb_conversions, toDecimal128(sum(rev), 6) AS revenue
  FROM (
    SELECT site_id, vid, visit_id, toMonday(visit_date) AS activity_week, first_visit, cohort_week, conv, rev
    FROM (
      SELECT site_id, visit_date, visit_id, vid, first_visit, cohort_week
      FROM (
        SELECT site_id, visit_date, visit_id, assumeNotNull(visitor_id) AS vid FROM matomo_visits
        WHERE visitor_id IS NOT NULL AND ()SQL" +
         sites + ") AND (" + window + R"SQL()
      ) ALL INNER JOIN ()SQL" +
         firsts + R"SQL(
      ) USING (site_id, vid)
    ) ANY LEFT JOIN ()SQL" +
         ConversionsPerVisit(sites) + R"SQL(
    ) USING (site_id, visit_date, visit_id)
  )
  GROUP BY site_id, cohort_week, activity_week
) ALL INNER JOIN (
  SELECT site_id, cohort_week, toInt64(count()) AS cohort_visitors FROM ()SQL" +
         firsts + R"SQL()
  GROUP BY site_id, cohort_week
) USING (site_id, cohort_week))SQL";
}

}  // namespace metl::models
