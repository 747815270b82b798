// How `matomo-etl sql` prints a result: an aligned table for people (numbers right-aligned, NULL
// shown as NULL, a row count), CSV for spreadsheets (RFC 4180: header line, quotes where needed,
// NULL as an empty field), or JSON for programs (an array of objects, one per row; numbers and
// booleans as JSON numbers and booleans, NULL as null).
#pragma once

#include <string>
#include <string_view>

#include "warehouse/warehouse.h"

namespace metl::cli {

enum class ResultFormat { kTable, kCsv, kJson };
bool ParseResultFormat(std::string_view text, ResultFormat& out);

std::string FormatResult(const warehouse::QueryResult& result, ResultFormat format);

}  // namespace metl::cli
