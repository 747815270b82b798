// What `matomo-etl report` shows, read from the warehouse's tables (never recomputed here, so that
// the page's numbers are the tables' numbers): per site, the days of the range with visits,
// conversions and revenue (matomo_daily_kpis), visits per channel and day (matomo_channels_daily),
// top pages (matomo_pages_daily, Matomo's own pages report rebuilt), referrers and devices (matomo_visits), funnels (matomo_funnels) and
// the cohort grid (matomo_cohorts).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/error.h"
#include "warehouse/warehouse.h"

namespace metl::report {

struct DayFigures {
  std::string date;  // YYYY-MM-DD
  int64_t visits = 0, conversions = 0;
  double revenue = 0;
};

struct Labelled {
  std::string label, detail;
  int64_t value = 0, second = 0;  // e.g. visits, conversions
  double revenue = 0;
};

struct FunnelStepFigures {
  int step = 0;
  std::string definition;
  int64_t entered = 0, reached = 0;
};
struct FunnelFigures {
  std::string name;
  std::vector<FunnelStepFigures> steps;
};

struct CohortRow {
  std::string week;
  int64_t size = 0;
  std::vector<int64_t> visitors;  // by weeks since first visit, 0..
};

struct SiteReport {
  int64_t site_id = 0;
  std::string name, currency;
  bool name_is_id = false;  // no matomo_sites row: the name is "Site N"
  CivilDate from, to;
  // Totals of the range, as the tables sum them (the page's data-metric values).
  int64_t visits = 0, uniq_visitors_daily_sum = 0, pageviews = 0, conversions = 0;
  std::string revenue_text;  // the warehouse's sum, as text (exact)
  double revenue = 0;
  std::vector<DayFigures> days;
  std::vector<std::string> channels;                 // in order of visits
  std::vector<std::vector<int64_t>> channel_visits;  // [day][channel]
  std::vector<Labelled> channel_totals, pages, referrers, devices;
  std::vector<FunnelFigures> funnels;
  std::vector<CohortRow> cohorts;
};

struct ReportRequest {
  std::vector<int64_t> sites;         // empty: every loaded site
  std::optional<CivilDate> from, to;  // default: the 30 days up to the site's last loaded day
};

Result<std::vector<SiteReport>> ReadReport(warehouse::Session& session, const ReportRequest& request);

}  // namespace metl::report
