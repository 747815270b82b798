// The models' part of a sync, alone, for bench/report_rebuild.sh: rebuilds the KPI and report tables
// (models::RunModels) and the analysis tables (models::RunAnalysisModels) of a warehouse whose curated
// tables are already filled, exactly as the loader does after its loads, and prints the seconds of each.
// `load --full-refresh` cannot time this: it reloads the landing zone first, and drops the days that are
// not landed (the bench's warehouse holds days made by SQL).
//   metl_model_rebuild WAREHOUSE full                  every day (what sync --full-refresh rebuilds)
//   metl_model_rebuild WAREHOUSE day SITE YYYY-MM-DD   one touched (site, day): a daily sync's rebuild
// Prints "report_models_s <s>", "analysis_models_s <s>" and "total_s <s>" on stdout, and on stderr the
// debug log: one "model statement" line per statement with its seconds (where the time goes, per table).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/civil_date.h"
#include "core/log.h"
#include "models/analysis.h"
#include "models/funnel_spec.h"
#include "models/models.h"
#include "normalize/schema.h"
#include "warehouse/warehouse.h"

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int Fail(const metl::Error& e) {
  std::fprintf(stderr, "metl_model_rebuild: %s\n", e.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace metl;
  const std::string mode = argc > 2 ? argv[2] : "";
  if (argc < 3 || (mode != "full" && (mode != "day" || argc < 5))) {
    std::fprintf(stderr, "usage: metl_model_rebuild WAREHOUSE full | WAREHOUSE day SITE YYYY-MM-DD\n");
    return 2;
  }
  SetLogLevel(LogLevel::kDebug);
  warehouse::WarehouseOptions wo;
  wo.duckdb_memory_mb = 0;  // the models get DuckDB's default, as in a sync
  auto wh = warehouse::OpenWarehouse(argv[1], wo);
  if (!wh.ok()) return Fail(wh.error());
  if (auto s = (*wh)->Migrate(AllTables()); !s.ok()) return Fail(s.error());
  auto session = (*wh)->Connect();
  if (!session.ok()) return Fail(session.error());
  const warehouse::Capabilities& caps = (*wh)->capabilities();

  std::vector<warehouse::PartitionKey> touched;
  models::AnalysisScope scope;
  scope.full = mode == "full";
  if (!scope.full) {
    auto date = CivilDate::Parse(argv[4]);
    if (!date.ok()) return Fail(date.error());
    touched.push_back(warehouse::PartitionKey{std::atoll(argv[3]), *date});
    scope.touched = touched;
  }
  models::AnalysisOptions analysis;  // the defaults: 30-day lookback, the default funnel
  auto funnels = models::ParseFunnels("Visit to conversion: url=* > goal=any");
  if (!funnels.ok()) return Fail(funnels.error());
  analysis.funnels = *funnels;

  const double t0 = Now();
  if (auto s = models::RunModels(**session, caps, scope.full ? nullptr : &touched); !s.ok()) return Fail(s.error());
  const double t1 = Now();
  if (auto s = models::RunAnalysisModels(**session, caps, analysis, scope); !s.ok()) return Fail(s.error());
  const double t2 = Now();
  std::printf("report_models_s %.3f\nanalysis_models_s %.3f\ntotal_s %.3f\n", t1 - t0, t2 - t1, t2 - t0);
  return 0;
}
