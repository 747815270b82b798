// The ClickHouse analysis runner's script: which partitions each table swaps in for a reload, and which
// statements read the whole cluster. That the SQL runs on 18.16 and gives the generic SQL's rows is shown
// end to end (tests/e2e/analysis_tables_test.cc on /clickhouse and /clickhouse_cluster).
#include "models/ch_analysis.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/ch_analysis_sql.h"

namespace metl::models {
namespace {

warehouse::PartitionKey Key(int64_t site, const char* date) {
  return {site, *CivilDate::Parse(date)};
}

// Records statements; writes only.
class RecordingSession final : public warehouse::Session {
 public:
  Result<std::unique_ptr<warehouse::PartitionLoad>> BeginPartition(const warehouse::PartitionKey&,
                                                                   const std::vector<const TableDef*>&) override {
    return Error(ErrorKind::kInternal, "not here");
  }
  Status ReplaceSiteRows(const std::vector<int64_t>&, const std::vector<const TableBatch*>&) override {
    return OkStatus();
  }
  Status WriteLedger(const warehouse::LedgerEntry&) override { return OkStatus(); }
  Status Execute(std::string_view sql) override {
    local.emplace_back(sql);
    return OkStatus();
  }
  Status ExecuteGlobal(std::string_view sql) override {
    global.emplace_back(sql);
    return OkStatus();
  }
  Result<warehouse::QueryResult> Query(std::string_view) override { return warehouse::QueryResult{}; }

  int Count(const std::string& part) const {
    int n = 0;
    for (const auto& s : local) n += s.find(part) != std::string::npos;
    return n;
  }
  std::vector<std::string> local, global;
};

TEST(ChAnalysis, AReloadedDaySwapsItsDaysItsLookbackAndItsWeeks) {
  AnalysisOptions options;
  options.lookback_days = 30;
  ChAnalysisPlan plan;
  plan.touched = {Key(1, "2026-11-05")};
  plan.loaded_to = *CivilDate::Parse("2026-11-13");
  RecordingSession s;
  ASSERT_TRUE(RunChAnalysisModels(s, options, plan, {"(DATE '2026-01-01', 1)"}).ok());

  // Channels: that day alone. Funnels: none configured, but the day is still emptied and swapped.
  EXPECT_EQ(s.Count("ALTER TABLE matomo_channels_daily REPLACE PARTITION"), 1);
  EXPECT_EQ(s.Count("ALTER TABLE matomo_channels_daily REPLACE PARTITION (1, '2026-11-05')"), 1);
  EXPECT_EQ(s.Count("ALTER TABLE matomo_funnels REPLACE PARTITION (1, '2026-11-05')"), 1);
  // Attribution: conversions from 11-05 up to the last loaded day (11-13), not 30 days of nothing.
  EXPECT_EQ(s.Count("ALTER TABLE matomo_attribution REPLACE PARTITION"), 9);
  EXPECT_EQ(s.Count("ALTER TABLE matomo_attribution REPLACE PARTITION (1, '2026-11-13')"), 1);
  // Cohorts: the Mondays from 11-05's week (11-02) to the last loaded day's (11-09).
  EXPECT_EQ(s.Count("ALTER TABLE matomo_cohorts REPLACE PARTITION"), 2);
  EXPECT_EQ(s.Count("ALTER TABLE matomo_cohorts REPLACE PARTITION (1, '2026-11-09')"), 1);
  // matomo_dates: whole, by RENAME.
  EXPECT_EQ(s.Count("RENAME TABLE matomo_dates TO "), 1);
  EXPECT_EQ(s.Count("RENAME TABLE matomo_channels_daily"), 0);

  // Attribution and cohorts are the statements that read every shard; nothing else is.
  ASSERT_EQ(s.global.size(), 2u);
  EXPECT_NE(s.global[0].find("INSERT INTO _metl_stg_ana_"), std::string::npos);
  EXPECT_NE(s.global[0].find("_matomo_attribution"), std::string::npos);
  EXPECT_NE(s.global[1].find("_matomo_cohorts"), std::string::npos);
  for (const auto& stmt : s.local) EXPECT_EQ(stmt.find("{STG}"), std::string::npos) << stmt;
}

TEST(ChAnalysis, AFullRebuildRenamesEveryTable) {
  AnalysisOptions options;
  Funnel f;
  f.name = "Cart";
  FunnelStep step;
  step.pattern = "%/cart%";
  step.definition = "url=*/cart*";
  f.steps = {step};
  options.funnels = {f};
  ChAnalysisPlan plan;
  plan.full = true;
  plan.loaded_to = *CivilDate::Parse("2026-11-13");
  RecordingSession s;
  ASSERT_TRUE(RunChAnalysisModels(s, options, plan, {"(DATE '2026-01-01', 1)"}).ok());
  for (const char* t :
       {"matomo_dates", "matomo_channels_daily", "matomo_funnels", "matomo_attribution", "matomo_cohorts"}) {
    EXPECT_EQ(s.Count(std::string("RENAME TABLE ") + t + " TO "), 1) << t;
  }
  EXPECT_EQ(s.Count("REPLACE PARTITION"), 0);
}

TEST(ChAnalysisSql, NoWindowFunctionsNoCtesAndNoLambdaCapturingAColumn) {
  Funnel f;
  f.name = "It's";
  FunnelStep a, b;
  a.pattern = "%/a\\b%";
  a.definition = "url=*/a\\b*";
  b.kind = FunnelStep::Kind::kOrder;
  b.definition = "goal=order";
  f.steps = {a, b};
  for (const std::string& sql :
       {ChChannelsSql("1"), ChFunnelSql(f, "1"), ChAttributionSql("1", "1", 30), ChCohortsSql("1", "1")}) {
    EXPECT_EQ(sql.find(" OVER ("), std::string::npos);
    EXPECT_EQ(sql.find("WITH "), std::string::npos);
    EXPECT_EQ(sql.find("INSERT INTO {STG}"), 0u);
  }
  // A step's earlier position reaches the lambda as an array argument (18.16 drops a captured column).
  EXPECT_NE(ChFunnelSql(f, "1").find("arrayFirst((j, prev) -> j > prev, q2, replicate(p1, q2))"), std::string::npos);
  // ClickHouse literals escape quotes and backslashes with a backslash.
  EXPECT_NE(ChFunnelSql(f, "1").find("'It\\'s'"), std::string::npos);
  EXPECT_NE(ChFunnelSql(f, "1").find("LIKE '%/a\\\\b%'"), std::string::npos);
}

}  // namespace
}  // namespace metl::models
