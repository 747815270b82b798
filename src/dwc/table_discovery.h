// Which Matomo table an export file holds, from its key alone: the DWC layout is not public
// (DWC.md §1.7), so discovery is tolerant. A known table name counts as a whole path segment
// ("log_visit/…", "table=log_visit/…") or as the start of the file name followed by a non-letter
// ("log_visit.jsonl", "log_visit_20261201.jsonl.gz", "log_visit-part-0.jsonl"); the longest name
// wins (log_conversion_item before log_conversion). A user's regular expression with a named group
// `table` ((?P<table>…) or (?<table>…)) overrides that. No match: "unknown" (kept, never fatal).
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace metl::dwc {

inline constexpr std::string_view kUnknownTable = "unknown";

// The 20 tables of the DWC BigQuery schema (innocraft/bigquery-schema) and custom_dimensions.
const std::vector<std::string>& KnownDwcTables();

class TableMatcher {
 public:
  // `pattern` "" = the built-in rule. kConfig error when the pattern does not compile or has no
  // group named `table`.
  static Result<TableMatcher> Make(const std::string& pattern);
  std::string TableOf(std::string_view key) const;

 private:
  std::optional<std::regex> regex_;
  size_t group_ = 0;
};

// The built-in rule alone.
std::string TableFromKey(std::string_view key);

// std::regex (ECMAScript) has no named groups: "(?P<table>x)" or "(?<table>x)" becomes "(x)";
// `group` is its 1-based position among the capturing groups. nullopt when there is no such group.
std::optional<std::string> TranslateNamedGroup(const std::string& pattern, size_t& group);

}  // namespace metl::dwc
