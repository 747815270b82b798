// The analysis tables (channels, attribution, cohorts, funnels, a date dimension): declared here,
// beside the curated schema they are built from, so that DDL and docs/schema.md come from one place.
// The SQL that fills them is in src/models/analysis_sql.cc.
#pragma once

#include <vector>

#include "normalize/schema.h"

namespace metl {

// matomo_dates, matomo_channels_daily, matomo_attribution, matomo_cohorts, matomo_funnels.
std::vector<TableDef> AnalysisTables();

}  // namespace metl
