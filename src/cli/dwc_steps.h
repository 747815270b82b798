// The two steps of the DWC path, shared by `dwc extract`, `dwc load` and `dwc sync` (which runs one
// then the other): each prints its own summary and returns its exit code with the counts the
// sync's run summary needs.
#pragma once

#include <cstdint>

#include "cli/commands.h"
#include "dwc/dimension_mapping.h"
#include "dwc/file_extract.h"

namespace metl::cli {

struct DwcExtractStep {
  int rc = 0;
  bool ran = false;  // false: stopped before listing (configuration, credentials, landing)
  dwc::FileExtractSummary summary;
};
// cmd_dwc.cc: the export's new or changed files into <landing>/dwc/.
DwcExtractStep RunDwcExtractStep(CommandContext& ctx);

struct DwcLoadStep {
  int rc = 0;
  int64_t files = 0;          // export files in the folder
  int64_t fresh = 0;          // new or changed ones, read and recorded
  int64_t hashed = 0;         // files without a `_landed` record, whose bytes were hashed
  int64_t failed_files = 0;   // files that could not be read
  int64_t days = 0;           // (site, day) partitions rebuilt
  int64_t partitions_loaded = 0, partitions_unchanged = 0, partitions_failed = 0;
  dwc::DimensionSource dimensions = dwc::DimensionSource::kNone;  // where the custom dimension ids came from
  bool dimensions_asked = false;                                  // false: no day rebuilt, no mapping needed
};
// cmd_dwc_load.cc: the new or changed export files into the curated tables.
DwcLoadStep RunDwcLoadStep(CommandContext& ctx);

// A step that stops on `e`: reported once, its exit code taken from the error's kind.
template <class Step>
Step FailedStep(Step step, const Error& e) {
  ReportError(e);
  step.rc = ExitCodeFor(e);
  return step;
}

}  // namespace metl::cli
