// What one `dwc load` run rebuilds, and the rows it needs for that, in two passes over the export
// instead of the whole export in memory:
//   pass 1 reads the new or changed files (which visits, log_action rows and sites they touch), every
//     log_visit file (VisitDays: each visit's day, not its row) and the site, goal and
//     custom_dimensions files (whole: small), and gives the touched days;
//   pass 2 (dwc/day_rows.h) reads every file of the mapped tables and keeps the rows of the days to
//     rebuild; it also finds the days whose visits use a new or changed log_action row, and when
//     those add days to rebuild, runs again for them.
// Memory: a few dozen bytes per visit of the export, plus the rows of the rebuilt days.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <vector>

#include "core/error.h"
#include "dwc/day_key.h"
#include "dwc/day_rows.h"
#include "dwc/export_files.h"
#include "dwc/raw_store.h"

namespace metl::dwc {

struct RebuildInput {
  const std::vector<ExportFile>* files = nullptr;
  std::vector<bool> use;    // a file of a table dwc load maps, identified (dwc/file_identity.h)
  std::vector<bool> fresh;  // new or changed since the file ledger's record
  bool rebuild_all = false;  // a changed file may have lost rows: every day is touched
  std::function<bool(int64_t site)> allowed;  // sites this run may rebuild (--site, dwc_sites); null: all
  std::function<void(const Error&)> report;   // a failed file's error (each file once)
};

struct Rebuild {
  DayRows rows;                // the store holding the rows of `days`
  std::set<DayKey> touched;    // every touched day
  std::set<DayKey> days;       // the touched days of allowed sites: rendered and landed
  std::vector<int64_t> rows_read;  // per file: rows of a fresh file (for the file ledger)
  std::vector<bool> failed;        // per file: a malformed line or a keyless row
};

// Files that fail are reported, marked, and left out of both passes (as if absent); the pass they
// failed in starts again without them.
Rebuild PlanRebuild(const RebuildInput& in);

}  // namespace metl::dwc
