// What extract, load and sync say when they finish. With text logs (the default), a summary for
// people on stdout, as the command's output. With --log-format json, a log event on stderr instead
// ("extract summary", "load summary", counts as JSON numbers) and one "partition failed" event per
// failed partition: a log pipeline then gets the whole run from stderr, every line JSON, and stdout
// carries only reports a command was asked for (status, verify, check, sql).
#pragma once

#include <string>

#include "extract/extract_run.h"
#include "warehouse/loader.h"

namespace metl::cli {

// Returns summary.exit_code.
int PrintExtractSummary(const extract::ExtractSummary& summary);
// "loaded 28 partitions (3,120 visits, 41,002 rows) in 1.2 s; 0 unchanged; 0 failed" and one
// line per failed partition; returns kExitOk or kExitPartitionsFailed.
int PrintLoadSummary(const warehouse::LoadSummary& summary, const std::string& where);

}  // namespace metl::cli
