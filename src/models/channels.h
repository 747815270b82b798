// The default channel grouping (GA4-style), as SQL over one matomo_visits row. The rules are data:
// the same list writes the SQL CASE and is the table docs/bi.md shows (a unit test keeps them equal).
// Rules are tried in order; the first that matches names the channel.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace metl::models {

struct ChannelRule {
  std::string_view channel;  // "Paid Search"
  std::string_view rule;     // what matches, in words (docs/bi.md)
  std::string condition;     // SQL over the visit alias `v`
};

const std::vector<ChannelRule>& ChannelRules();
// CASE WHEN ... THEN 'Paid Search' ... ELSE 'Other' END, over the matomo_visits alias `v`.
std::string ChannelCaseSql();
// The rules as a Markdown table (docs/bi.md).
std::string ChannelRulesMarkdown();

}  // namespace metl::models
