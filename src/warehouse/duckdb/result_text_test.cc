// Session::Query on DuckDB renders every type the schema uses as text, never as "" (the deprecated
// duckdb_value_varchar gave nullptr for TIMESTAMPTZ, so every timestamptz column read as "").
#include <gtest/gtest.h>

#include "warehouse/duckdb/duckdb_warehouse.h"

namespace metl::warehouse {
namespace {

class DuckDbQueryText : public ::testing::Test {
 protected:
  void SetUp() override {
    auto wh = OpenDuckDbWarehouse(":memory:");
    ASSERT_TRUE(wh.ok()) << wh.error().ToString();
    warehouse_ = std::move(*wh);
    auto session = warehouse_->Connect();
    ASSERT_TRUE(session.ok()) << session.error().ToString();
    session_ = std::move(*session);
  }
  // The one value of a one-row, one-column query.
  std::optional<std::string> One(const std::string& sql) {
    auto r = session_->Query(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.error().ToString();
    if (!r.ok() || r->rows.size() != 1 || r->rows[0].size() != 1) return "<no single value>";
    return r->rows[0][0];
  }

  std::unique_ptr<Warehouse> warehouse_;
  std::unique_ptr<Session> session_;
};

TEST_F(DuckDbQueryText, TimestampTzIsIsoUtcWithOffset) {
  EXPECT_EQ(One("SELECT TIMESTAMPTZ '2026-11-25 23:19:02+00'"), "2026-11-25 23:19:02+00");
  EXPECT_EQ(One("SELECT TIMESTAMPTZ '2026-11-25 23:19:02-05'"), "2026-11-26 04:19:02+00");
  EXPECT_EQ(One("SELECT TIMESTAMPTZ '2026-11-25 23:19:02.5+00'"), "2026-11-25 23:19:02.5+00");
  EXPECT_EQ(One("SELECT TIMESTAMPTZ '2026-11-25 23:19:02.000123+00'"), "2026-11-25 23:19:02.000123+00");
  EXPECT_EQ(One("SELECT TIMESTAMPTZ '1969-12-31 23:59:59.5+00'"), "1969-12-31 23:59:59.5+00");
  EXPECT_EQ(One("SELECT 'infinity'::TIMESTAMPTZ"), "infinity");
}

TEST_F(DuckDbQueryText, TimestampDateAndTime) {
  EXPECT_EQ(One("SELECT TIMESTAMP '2026-11-01 01:30:00'"), "2026-11-01 01:30:00");
  EXPECT_EQ(One("SELECT TIMESTAMP_MS '2026-11-01 01:30:00.25'"), "2026-11-01 01:30:00.25");
  EXPECT_EQ(One("SELECT TIMESTAMP_S '2026-11-01 01:30:07'"), "2026-11-01 01:30:07");
  EXPECT_EQ(One("SELECT TIMESTAMP_NS '2026-11-01 01:30:00.123456789'"), "2026-11-01 01:30:00.123456789");
  EXPECT_EQ(One("SELECT DATE '2026-11-25'"), "2026-11-25");
  EXPECT_EQ(One("SELECT DATE '1960-02-29'"), "1960-02-29");
  EXPECT_EQ(One("SELECT TIME '08:05:03.25'"), "08:05:03.25");
}

TEST_F(DuckDbQueryText, DecimalIsExactAtTheColumnsScale) {
  EXPECT_EQ(One("SELECT CAST('12.5' AS DECIMAL(18,6))"), "12.500000");
  EXPECT_EQ(One("SELECT CAST('-0.000001' AS DECIMAL(18,6))"), "-0.000001");
  EXPECT_EQ(One("SELECT CAST('0' AS DECIMAL(18,6))"), "0.000000");
  EXPECT_EQ(One("SELECT CAST('123456789012.345678' AS DECIMAL(18,6))"), "123456789012.345678");
  EXPECT_EQ(One("SELECT CAST('-1.5' AS DECIMAL(4,1))"), "-1.5");
  EXPECT_EQ(One("SELECT CAST('7.25' AS DECIMAL(9,2))"), "7.25");
  EXPECT_EQ(One("SELECT CAST('12345678901234567890123456789012.345678' AS DECIMAL(38,6))"),
            "12345678901234567890123456789012.345678");
  EXPECT_EQ(One("SELECT CAST(42 AS DECIMAL(10,0))"), "42");
}

TEST_F(DuckDbQueryText, NumbersBooleansTextJsonAndNull) {
  EXPECT_EQ(One("SELECT true"), "true");
  EXPECT_EQ(One("SELECT false"), "false");
  EXPECT_EQ(One("SELECT CAST(-9223372036854775807 AS BIGINT)"), "-9223372036854775807");
  EXPECT_EQ(One("SELECT CAST(7 AS INTEGER)"), "7");
  EXPECT_EQ(One("SELECT CAST(200 AS UTINYINT)"), "200");
  EXPECT_EQ(One("SELECT CAST('-170141183460469231731687303715884105727' AS HUGEINT)"),
            "-170141183460469231731687303715884105727");
  EXPECT_EQ(One("SELECT CAST(0.1 AS DOUBLE)"), "0.1");
  EXPECT_EQ(One("SELECT CAST(199 AS DOUBLE)"), "199");
  EXPECT_EQ(One("SELECT 'short'"), "short");
  EXPECT_EQ(One("SELECT 'a string longer than twelve bytes'"), "a string longer than twelve bytes");
  EXPECT_EQ(One("SELECT ''"), "");
  EXPECT_EQ(One("SELECT CAST('{\"a\": [1, 2]}' AS JSON)"), "{\"a\": [1, 2]}");
  EXPECT_EQ(One("SELECT CAST('abc' AS BLOB)"), "\\x616263");
  EXPECT_EQ(One("SELECT CAST('0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d' AS UUID)"), "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d");
  EXPECT_EQ(One("SELECT CAST(NULL AS TIMESTAMPTZ)"), std::nullopt);
}

TEST_F(DuckDbQueryText, EveryTypeOfTheSchemaFromATable) {
  ASSERT_TRUE(
      session_
          ->Execute("CREATE TABLE t (id BIGINT, at_utc TIMESTAMPTZ, at_local TIMESTAMP, d DATE, money DECIMAL(18,6), "
                    "ok BOOLEAN, doc JSON, name VARCHAR, x DOUBLE)")
          .ok());
  ASSERT_TRUE(
      session_
          ->Execute("INSERT INTO t VALUES (1, '2026-11-25 23:19:02+00', '2026-11-25 18:19:02', '2026-11-25', "
                    "'19.99', true, '{\"k\":1}', 'x', 2.5), (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)")
          .ok());
  auto r = session_->Query("SELECT * FROM t ORDER BY id");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->columns, (std::vector<std::string>{"id", "at_utc", "at_local", "d", "money", "ok", "doc", "name", "x"}));
  ASSERT_EQ(r->rows.size(), 2u);
  std::vector<std::optional<std::string>> first = {
      "1", "2026-11-25 23:19:02+00", "2026-11-25 18:19:02", "2026-11-25", "19.990000", "true", "{\"k\":1}", "x", "2.5"};
  EXPECT_EQ(r->rows[0], first);
  for (size_t c = 1; c < r->rows[1].size(); ++c) EXPECT_EQ(r->rows[1][c], std::nullopt) << r->columns[c];
}

TEST_F(DuckDbQueryText, ManyChunks) {
  auto r = session_->Query("SELECT range AS n, CAST(range AS DECIMAL(18,6)) AS m FROM range(5000) ORDER BY n");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->rows.size(), 5000u);
  EXPECT_EQ(r->rows[4999][0], "4999");
  EXPECT_EQ(r->rows[2048][1], "2048.000000");
}

TEST_F(DuckDbQueryText, ATypeWithoutARenderingIsAnErrorNotAnEmptyString) {
  auto r = session_->Query("SELECT [1, 2] AS l");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().ToString().find("\"l\""), std::string::npos) << r.error().ToString();
  EXPECT_TRUE(session_->Query("SELECT CAST([1, 2] AS VARCHAR)").ok());
}

}  // namespace
}  // namespace metl::warehouse
