// The analysis tables' SQL for ClickHouse: the same rows and values as analysis_sql.cc, written in what
// ClickHouse 18.16 and 23.x-26.x both run (the rules of ch_report_sql.cc: nested subqueries, one
// JOIN ... USING per SELECT, no window functions, no lambda capturing a column of its subquery).
// Each builder fills the staging table {STG}; the runner (ch_analysis.cc) creates it and swaps it in.
//
// Filters are SQL conditions on unqualified columns, written by the runner: `days` on (site_id,
// visit_date), `sites` on site_id.
#pragma once

#include <string>

#include "models/funnel_spec.h"

namespace metl::models {

// matomo_channels_daily for the visits of `days`: one (site, day)'s rows come from that day alone.
std::string ChChannelsSql(const std::string& days);

// matomo_funnels for one funnel over the actions of `days`: per visit, the actions matching a step as
// a sorted array of positions; step k is the first match after step k-1's (arrayFirst).
std::string ChFunnelSql(const Funnel& funnel, const std::string& days);

// matomo_attribution for the conversions of `conv_days`, their touches among the visits of
// `touch_days`: the same visitor id, the same user id or the converting visit itself (one equi-join on
// "link" keys), ranked per conversion by sorting arrays.
std::string ChAttributionSql(const std::string& conv_days, const std::string& touch_days, int lookback_days);

// matomo_cohorts for the visitors of `sites` (first visit: argMin over the whole history), the rows of
// the activity weeks of the visits passing `window` (on site_id, visit_date).
std::string ChCohortsSql(const std::string& sites, const std::string& window);

}  // namespace metl::models
