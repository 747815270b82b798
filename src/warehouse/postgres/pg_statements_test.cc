#include "warehouse/postgres/pg_statements.h"

#include <gtest/gtest.h>

#include "warehouse/postgres/pg_connection.h"

namespace metl::warehouse::pg_engine {
namespace {

TEST(PgStatements, CopyNamesEveryDeclaredColumnQuoted) {
  const TableDef* visits = FindTable("matomo_visits");
  ASSERT_NE(visits, nullptr);
  std::string sql = CopyFromStdinSql(*visits);
  EXPECT_EQ(sql.rfind("COPY \"matomo_visits\" (\"site_id\", ", 0), 0u) << sql;
  EXPECT_NE(sql.find("\"exit_url\""), std::string::npos);
  EXPECT_TRUE(sql.ends_with(") FROM STDIN"));
}

TEST(PgStatements, FactAndDailyTablesAreIndexedBySiteAndDate) {
  EXPECT_EQ(*SiteDateIndexSql(*FindTable("matomo_actions")),
            "CREATE INDEX IF NOT EXISTS \"matomo_actions_site_date_idx\" ON \"matomo_actions\" (\"site_id\", "
            "\"visit_date\")");
  EXPECT_EQ(*SiteDateIndexSql(*FindTable("matomo_daily_kpis")),
            "CREATE INDEX IF NOT EXISTS \"matomo_daily_kpis_site_date_idx\" ON \"matomo_daily_kpis\" (\"site_id\", "
            "\"date\")");
  TableDef no_date{"t", "", {{"site_id", LogicalType::kBigInt, false, "", ""}}, {}, "", false};
  EXPECT_FALSE(SiteDateIndexSql(no_date).has_value());
}

TEST(PgStatements, TypesAreTheOnesBiToolsReadWell) {
  TypeNames t = PgTypeNames();
  EXPECT_EQ(t.Of(LogicalType::kTimestampTz), "timestamptz");
  EXPECT_EQ(t.Of(LogicalType::kTimestamp), "timestamp");
  EXPECT_EQ(t.Of(LogicalType::kDecimal), "numeric(18,6)");
  EXPECT_EQ(t.Of(LogicalType::kWideDecimal), "numeric(38,6)");
  EXPECT_EQ(t.Of(LogicalType::kJson), "jsonb");
  EXPECT_EQ(t.Of(LogicalType::kBigInt), "bigint");
  EXPECT_EQ(CreateSchemaSql("a\"b"), "CREATE SCHEMA IF NOT EXISTS \"a\"\"b\"");
  EXPECT_EQ(PartitionLockSql({3, CivilDate::FromYmd(1970, 1, 11)}), "SELECT pg_advisory_xact_lock(3, 10)");
}

TEST(PgStatements, SqlStatesMapToRetryableOrNot) {
  EXPECT_EQ(KindOfSqlState("40001"), ErrorKind::kTransient);  // serialization failure
  EXPECT_EQ(KindOfSqlState("40P01"), ErrorKind::kTransient);  // deadlock
  EXPECT_EQ(KindOfSqlState("08006"), ErrorKind::kTransient);  // connection failure
  EXPECT_EQ(KindOfSqlState("57P01"), ErrorKind::kTransient);  // admin shutdown
  EXPECT_EQ(KindOfSqlState("28P01"), ErrorKind::kConfig);     // bad password
  EXPECT_EQ(KindOfSqlState("42501"), ErrorKind::kConfig);     // insufficient privilege
  EXPECT_EQ(KindOfSqlState("22P02"), ErrorKind::kData);       // invalid text representation
  EXPECT_EQ(KindOfSqlState("42P01"), ErrorKind::kInternal);   // undefined table: a bug of ours
  EXPECT_EQ(KindOfSqlState(""), ErrorKind::kTransient);       // no answer at all
}

}  // namespace
}  // namespace metl::warehouse::pg_engine
