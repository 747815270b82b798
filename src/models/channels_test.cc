#include "models/channels.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "models/analysis.h"

namespace metl::models {
namespace {

// docs/bi.md shows the rules the SQL applies: the same list writes both.
TEST(ChannelRules, DocsShowTheRulesTheSqlApplies) {
  std::ifstream in(METL_SOURCE_DIR "/docs/bi.md");
  std::stringstream docs;
  docs << in.rdbuf();
  EXPECT_NE(docs.str().find(ChannelRulesMarkdown()), std::string::npos)
      << "paste this table into docs/bi.md (Channel rules):\n"
      << ChannelRulesMarkdown();
}

TEST(ChannelRules, EveryRuleIsInTheCaseInOrder) {
  const std::string sql = ChannelCaseSql();
  size_t at = 0;
  for (const ChannelRule& r : ChannelRules()) {
    size_t found = sql.find("THEN '" + std::string(r.channel) + "'", at);
    ASSERT_NE(found, std::string::npos) << r.channel;
    at = found;
  }
  EXPECT_NE(sql.find("ELSE 'Other' END"), std::string::npos);
}

// ChannelLookupSql keys a URL without '=' as '': right only while every URL pattern of the rules needs one.
TEST(ChannelRules, EveryEntryUrlPatternContainsAnEqualsSign) {
  const std::string sql = ChannelCaseSql();
  int patterns = 0;
  for (const std::string needle : {"entry_url LIKE '", "entry_url) LIKE '"}) {
    for (size_t at = sql.find(needle); at != std::string::npos; at = sql.find(needle, at + 1)) {
      const size_t begin = at + needle.size();
      const std::string pattern = sql.substr(begin, sql.find('\'', begin) - begin);
      EXPECT_NE(pattern.find('='), std::string::npos) << pattern;
      ++patterns;
    }
  }
  EXPECT_GT(patterns, 20);
  // No other use of the URL (a function of it, a NOT) that '' could answer differently.
  size_t uses = 0;
  for (size_t at = sql.find("entry_url"); at != std::string::npos; at = sql.find("entry_url", at + 1)) ++uses;
  EXPECT_EQ(uses, static_cast<size_t>(patterns));
  EXPECT_EQ(sql.find(" NOT "), std::string::npos);
}

TEST(DateDimension, MondayWeeksAndIsoWeeks) {
  // 2026-01-01 is a Thursday: ISO week 1 of 2026; 2027-01-01 is a Friday: ISO week 53 of 2026.
  auto rows = DateRows(CivilDate::FromYmd(2026, 1, 1), CivilDate::FromYmd(2027, 1, 1));
  ASSERT_EQ(rows.size(), 366u);
  EXPECT_EQ(rows.front(),
            "(DATE '2026-01-01', 20454, 2026, 1, 1, 'January', '2026-01', 1, 4, 'Thursday', FALSE, "
            "DATE '2025-12-29', 2922, 2026, 1)");
  EXPECT_NE(rows.back().find("'Friday', FALSE, DATE '2026-12-28'"), std::string::npos) << rows.back();
  EXPECT_NE(rows.back().find(", 2026, 53)"), std::string::npos) << rows.back();
  EXPECT_NE(rows[2].find("'Saturday', TRUE"), std::string::npos) << rows[2];
}

}  // namespace
}  // namespace metl::models
