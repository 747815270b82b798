// The analysis models' runner: rebuilds matomo_dates, then the rows of matomo_channels_daily,
// matomo_funnels (the touched days), matomo_attribution (the conversions whose lookback window holds
// a touched day) and matomo_cohorts (the activity weeks from the first touched day on), in one
// transaction where the engine has them. A full rebuild replaces every row.
#pragma once

#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/error.h"
#include "models/funnel_spec.h"
#include "warehouse/warehouse.h"

namespace metl::models {

struct AnalysisOptions {
  int lookback_days = 30;       // attribution_lookback_days
  std::vector<Funnel> funnels;  // the funnels option, parsed
};

struct AnalysisScope {
  bool full = false;                             // every row (load/sync --full-refresh, or never built)
  std::vector<warehouse::PartitionKey> touched;  // partitions loaded or removed by this run
};

Status RunAnalysisModels(warehouse::Session& session, const warehouse::Capabilities& caps,
                         const AnalysisOptions& options, const AnalysisScope& scope);

// The rows of matomo_dates for [from, to], each a parenthesized VALUES tuple (the runner inserts them).
std::vector<std::string> DateRows(CivilDate from, CivilDate to);

}  // namespace metl::models
