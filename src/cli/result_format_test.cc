#include "cli/result_format.h"

#include <gtest/gtest.h>

namespace metl::cli {
namespace {

using warehouse::ColumnKind;
using warehouse::QueryResult;

QueryResult Sample() {
  QueryResult r;
  r.columns = {"site_id", "name", "revenue", "ok"};
  r.kinds = {ColumnKind::kNumber, ColumnKind::kText, ColumnKind::kNumber, ColumnKind::kBool};
  r.rows = {{"1", "Café, \"the\"\nshop", "12.500000", "true"}, {"22", std::nullopt, "NaN", std::nullopt}};
  return r;
}

TEST(ResultFormat, TableAlignsColumnsAndKeepsEachRowOnOneLine) {
  EXPECT_EQ(FormatResult(Sample(), ResultFormat::kTable),
            "site_id | name              | revenue   | ok\n"
            "--------+-------------------+-----------+-----\n"
            "      1 | Café, \"the\"\\nshop | 12.500000 | true\n"
            "     22 | NULL              |       NaN | NULL\n"
            "(2 rows)\n");
}

TEST(ResultFormat, CsvQuotesWhatNeedsIt) {
  EXPECT_EQ(FormatResult(Sample(), ResultFormat::kCsv),
            "site_id,name,revenue,ok\r\n"
            "1,\"Café, \"\"the\"\"\nshop\",12.500000,true\r\n"
            "22,,NaN,\r\n");
}

TEST(ResultFormat, JsonTypesNumbersAndBooleansAndNull) {
  EXPECT_EQ(FormatResult(Sample(), ResultFormat::kJson),
            "[\n"
            "{\"site_id\":1,\"name\":\"Café, \\\"the\\\"\\nshop\",\"revenue\":12.500000,\"ok\":true},\n"
            "{\"site_id\":22,\"name\":null,\"revenue\":\"NaN\",\"ok\":null}\n"
            "]\n");
  QueryResult empty;
  empty.columns = {"x"};
  EXPECT_EQ(FormatResult(empty, ResultFormat::kJson), "[]\n");
  EXPECT_EQ(FormatResult(empty, ResultFormat::kTable), "x\n-\n(0 rows)\n");
}

TEST(ResultFormat, ParsesOnlyItsThreeNames) {
  ResultFormat f = ResultFormat::kTable;
  EXPECT_TRUE(ParseResultFormat("json", f));
  EXPECT_EQ(f, ResultFormat::kJson);
  EXPECT_FALSE(ParseResultFormat("xml", f));
}

}  // namespace
}  // namespace metl::cli
