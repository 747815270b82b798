// ClickHouse's report models: the same tables as the portable ones, in SQL without what 18.16 lacks, and
// the script that swaps the rebuilt days in. That the SQL runs and equals DuckDB's rows is shown end to end
// (tests/e2e/report_tables_test.cc on /clickhouse and /clickhouse_cluster).
#include <gtest/gtest.h>

#include "models/report_models.h"

namespace metl::models {
namespace {

warehouse::PartitionKey Key(int64_t site, const char* date) { return {site, *CivilDate::Parse(date)}; }

TEST(ChReportSql, SameTablesAsThePortableModelsWithoutWindowsOrCtes) {
  const std::vector<Model> portable = ReportModels(), ch = ChReportModels();
  ASSERT_EQ(ch.size(), portable.size());
  for (size_t i = 0; i < ch.size(); ++i) {
    SCOPED_TRACE(std::string(ch[i].name));
    EXPECT_EQ(ch[i].name, portable[i].name);
    const std::string sql(ch[i].sql);
    EXPECT_EQ(sql.find(" OVER ("), std::string::npos);
    EXPECT_EQ(sql.find("WITH "), std::string::npos);
    EXPECT_NE(sql.find("INSERT INTO {STG}"), std::string::npos);
    EXPECT_NE(sql.find("{V}"), std::string::npos);
  }
}

TEST(ChReportSql, TouchedDaysAreSwappedInOnePartitionAtATime) {
  const std::vector<warehouse::PartitionKey> days = {Key(2, "2026-12-01"), Key(1, "2026-12-02"), Key(2, "2026-12-01")};
  const std::string s = BindChReportSql("matomo_pages_daily", "INSERT INTO {STG} SELECT * FROM x WHERE {V}", &days, "ab12");
  const std::string stg = "_metl_stg_rpt_ab12_matomo_pages_daily";
  EXPECT_EQ(s, "DROP TABLE IF EXISTS " + stg + ";\nCREATE TABLE " + stg + " AS matomo_pages_daily;\nINSERT INTO " +
                   stg +
                   " SELECT * FROM x WHERE ((site_id = 1 AND visit_date IN (DATE '2026-12-02')) OR (site_id = 2 AND "
                   "visit_date IN (DATE '2026-12-01')));\n"
                   "ALTER TABLE matomo_pages_daily REPLACE PARTITION (1, '2026-12-02') FROM " + stg + ";\n"
                   "ALTER TABLE matomo_pages_daily REPLACE PARTITION (2, '2026-12-01') FROM " + stg + ";\n"
                   "DROP TABLE " + stg);
}

TEST(ChReportSql, EveryDaySwapsTheWholeTableAndNoDayRunsNothing) {
  const std::string s = BindChReportSql("matomo_goals_daily", "INSERT INTO {STG} SELECT 1 WHERE {V}", nullptr, "ff");
  EXPECT_NE(s.find("INSERT INTO _metl_stg_rpt_ff_matomo_goals_daily SELECT 1 WHERE TRUE;\n"), std::string::npos) << s;
  EXPECT_NE(s.find("RENAME TABLE matomo_goals_daily TO _metl_stg_rpt_ff_old_matomo_goals_daily, "
                   "_metl_stg_rpt_ff_matomo_goals_daily TO matomo_goals_daily;\nDROP TABLE "
                   "_metl_stg_rpt_ff_old_matomo_goals_daily"),
            std::string::npos)
      << s;
  EXPECT_EQ(s.find("REPLACE PARTITION"), std::string::npos);
  const std::vector<warehouse::PartitionKey> none;
  EXPECT_EQ(BindChReportSql("matomo_goals_daily", "INSERT INTO {STG} SELECT 1", &none, "ff"), "");
}

}  // namespace
}  // namespace metl::models
