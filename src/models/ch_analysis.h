// The analysis models on ClickHouse (RunAnalysisModels hands over to it once it knows the scope).
// No transactions there, so each table is rebuilt as the report tables are (report_models.h): its rows
// go into a staging table of this run, then each rebuilt (site, day) partition is swapped in by REPLACE
// PARTITION (readers never see a half-built day), or on a full rebuild the whole table by one RENAME.
//
// On a sharded cluster (docs/clickhouse.md, "Analysis tables"):
// - matomo_channels_daily and matomo_funnels depend on one (site, day) only: each shard rebuilds its own
//   days from its local tables, like the report tables;
// - matomo_attribution and matomo_cohorts span days (a visitor's visits lie on any shard): they are built
//   by one INSERT on the first shard reading the Distributed tables (Session::ExecuteGlobal), so their
//   rows live on that shard; every shard swaps its partitions (the others' staging tables are empty);
// - matomo_dates has no site: a whole copy on every shard, like matomo_sites.
#pragma once

#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/error.h"
#include "models/analysis.h"
#include "warehouse/warehouse.h"

namespace metl::models {

struct ChAnalysisPlan {
  bool full = false;          // every table, every row
  bool funnels_full = false;  // matomo_funnels, every row (the configured steps changed)
  std::vector<warehouse::PartitionKey> touched;
  CivilDate loaded_to;  // the last loaded day
};

// `date_rows`: matomo_dates' rows (DateRows).
Status RunChAnalysisModels(warehouse::Session& session, const AnalysisOptions& options, const ChAnalysisPlan& plan,
                           const std::vector<std::string>& date_rows);

}  // namespace metl::models
