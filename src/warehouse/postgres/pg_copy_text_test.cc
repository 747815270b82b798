#include "warehouse/postgres/pg_copy_text.h"

#include <gtest/gtest.h>

#include <limits>

namespace metl::warehouse::pg_engine {
namespace {

std::string Escaped(std::string_view s) {
  std::string out;
  AppendCopyEscaped(s, out);
  return out;
}

std::string Decimal(int64_t micros) {
  std::string out;
  AppendDecimalMicros(micros, out);
  return out;
}

std::string Ts(int64_t micros, bool utc) {
  std::string out;
  AppendTimestampMicros(micros, utc, out);
  return out;
}

TEST(PgCopyText, EscapesExactlyBackslashTabNewlineCarriageReturn) {
  EXPECT_EQ(Escaped("plain text é"), "plain text é");
  EXPECT_EQ(Escaped("a\\b\tc\nd\re"), "a\\\\b\\tc\\nd\\re");
  EXPECT_EQ(Escaped("\\N"), "\\\\N");  // a literal \N is text, not NULL
  EXPECT_EQ(Escaped("\\."), "\\\\.");  // nor the end-of-data marker
  EXPECT_EQ(Escaped(std::string_view("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(Escaped(""), "");
}

TEST(PgCopyText, JsonKeepsItsTextButLosesTheNulEscapeJsonbRejects) {
  std::string out;
  AppendCopyJson(R"({"a":"x\u0000y","b":"\\u0000","c":"tab\there"})", out);
  EXPECT_EQ(out, R"({"a":"x\\ufffdy","b":"\\\\u0000","c":"tab\\there"})");
}

TEST(PgCopyText, DecimalsComeFromMicroUnitsExactly) {
  EXPECT_EQ(Decimal(0), "0.000000");
  EXPECT_EQ(Decimal(12345678), "12.345678");
  EXPECT_EQ(Decimal(-5), "-0.000005");
  EXPECT_EQ(Decimal(-1500000), "-1.500000");
  EXPECT_EQ(Decimal(999999999999999999), "999999999999.999999");
  EXPECT_EQ(Decimal(std::numeric_limits<int64_t>::min()), "-9223372036854.775808");
}

TEST(PgCopyText, TimestampsAreIsoWithUtcOffsetOrWallTime) {
  EXPECT_EQ(Ts(0, true), "1970-01-01 00:00:00+00");
  EXPECT_EQ(Ts(1795648742LL * 1000000, true), "2026-11-25 23:19:02+00");
  EXPECT_EQ(Ts(1795648742LL * 1000000 + 250, false), "2026-11-25 23:19:02.000250");
  EXPECT_EQ(Ts(-1, true), "1969-12-31 23:59:59.999999+00");
  std::string d;
  AppendDate(20782, d);
  EXPECT_EQ(d, "2026-11-25");
}

TEST(PgCopyText, RowsRenderEveryTypeAndNull) {
  TableDef def{"t", "", {}, {}, "", false};
  def.columns = {{"i", LogicalType::kBigInt, true, "", ""},  {"b", LogicalType::kBool, true, "", ""},
                 {"m", LogicalType::kDecimal, true, "", ""}, {"f", LogicalType::kDouble, true, "", ""},
                 {"s", LogicalType::kText, true, "", ""},    {"d", LogicalType::kDate, true, "", ""}};
  TableBatch batch(def);
  batch.column(0).AppendInt(-42);
  batch.column(1).AppendInt(1);
  batch.column(2).AppendInt(1990000);
  batch.column(3).AppendDouble(0.1);
  batch.column(4).AppendText("x\ty");
  batch.column(5).AppendInt(0);
  for (size_t c = 0; c < batch.column_count(); ++c) batch.column(c).AppendNull();
  std::string out;
  AppendCopyRows(batch, 0, batch.rows(), out);
  EXPECT_EQ(out, "-42\tt\t1.990000\t0.1\tx\\ty\t1970-01-01\n\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n");
}

}  // namespace
}  // namespace metl::warehouse::pg_engine
