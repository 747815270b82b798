// The export of one partition: page Live.getLastVisitsDetails (period=day, asc) with a
// minTimestamp cursor set one second back from the last visit seen, deduplicated by idVisit, so
// that visits sharing a last-action second and coming in a different order on each request are
// neither lost nor duplicated; drop visits whose site-local last-action date is another day;
// stream the visits to part files; check the count against VisitsSummary.get nb_visits (one
// re-extraction on a mismatch); commit, or keep the landed partition when nothing changed.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/clock.h"
#include "extract/page_sizer.h"
#include "extract/planner.h"
#include "landing/landing_zone.h"
#include "landing/manifest.h"
#include "matomo/client.h"

namespace metl::extract {

enum class PartitionResult { kLanded, kUnchanged, kFailed, kMismatch };
const char* PartitionResultName(PartitionResult r);

struct PartitionOutcome {
  int64_t site_id = 0;
  CivilDate date;
  PartitionResult result = PartitionResult::kFailed;
  bool partial = false;
  int64_t visits = 0;
  std::optional<int64_t> matomo_nb_visits;
  int64_t requests = 0;
  int64_t dropped_other_day = 0;  // visits of another site-local day (Matomo's "today" quirk)
  int64_t invalid_utf8_replaced = 0;  // invalid UTF-8 bytes in the landed visits, replaced by U+FFFD
  std::string content_sha256;
  std::string error;  // why it failed (Matomo's message included), or the mismatch figures
  ErrorKind error_kind = ErrorKind::kInternal;
};

struct ExportContext {
  matomo::MatomoClient* client = nullptr;
  const landing::LandingZone* zone = nullptr;
  PageSizer* sizer = nullptr;
  const Clock* clock = nullptr;
  landing::Compression compression = landing::Compression::kZstd;
  std::string matomo_version;
  std::string extractor_version;
  std::atomic<int64_t>* visits_counter = nullptr;  // progress: visits written so far (may be null)
};

PartitionOutcome ExportPartition(const ExportContext& ctx, const PlannedPartition& p);

}  // namespace metl::extract
