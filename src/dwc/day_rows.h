// Pass 2 of `dwc load`: the rows needed to render the days it rebuilds, and nothing else, read from
// every file of the export, each table's files oldest first (so each row's newest version wins):
//   - log_visit, log_link_visit_action, log_conversion, log_conversion_item rows of the visits of
//     those days (VisitDays says which visits a day holds);
//   - the log_link_visit_action rows their conversions point at (idpageview);
//   - the log_action rows those actions and items reference (read last, once the ids are known);
//   - of the other conversions, those of the same visitors (Live's lifetime ecommerce totals),
//     reduced to the columns the totals read;
//   - site, goal and custom_dimensions (all of them: small), copied from `sites`.
// A row whose newest version is not wanted takes its older, wanted version out (RawStore::Remove):
// the result equals the whole export in memory, filtered.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <vector>

#include "core/error.h"
#include "dwc/day_key.h"
#include "dwc/export_files.h"
#include "dwc/raw_store.h"
#include "dwc/visit_days.h"

namespace metl::dwc {

struct DayRows {
  RawStore store;  // indexed (RawStore::Index)
  // Days (of any site, rebuilt or not) holding a visit whose log_link_visit_action rows reference
  // one of the `touched_actions`: found while reading those rows, which pass 1 does not read.
  std::set<DayKey> action_days;
};

// `use[i]`: read files[i] (a file of a table dwc load maps, not failed). A file that fails stops the
// pass: its index goes to `*failed` with the error.
Result<DayRows> CollectDayRows(const std::vector<ExportFile>& files, const std::vector<bool>& use,
                               const RawStore& sites, const VisitDays& visit_days, const std::set<DayKey>& days,
                               const std::set<int64_t>& touched_actions, size_t* failed);

}  // namespace metl::dwc
