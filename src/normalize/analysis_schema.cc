#include "normalize/analysis_schema.h"

namespace metl {
namespace {

using T = LogicalType;

ColumnDef Col(std::string_view name, LogicalType type, std::string_view source, std::string_view desc,
              bool nullable = false) {
  return {name, type, nullable, source, desc};
}

TableDef Dates() {
  return {"matomo_dates",
          "A date dimension (one row per calendar day, whole years around every loaded day) for Power BI's "
          "'Mark as date table' and for week arithmetic in SQL; rebuilt by the models after every load.",
          {Col("date", T::kDate, "calendar", "The day."),
           Col("day_number", T::kBigInt, "calendar", "Days since 1970-01-01: date arithmetic in any engine."),
           Col("year", T::kInt, "calendar", "Year."), Col("quarter", T::kInt, "calendar", "Quarter, 1-4."),
           Col("month", T::kInt, "calendar", "Month, 1-12."),
           Col("month_name", T::kText, "calendar", "January ... December."),
           Col("year_month", T::kText, "calendar", "YYYY-MM, sorts as text."),
           Col("day_of_month", T::kInt, "calendar", "Day of the month, 1-31."),
           Col("day_of_week", T::kInt, "calendar", "ISO day of the week: 1 = Monday ... 7 = Sunday."),
           Col("day_name", T::kText, "calendar", "Monday ... Sunday."),
           Col("is_weekend", T::kBool, "calendar", "Saturday or Sunday."),
           Col("week_start", T::kDate, "calendar", "The Monday that starts the date's week (weeks start on Monday)."),
           Col("week_seq", T::kBigInt, "calendar",
               "Monday-based weeks since the week of 1970-01-01: the difference of two is the weeks between them."),
           Col("iso_year", T::kInt, "calendar", "ISO 8601 week-numbering year."),
           Col("iso_week", T::kInt, "calendar", "ISO 8601 week number, 1-53.")},
          {"date"},
          "",
          false};
}

TableDef ChannelsDaily() {
  return {"matomo_channels_daily",
          "One row per site, site-local day, channel and Matomo referrer type: the default channel grouping "
          "(docs/bi.md, 'Channel rules') next to Matomo's own referrer type. Built from matomo_visits and "
          "matomo_conversions for the days a load touched.",
          {Col("site_id", T::kBigInt, "matomo_visits.site_id", "Matomo site id."),
           Col("date", T::kDate, "matomo_visits.visit_date", "Site-local day."),
           Col("channel", T::kText, "channel rules (docs/bi.md)",
               "Default channel: Paid Social, Paid Search, Display, Affiliates, Email, Organic Social, Organic "
               "Search, AI Assistants, Referral, Direct or Other."),
           Col("referrer_type", T::kText, "matomo_visits.referrer_type",
               "Matomo's referrer type (direct, search, website, campaign, social, ai).", true),
           Col("nb_visits", T::kBigInt, "count(*)", "Visits."),
           Col("nb_uniq_visitors", T::kBigInt, "count(distinct visitor_id)", "Unique visitors of the day."),
           Col("nb_actions", T::kBigInt, "sum(actions)", "Actions."),
           Col("bounce_count", T::kBigInt, "count(*) filter (actions <= 1)", "Bounced visits."),
           Col("sum_visit_length", T::kBigInt, "sum(visit_duration_s)", "Total visit length (s)."),
           Col("nb_visits_converted", T::kBigInt, "count(*) filter (visit_converted)", "Converted visits."),
           Col("nb_conversions", T::kBigInt, "count of matomo_conversions[goal, ecommerce_order]",
               "Goal conversions and orders, not abandoned carts."),
           Col("revenue", T::kWideDecimal, "sum of matomo_conversions[goal, ecommerce_order].revenue",
               "Goal and order revenue, not abandoned carts.")},
          {"site_id", "date", "channel", "referrer_type"},
          "date",
          false};
}

TableDef Attribution() {
  return {"matomo_attribution",
          "One row per conversion (goal or ecommerce order) and touch: every visit of the same visitor id or "
          "user id that started within the lookback (attribution_lookback_days, default 30) before the "
          "conversion, the converting visit included, with each model's share of the credit. The credits of "
          "one conversion sum to 1 per model; attributed revenue is revenue * credit.",
          {Col("site_id", T::kBigInt, "matomo_conversions.site_id", "Matomo site id."),
           Col("conversion_date", T::kDate, "matomo_conversions.visit_date", "Site-local day of the converting visit."),
           Col("conversion_visit_id", T::kBigInt, "matomo_conversions.visit_id", "The converting visit."),
           Col("conversion_action_index", T::kInt, "matomo_conversions.action_index",
               "Position of the conversion in the converting visit's actionDetails (with conversion_visit_id: the "
               "conversion's key)."),
           Col("conversion_type", T::kText, "matomo_conversions.conversion_type", "goal or ecommerce_order."),
           Col("goal_id", T::kBigInt, "matomo_conversions.goal_id", "Goal id; 0 for orders."),
           Col("converted_at", T::kTimestampTz, "matomo_conversions.converted_at", "When it converted (UTC)."),
           Col("revenue", T::kDecimal, "matomo_conversions.revenue", "The conversion's revenue.", true),
           Col("touch_visit_id", T::kBigInt, "matomo_visits.visit_id", "The visit credited."),
           Col("touch_date", T::kDate, "matomo_visits.visit_date", "Site-local day of the visit credited."),
           Col("touch_at", T::kTimestampTz, "matomo_visits.first_action_at", "When the visit credited started (UTC)."),
           Col("touch_position", T::kInt, "order of first_action_at",
               "1 = the first touch ... touch_count = the converting visit."),
           Col("touch_count", T::kInt, "count of touches", "Touches of the conversion."),
           Col("days_before_conversion", T::kInt, "conversion_date - touch_date",
               "Days between the touch and the conversion."),
           Col("channel", T::kText, "channel rules (docs/bi.md)", "Default channel of the visit credited."),
           Col("referrer_type", T::kText, "matomo_visits.referrer_type",
               "Matomo's referrer type of the visit credited.", true),
           Col("referrer_name", T::kText, "matomo_visits.referrer_name", "Referrer name of the visit credited.", true),
           Col("campaign_name", T::kText, "matomo_visits.campaign_name", "Campaign of the visit credited.", true),
           Col("credit_first_touch", T::kDouble, "first touch", "1 for the first touch, else 0."),
           Col("credit_last_non_direct", T::kDouble, "last non-direct touch",
               "1 for the last touch whose channel is not Direct (the last touch when all are Direct), else 0."),
           Col("credit_linear", T::kDouble, "linear", "1 / touch_count."),
           Col("credit_position_based", T::kDouble, "position-based 40/20/40",
               "40% to the first and 40% to the last touch, 20% shared by those between; 50/50 for two touches, "
               "100% for one.")},
          {"site_id", "conversion_visit_id", "conversion_action_index", "touch_visit_id"},
          "conversion_date",
          false};
}

TableDef Cohorts() {
  return {
      "matomo_cohorts",
      "One row per site, first-visit week and week since: visitors (visitor ids) grouped by the week of their "
      "first visit in the warehouse (weeks start on Monday, site-local days), and what they did in each "
      "later week.",
      {Col("site_id", T::kBigInt, "matomo_visits.site_id", "Matomo site id."),
       Col("cohort_week", T::kDate, "first visit's matomo_dates.week_start",
           "Monday of the visitors' first visit week."),
       Col("weeks_since", T::kInt, "activity week - cohort week", "0 = the first-visit week."),
       Col("activity_week", T::kDate, "matomo_dates.week_start", "Monday of the week described."),
       Col("cohort_visitors", T::kBigInt, "count(distinct visitor_id)", "Visitors of the cohort (its size)."),
       Col("visitors", T::kBigInt, "count(distinct visitor_id)", "Visitors of the cohort with a visit in the week."),
       Col("returning_visitors", T::kBigInt, "count(distinct visitor_id) of visits after the first",
           "Of them, visitors with a visit in the week other than their first visit."),
       Col("visits", T::kBigInt, "count(*)", "Visits of the cohort in the week."),
       Col("nb_conversions", T::kBigInt, "count of matomo_conversions[goal, ecommerce_order]",
           "Goal conversions and orders of those visits."),
       Col("revenue", T::kWideDecimal, "sum of matomo_conversions[goal, ecommerce_order].revenue",
           "Goal and order revenue of those visits.")},
      {"site_id", "cohort_week", "weeks_since"},
      "activity_week",
      false};
}

TableDef Funnels() {
  return {"matomo_funnels",
          "One row per site, site-local day, funnel and step (the funnels option): visits that entered the "
          "step (reached the step before it; step 1: reached it), reached it in order within the visit, and "
          "dropped before it. Days on which no visit reached step 1 have no rows.",
          {Col("site_id", T::kBigInt, "matomo_actions.site_id", "Matomo site id."),
           Col("date", T::kDate, "matomo_actions.visit_date", "Site-local day."),
           Col("funnel", T::kText, "funnels option", "Funnel name."),
           Col("step", T::kInt, "funnels option", "Step number, 1 = the first."),
           Col("step_definition", T::kText, "funnels option", "The step as configured, e.g. url=*/cart*."),
           Col("entered", T::kBigInt, "visits that reached the previous step", "Visits that could reach the step."),
           Col("reached", T::kBigInt, "visits matching the steps in order", "Visits that reached the step."),
           Col("dropped", T::kBigInt, "entered - reached", "Visits that left before the step.")},
          {"site_id", "date", "funnel", "step"},
          "date",
          false};
}

}  // namespace

std::vector<TableDef> AnalysisTables() {
  return {Dates(), ChannelsDaily(), Attribution(), Cohorts(), Funnels()};
}

}  // namespace metl
