// Streams the visits of one landing partition (site x site-local day) into typed rows of the
// curated tables (schema.h): visits, actions, custom dimensions, conversions, ecommerce items and
// raw visits. One pass per visit with simdjson On-Demand, no DOM; buffers are reused, so memory
// stays bounded by the batch size whatever the partition size.
//
//   VisitNormalizer n(zone, site_id, date, extracted_at, &sink);
//   for each line: METL_TRY(n.AddVisit(line, line_no));
//   METL_TRY(n.Finish());   // hands over the last, partial batches
//
// Batches reach the sink whenever one holds `batch_rows` rows, tables interleaved; a visit's rows
// are all staged first, so a visit that fails to parse leaves no rows behind. After an error the
// partition must be abandoned (the sink may already hold earlier visits' rows).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/civil_date.h"
#include "core/error.h"
#include "core/time_zone.h"
#include "normalize/coerce.h"
#include "normalize/columns.h"
#include "normalize/staged_rows.h"
#include "normalize/table_batch.h"

namespace metl {

struct NormalizerOptions {
  size_t batch_rows = 2048;
  // False when the engine reads raw visits in place from the landing zone (a view).
  bool emit_raw_visits = true;
};

struct NormalizerStats {
  int64_t visits = 0;
  int64_t actions = 0;
  int64_t custom_dimensions = 0;
  int64_t conversions = 0;
  int64_t ecommerce_items = 0;
  int64_t truncated_visits = 0;  // visits carrying truncatedActionsCount > 0
  int64_t bytes = 0;             // JSON bytes of the visits (without newlines)
  // Money values beyond DECIMAL(18,6) (a value Matomo sent, or a visit's revenue total), stored as
  // null rather than wrapped or rounded; the loader warns with the first visits that had one.
  int64_t money_out_of_range = 0;
  std::vector<int64_t> money_out_of_range_visits;  // at most kMaxReportedVisits
  static constexpr size_t kMaxReportedVisits = 10;
};

enum class FieldScope { kVisit, kAction, kItem };

class VisitNormalizer {
 public:
  // Whether the normalizer maps a JSON field of the given scope to a column (field-coverage checks).
  static bool ReadsField(FieldScope scope, std::string_view key);

  // `extracted_at` is a UTC epoch in seconds (the landing manifest's extracted_at).
  VisitNormalizer(std::shared_ptr<const TimeZone> zone, int64_t site_id, CivilDate date, int64_t extracted_at,
                  RowSink* sink, NormalizerOptions options = {});
  VisitNormalizer(const VisitNormalizer&) = delete;
  VisitNormalizer& operator=(const VisitNormalizer&) = delete;

  // One visit: a JSON object (a landing-zone line without its '\n'). Blank lines are skipped.
  // Errors are ErrorKind::kData naming the site, the date and `line_no`.
  Status AddVisit(std::string_view json_line, size_t line_no);
  // Flushes the remaining rows to the sink. Call once, after the last visit.
  Status Finish();

  const NormalizerStats& stats() const { return stats_; }

 private:
  enum class ActionKind : uint8_t {
    kPageview, kEvent, kDownload, kOutlink, kSearch, kContent, kGoal, kOrder, kCart, kOther
  };
  struct ActionExtra {  // per-action values that live outside the actions table
    ActionKind kind = ActionKind::kOther;
    bool has_time = false;
    int64_t local = 0;  // wall time (LocalSeconds)
    std::optional<int64_t> subtotal, tax, shipping, discount;
    bool revenue_out_of_range = false;  // revenue was a number beyond DECIMAL(18,6) (stored as null)
    size_t items_begin = 0;  // staged item rows of this action: [items_begin, items_end)
    size_t items_end = 0;
  };

  Status ParseVisit(std::string_view json, size_t line_no);
  simdjson::error_code ParseActions(simdjson::ondemand::value& details);
  simdjson::error_code ParseAction(simdjson::ondemand::object& action, int index);
  simdjson::error_code ParseItems(simdjson::ondemand::value& items, int action_index);
  Status FinishVisit(size_t line_no);
  void AddDimension(int action_index, std::string_view key, simdjson::ondemand::value& value);
  void CommitVisit();
  void FlushFull(bool all);
  Error DataError(size_t line_no, std::string message) const;

  std::shared_ptr<const TimeZone> zone_;
  int64_t site_id_;
  CivilDate date_;
  int64_t extracted_at_us_;
  RowSink* sink_;
  NormalizerOptions options_;
  bool fixed_offset_;  // UTC and UTC+h sites: no ambiguity, no per-action zone lookups
  int32_t fixed_offset_s_ = 0;

  simdjson::ondemand::parser parser_;
  std::string padded_;  // the current line plus SIMDJSON_PADDING bytes
  Coercer coerce_;

  // Current visit.
  StagedRows visit_{visit_col::kCount};
  StagedRows actions_{action_col::kCount};
  StagedRows dims_{dim_col::kCount};
  StagedRows convs_{conv_col::kCount};
  StagedRows items_{item_col::kCount};
  std::vector<ActionExtra> extras_;
  std::vector<int64_t> local_times_;
  std::vector<int64_t> utc_times_;
  std::vector<size_t> timed_actions_;
  std::string_view raw_json_;
  std::optional<int64_t> first_action_ts_, last_action_ts_, truncated_;

  std::array<std::unique_ptr<TableBatch>, kCuratedTableCount> batches_;
  NormalizerStats stats_;
  bool finished_ = false;
};

}  // namespace metl
