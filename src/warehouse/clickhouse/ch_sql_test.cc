#include "warehouse/clickhouse/ch_sql.h"

#include <gtest/gtest.h>

namespace metl::warehouse::ch_engine {
namespace {

TEST(ChSql, TypedLiteralsAndBooleansOutsideQuotesOnly) {
  EXPECT_EQ(TranslateStatement("SELECT 1 WHERE d = DATE '2026-11-25' AND x = 'DATE ''a''' AND TRUE").sql,
            "SELECT 1 WHERE d = toDate('2026-11-25') AND x = 'DATE ''a''' AND 1");
  EXPECT_EQ(TranslateStatement("SELECT 'TRUE', `false`").sql, "SELECT 'TRUE', `false`");
}

TEST(ChSql, TransactionStatementsAreNoOps) {
  for (const char* s : {"BEGIN", "BEGIN TRANSACTION", "COMMIT", "ROLLBACK", "commit;"}) {
    EXPECT_EQ(TranslateStatement(s).sql, "") << s;
  }
}

TEST(ChSql, DeleteBecomesTruncateOrAWaitedMutationWithAPrecheck) {
  EXPECT_EQ(TranslateStatement("DELETE FROM matomo_raw_visits").sql, "TRUNCATE TABLE matomo_raw_visits");
  ChStatement st = TranslateStatement("DELETE FROM \"t\" WHERE site_id = 1 AND d = DATE '2026-01-02'");
  EXPECT_EQ(st.sql, "ALTER TABLE \"t\" DELETE WHERE site_id = 1 AND d = toDate('2026-01-02')");
  EXPECT_EQ(st.mutated_table, "t");
  EXPECT_EQ(st.precheck_sql, "SELECT count() FROM \"t\" WHERE site_id = 1 AND d = toDate('2026-01-02')");
  EXPECT_TRUE(st.is_write);
}

TEST(ChSql, TheLoadersCorrelatedNotExistsBecomesNotInOverATuple) {
  ChStatement st = TranslateStatement(
      "DELETE FROM `matomo_visits` WHERE NOT EXISTS (SELECT 1 FROM `matomo_etl_partitions` l WHERE l.site_id = "
      "`matomo_visits`.site_id AND l.`date` = `matomo_visits`.`visit_date`) AND `matomo_visits`.site_id IN (1, 2)");
  EXPECT_EQ(st.sql,
            "ALTER TABLE `matomo_visits` DELETE WHERE (site_id, `visit_date`) NOT IN (SELECT site_id, `date` FROM "
            "`matomo_etl_partitions`) AND site_id IN (1, 2)");
}

TEST(ChSql, UpdateCastAndExtract) {
  EXPECT_EQ(TranslateStatement("UPDATE k SET n = n + 1 WHERE TRUE").sql, "ALTER TABLE k UPDATE n = n + 1 WHERE 1");
  EXPECT_EQ(TranslateStatement("SELECT CAST(max(f(a, ')')) AS VARCHAR), CAST(x AS DOUBLE)").sql,
            "SELECT toString(max(f(a, ')'))), CAST(x AS DOUBLE)");
  EXPECT_EQ(TranslateStatement("SELECT EXTRACT(EPOCH FROM a.t)").sql, "SELECT toInt64(toUnixTimestamp(a.t))");
  EXPECT_EQ(TranslateStatement("SELECT 1 WHERE t > CAST('2026-11-27 09:00:00+00' AS TIMESTAMPTZ)").sql,
            "SELECT 1 WHERE t > parseDateTimeBestEffort('2026-11-27 09:00:00+00')");
  EXPECT_FALSE(TranslateStatement(" select 1").is_write);
}

TEST(ChSql, ClusterReadsJoinGloballyAndWritesUseLocalTables) {
  EXPECT_EQ(GlobalJoins("SELECT 1 FROM a ANY LEFT JOIN b USING x JOIN c USING y GLOBAL JOIN d USING z WHERE s = 'JOIN'"),
            "SELECT 1 FROM a GLOBAL ANY LEFT JOIN b USING x GLOBAL JOIN c USING y GLOBAL JOIN d USING z WHERE s = 'JOIN'");
  EXPECT_EQ(ToLocalNames("INSERT INTO k__next SELECT * FROM matomo_visits v, `matomo_visits`, db.matomo_visits, "
                         "'matomo_visits', matomo_visits_x",
                         {"matomo_visits"}),
            "INSERT INTO k__next SELECT * FROM matomo_visits_local v, `matomo_visits_local`, db.matomo_visits, "
            "'matomo_visits', matomo_visits_x");
}

}  // namespace
}  // namespace metl::warehouse::ch_engine
