// SQL of the analysis tables (matomo_channels_daily, matomo_attribution, matomo_cohorts,
// matomo_funnels), one text for every engine: plain joins, window functions, CASE and LIKE, which
// DuckDB, PostgreSQL and GoogleSQL spell alike. Date arithmetic, which they spell differently, goes
// through matomo_dates (day_number, week_seq), which the runner fills from C++.
//
// Each builder takes the row filters of the rebuild (whole tables, some days, or a window) as SQL
// conditions, written by the runner (analysis.cc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "models/funnel_spec.h"

namespace metl::models {

// A string literal for `dialect` ('it''s'; GoogleSQL and ClickHouse, where a backslash escapes: 'it\'s').
std::string SqlText(std::string_view dialect, std::string_view text);

// The condition matching one funnel step on matomo_actions (alias a).
std::string FunnelStepMatchSql(std::string_view dialect, const FunnelStep& step);

// `v_where` filters matomo_visits (alias v), `c_where` matomo_conversions (no alias), by site and day.
std::string ChannelsInsertSql(const std::string& v_where, const std::string& c_where);

// Conversions whose converting day passes `conv_where` (alias c) and, the same days said of the
// converting visit, `conv_visit_where` (alias cv: without it the join reads every visit's partition);
// touches read from the visits that pass `touch_where` (alias v); lookback in days.
std::string AttributionInsertSql(const std::string& conv_where, const std::string& conv_visit_where,
                                 const std::string& touch_where, int lookback_days);

// Visitors of the sites passing `v_sites_where` (alias v; the same for the conversions, unaliased:
// `c_sites_where`); rows whose activity week passes `window_where` (alias vv: site_id, week_start).
std::string CohortsInsertSql(const std::string& v_sites_where, const std::string& c_sites_where,
                             const std::string& window_where);

// One funnel over the actions passing `a_where` (alias a: site_id, visit_date).
std::string FunnelInsertSql(std::string_view dialect, const Funnel& funnel, const std::string& a_where);

}  // namespace metl::models
