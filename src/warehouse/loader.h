// The load step: landed partitions -> normalizer -> warehouse, each partition replaced together
// with its ledger row, in parallel across partitions (one Session per worker thread), in bounded
// memory (the normalizer hands over batches of a few thousand rows; nothing holds a partition).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "landing/landing_zone.h"
#include "models/analysis.h"
#include "warehouse/warehouse.h"

namespace metl::warehouse {

struct LoadOptions {
  std::filesystem::path landing;
  landing::PartitionFilter filter;
  // Reload even when the ledger holds the same content hash (load --from/--to, --full-refresh).
  bool force = false;
  // Reload every landed partition (of the filter's range), then remove the partitions of the range
  // that are no longer landed: the result of emptying the tables and reloading, but each day is
  // replaced in a transaction of its own, so readers never see the tables empty (docs/operations.md).
  bool full_refresh = false;
  int threads = 0;  // 0 = hardware threads
  // false (raw_visits = "landing"): matomo_raw_visits is emptied and gets no rows; the raw visits
  // stay in the landing zone only.
  bool raw_visits_in_warehouse = true;
  std::string etl_version;
  // `load --dry-run` (the engine was opened in plan mode): partitions are logged as "would load".
  bool dry_run = false;
  // Settings of the analysis tables (attribution lookback, funnels).
  models::AnalysisOptions analysis;
};

enum class PartitionResult { kLoaded, kSkipped, kFailed };

struct PartitionOutcome {
  PartitionKey key;
  PartitionResult result = PartitionResult::kSkipped;
  int64_t visits = 0;
  int64_t rows = 0;  // rows of all tables
  int64_t money_out_of_range = 0;                  // money values beyond DECIMAL(18,6), loaded as null
  std::vector<int64_t> money_out_of_range_visits;  // the first visits holding one
  double seconds = 0;
  std::optional<Error> error;
};

struct LoadSummary {
  std::vector<PartitionOutcome> partitions;  // sorted by site and date
  int loaded = 0, skipped = 0, failed = 0;
  int64_t visits = 0, rows = 0;
  double seconds = 0;
};

// Migrates the warehouse, loads what is due, and rebuilds the models. A partition that fails
// (a visit that does not parse, a corrupt file) fails alone: it gets a `failed` ledger row with
// the error, keeps its previous data, and the others load. Whole-run failures (the warehouse
// cannot be opened, the landing zone cannot be listed) are returned as errors.
Result<LoadSummary> LoadPartitions(Warehouse& warehouse, const LoadOptions& options, const Clock& clock);

}  // namespace metl::warehouse
