#include "dwc/table_discovery.h"

#include <gtest/gtest.h>

namespace metl::dwc {
namespace {

TEST(DwcTableFromKey, PathSegmentsAndFilePrefixesLongestWins) {
  EXPECT_EQ(TableFromKey("log_visit/date=2026-12-01/part-0.jsonl.gz"), "log_visit");
  EXPECT_EQ(TableFromKey("export/table=log_conversion_item/part-1.jsonl"), "log_conversion_item");
  EXPECT_EQ(TableFromKey("2026/12/01/log_conversion_item_20261201.jsonl"), "log_conversion_item");
  EXPECT_EQ(TableFromKey("log_conversion_20261201.jsonl.zst"), "log_conversion");
  EXPECT_EQ(TableFromKey("log_link_visit_action.jsonl"), "log_link_visit_action");
  EXPECT_EQ(TableFromKey("site_form-0001.jsonl"), "site_form");
  EXPECT_EQ(TableFromKey("site.jsonl"), "site");
  EXPECT_EQ(TableFromKey("sites.jsonl"), "unknown");  // a longer word is not the table
  EXPECT_EQ(TableFromKey("log_visitors/x.jsonl"), "unknown");
  EXPECT_EQ(TableFromKey("log_new_thing/part-0.jsonl"), "unknown");
}

TEST(DwcTableMatcher, NamedGroupInBothSpellingsOverridesTheRule) {
  auto python = TableMatcher::Make(R"(^exports/(\d+)/(?P<table>[a-z_]+)\.)");
  ASSERT_TRUE(python.ok());
  EXPECT_EQ(python->TableOf("exports/7/log_visit.jsonl"), "log_visit");
  auto ecma = TableMatcher::Make(R"(^(?:x/)?(?<table>[a-z]+)-)");
  ASSERT_TRUE(ecma.ok());
  EXPECT_EQ(ecma->TableOf("x/visits-2026.jsonl"), "visits");
  EXPECT_EQ(ecma->TableOf("no_dash_here"), "unknown");
}

TEST(DwcTableMatcher, PatternWithoutTableGroupOrInvalidIsAConfigError) {
  auto none = TableMatcher::Make("^([a-z]+)/");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind(), ErrorKind::kConfig);
  auto bad = TableMatcher::Make("(?P<table>[a-z");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ErrorKind::kConfig);
}

TEST(DwcTableMatcher, GroupPositionCountsEarlierGroupsAndSkipsClasses) {
  size_t group = 0;
  auto t = TranslateNamedGroup(R"(([0-9]+)[(]x(?:y)(?P<table>\w+))", group);
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, R"(([0-9]+)[(]x(?:y)(\w+))");
  EXPECT_EQ(group, 2u);
}

}  // namespace
}  // namespace metl::dwc
