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

// Speed: the CASE is about 100 LIKEs, and most visits share their inputs (referrer type, campaign
// source/medium/name, entry URL). A rebuild evaluates it once per distinct input and joins the
// channel back to each visit, which gives every visit the channel the CASE gives it:
//   WITH ch AS (ChannelLookupSql(where)) ... JOIN ch ON ChannelJoinOn("ch", "v")
// `where` filters matomo_visits (alias v): the visits whose channels the statement needs. The lookup
// has the input columns and `channel`; the join matches NULLs to NULLs with plain equalities (not
// IS NOT DISTINCT FROM, which PostgreSQL cannot hash) and matches each visit to exactly one row.
std::string ChannelLookupSql(const std::string& where);
std::string ChannelJoinOn(std::string_view lookup_alias, std::string_view visit_alias);
// The rules as a Markdown table (docs/bi.md).
std::string ChannelRulesMarkdown();

}  // namespace metl::models
