// One export file's rows, parsed and key-checked one at a time, so that a pass over the export holds
// only what it keeps, never a whole file.
#pragma once

#include <cstdint>
#include <functional>

#include "core/error.h"
#include "dwc/export_files.h"
#include "dwc/raw_row.h"

namespace metl::dwc {

// Calls `take` with each row of `file` (its table's primary key checked: RawStore::CheckKey) and a
// label "file K row N" for errors; stops at the first malformed line, keyless row or error of `take`.
// Rows already taken are not undone: a caller that must read a file all or nothing starts its pass
// again without the file (dwc/rebuild.h), which costs a re-read only when a file is broken.
Status ForEachFileRow(const ExportFile& file, const std::function<Status(RawRow row, const std::string& what)>& take);

}  // namespace metl::dwc
