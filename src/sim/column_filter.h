// showColumns / hideColumns over a visit's JSON text without parsing it into a DOM: a small scanner
// copies the kept members byte for byte. showColumns keeps the listed visit-level keys (in the
// visit's own order); hideColumns drops keys at visit level and inside every actionDetails entry,
// as Matomo's Live API does.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace metl::sim {

struct ColumnFilter {
  std::set<std::string, std::less<>> show;  // empty = all
  std::set<std::string, std::less<>> hide;
  bool empty() const { return show.empty() && hide.empty(); }
  // From the comma-separated request parameters.
  static ColumnFilter Parse(std::string_view show_columns, std::string_view hide_columns);
};

// `json` must be one JSON object (as the dataset stores it). Malformed input is copied unchanged.
std::string FilterVisitColumns(std::string_view json, const ColumnFilter& filter);

// Offset just past the JSON value starting at json[pos] (whitespace before it is skipped), or
// std::string_view::npos when the text ends first.
size_t SkipJsonValue(std::string_view json, size_t pos);

}  // namespace metl::sim
