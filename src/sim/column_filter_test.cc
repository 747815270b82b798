#include "sim/column_filter.h"

#include <gtest/gtest.h>

#include "sim/php_json.h"

namespace metl::sim {
namespace {

const char* kVisit =
    R"({"idVisit":1827,"visitorId":"fe28","actionDetails":[{"type":"action","url":"https:\/\/a\/","pageTitle":"x,}]\"","timestamp":1},{"type":13,"pageTitle":null,"items":[{"pageTitle":1}]}],"nested":{"a":[1,2,{"b":"}"}]},"lastActionTimestamp":1795648742,"pageTitle":"top"})";

TEST(ColumnFilter, ShowKeepsListedTopLevelKeysInVisitOrder) {
  auto f = ColumnFilter::Parse("lastActionTimestamp, idVisit,visitorId", "");
  EXPECT_EQ(FilterVisitColumns(kVisit, f), R"({"idVisit":1827,"visitorId":"fe28","lastActionTimestamp":1795648742})");
}

TEST(ColumnFilter, HideAppliesAtVisitLevelAndInsideActionDetails) {
  auto f = ColumnFilter::Parse("", "pageTitle,nested");
  EXPECT_EQ(
      FilterVisitColumns(kVisit, f),
      R"({"idVisit":1827,"visitorId":"fe28","actionDetails":[{"type":"action","url":"https:\/\/a\/","timestamp":1},{"type":13,"items":[{"pageTitle":1}]}],"lastActionTimestamp":1795648742})");
}

TEST(ColumnFilter, HidingActionDetailsItselfAndNoFilter) {
  EXPECT_EQ(FilterVisitColumns(kVisit, ColumnFilter::Parse("", "")), kVisit);
  auto f = ColumnFilter::Parse("", "actionDetails");
  std::string out = FilterVisitColumns(kVisit, f);
  EXPECT_EQ(out.find("actionDetails"), std::string::npos);
  EXPECT_EQ(out.substr(0, 15), R"({"idVisit":1827)");
}

TEST(ColumnFilter, MalformedInputIsCopied) {
  auto f = ColumnFilter::Parse("a", "");
  EXPECT_EQ(FilterVisitColumns(R"({"a":1,"b":)", f), R"({"a":1,"b":)");
  EXPECT_EQ(FilterVisitColumns("[1]", f), "[1]");
}

TEST(ColumnFilter, SkipsValues) {
  std::string_view s = R"( {"a":"x\"}"} , 12 )";
  EXPECT_EQ(SkipJsonValue(s, 0), 13u);
  EXPECT_EQ(SkipJsonValue(s, 15), 18u);
  EXPECT_EQ(SkipJsonValue("\"open", 0), std::string_view::npos);
}

TEST(PhpJson, EscapesLikeJsonEncode) {
  EXPECT_EQ(PhpJsonString("a/b\"c\\\n\x01"), R"("a\/b\"c\\\n\u0001")");
  EXPECT_EQ(PhpJsonString("\xE2\x82\xAC"), R"("\u20ac")");            // €
  EXPECT_EQ(PhpJsonString("\xF0\x9F\x98\x80"), R"("\ud83d\ude00")");  // emoji as a surrogate pair
  EXPECT_EQ(MatomoJsonError("x/y"), R"({"result":"error","message":"x\/y"})");
}

}  // namespace
}  // namespace metl::sim
