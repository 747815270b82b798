// Models: SQL that builds the BI tables from the curated tables, per warehouse dialect
// (DESIGN.md "Data flow" step 5). The SQL lives in model_sql.cc as raw strings, one per model and
// dialect, with a portable default that DuckDB and PostgreSQL share.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "warehouse/warehouse.h"

namespace metl::models {

struct Model {
  std::string_view name;     // the table it builds, e.g. "matomo_daily_kpis"
  std::string_view dialect;  // "" = portable SQL
  std::string_view sql;      // statements separated by ";\n"
};

// The models for a dialect, in dependency order.
std::vector<Model> ModelsFor(std::string_view dialect);

// Rebuilds every model in one transaction where the engine has transactions (readers never see
// a half-built table). The report tables (report_models.h) are rebuilt for the `touched` (site, day)s
// only, or for every day when `touched` is null (a full refresh, verify's rebuild). ClickHouse (no
// transactions) builds each report table's days in a staging table and swaps them in (BindChReportSql).
// PostgreSQL: the models join CTEs whose row estimates are far too low (the touched-days predicates),
// and the planner then nests loops over tens of thousands of actions (minutes instead of a fraction of a
// second, measured on 12,725 actions: 603 ms -> 93 ms for matomo_pages_daily alone, and a 5-minute hang on
// 14 days). Hash and merge joins only, for the models' transaction (SET LOCAL). Elsewhere: nothing.
Status PlannerSettings(warehouse::Session& session, const warehouse::Capabilities& caps);

// Runs one model statement, and logs its duration at debug level ("model statement": model, statement's
// head, seconds).
Status TimedExecute(warehouse::Session& session, std::string_view model, std::string_view stmt);

// 8 random hex digits naming one run's staging tables (ClickHouse's swaps: two runs never share one).
std::string StagingRunToken();

Status RunModels(warehouse::Session& session, const warehouse::Capabilities& caps,
                 const std::vector<warehouse::PartitionKey>* touched = nullptr);

}  // namespace metl::models
