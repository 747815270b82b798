// A stable text rendering of batches (one TSV line per row), for golden tests, debugging and
// `matomo-etl` tooling: NULL as \N, decimals with 6 digits, instants as ISO text.
#pragma once

#include <string>

#include "normalize/table_batch.h"

namespace metl {

// One value; tabs, newlines and backslashes in text are escaped (\t \n \\).
std::string RenderValue(const ColumnVector& column, size_t row);
// Header line: the column names, tab-separated.
std::string RenderHeader(const TableDef& table);
// One line per row, each ending in '\n'.
std::string RenderRows(const TableBatch& batch);
// "76.330000" from micro-units.
std::string FormatMicros(int64_t micros);

}  // namespace metl
