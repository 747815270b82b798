// Money stays exact (issue 7): revenues at the edges of DECIMAL(18,6) and days whose revenue sums
// past 10^12 (a normal day in IDR or VND), synced over HTTP into every warehouse engine.
//
// The choice (docs/schema.md): one money value is DECIMAL(18,6) (up to 999,999,999,999.999999, which
// no single order or visit reaches in any currency in practice); a value beyond it is NULL plus a
// warning naming the site, date and visit, never a wrapped or rounded number. Daily sums are
// DECIMAL(38,6) / NUMERIC(38,6) and never overflow. A warehouse made with DECIMAL(18,6) daily sums
// is widened by the next run.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "harness.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;
constexpr const char* kNow = "2026-11-27 08:00:00";
constexpr int64_t kDay25 = 1795564800;  // 2026-11-25 00:00:00 UTC (site 1 is UTC)
constexpr int64_t kDay26 = kDay25 + 86400;

// One visit with one ecommerce order per revenue literal (JSON as written: a number or a "string").
std::string Visit(int64_t id, int64_t ts, const std::vector<std::string>& revenues) {
  std::string actions = R"({"type":"action","url":"https:\/\/shop.example.com\/","pageTitle":"p","timestamp":)" +
                        std::to_string(ts) + "}";
  for (size_t i = 0; i < revenues.size(); ++i) {
    actions += R"(,{"type":"ecommerceOrder","orderId":"o)" + std::to_string(id) + "-" + std::to_string(i) +
               R"(","revenue":)" + revenues[i] + R"(,"items":0,"timestamp":)" + std::to_string(ts + 1) + "}";
  }
  return R"({"idSite":1,"idVisit":)" + std::to_string(id) + R"(,"visitorId":"00000000000000aa",)"
         R"("firstActionTimestamp":)" + std::to_string(ts) + R"(,"lastActionTimestamp":)" + std::to_string(ts + 1) +
         R"(,"visitDuration":1,"actions":1,"visitConverted":1,"goalConversions":0,"actionDetails":[)" + actions +
         "]}\n";
}

class MoneyRange : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  void SetUp() override {
    url_ = GetParam().FreshUrl(tmp_);
    replay_ = tmp_.path() / "replay";
    fs::create_directories(replay_ / "site=1");
    fs::copy_file(TestData("replay/sites.json"), replay_ / "sites.json");
  }
  void WriteDay(const std::string& date, const std::string& lines) {
    WriteFile(replay_ / "site=1" / ("date=" + date + ".jsonl"), lines);
  }
  ProcessResult Sync(const std::string& from, const std::string& to) {
    SimServer sim({"--replay", replay_.string(), "--now", kNow});
    return RunEtl({"sync", "--url", sim.url(), "--landing", (tmp_.path() / "landing").string(), "--warehouse", url_,
                   "--site", "1", "--from", from, "--to", to, "--now", kNow},
                  {{"MATOMO_TOKEN_AUTH", SimServer::kToken}}, "", 120);
  }
  // The single value of a query, "NULL" for NULL, "<n rows>" when not exactly one row.
  std::string One(const std::string& sql) {
    Rows rows = QueryWarehouse(url_, sql);
    if (rows.rows.size() != 1 || rows.rows[0].empty()) return "<" + std::to_string(rows.rows.size()) + " rows>";
    return rows.rows[0][0].value_or("NULL");
  }
  std::string Kpi(const std::string& date) {
    return One("SELECT CAST(revenue AS VARCHAR) FROM matomo_daily_kpis WHERE site_id = 1 AND date = DATE '" + date +
               "'");
  }
  // "18,6" or "38,6": the declared precision and scale of matomo_daily_kpis.revenue.
  std::string KpiRevenueType() {
    if (GetParam().engine.rfind("clickhouse", 0) == 0) {  // no information_schema on 18.16
      return One("SELECT replaceRegexpAll(type, '[^0-9,]', '') FROM system.columns WHERE database = currentDatabase() "
                 "AND table = 'matomo_daily_kpis' AND name = 'revenue'");
    }
    return One("SELECT CAST(numeric_precision AS VARCHAR) || ',' || CAST(numeric_scale AS VARCHAR) FROM "
               "information_schema.columns WHERE table_schema = current_schema() AND table_name = 'matomo_daily_kpis' "
               "AND column_name = 'revenue'");
  }
  TempDir tmp_;
  std::string url_;
  fs::path replay_;
};

// 2026-11-25: the largest and the smallest DECIMAL(18,6) values, many decimals, and a day that sums
// past 10^12 (the model table used to overflow: the whole load failed on both engines).
std::string ExactDay() {
  return Visit(101, kDay25 + 3600, {"\"999999999999.999999\""}) + Visit(102, kDay25 + 3700, {"0.000001"}) +
         Visit(103, kDay25 + 3800, {"123456789.123456"}) + Visit(104, kDay25 + 3900, {"999999999999.999999"});
}
constexpr const char* kExactDaySum = "2000123456789.123455";

TEST_P(MoneyRange, ValuesAtTheEdgesAndADayPastTenToTheTwelveAreExact) {
  WriteDay("2026-11-25", ExactDay());
  ProcessResult r = Sync("2026-11-25", "2026-11-25");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err.substr(0, 4000);

  auto revenue = [&](int visit) {
    return One("SELECT CAST(revenue AS VARCHAR) FROM matomo_conversions WHERE visit_id = " + std::to_string(visit));
  };
  EXPECT_EQ(revenue(101), "999999999999.999999");
  EXPECT_EQ(revenue(102), "0.000001");
  EXPECT_EQ(revenue(103), "123456789.123456");
  EXPECT_EQ(revenue(104), "999999999999.999999");
  EXPECT_EQ(One("SELECT CAST(revenue AS VARCHAR) FROM matomo_visits WHERE visit_id = 101"), "999999999999.999999");
  EXPECT_EQ(Kpi("2026-11-25"), kExactDaySum);
  EXPECT_EQ(KpiRevenueType(), "38,6");
  EXPECT_EQ(r.err.find("beyond DECIMAL(18,6)"), std::string::npos) << r.err;
}

TEST_P(MoneyRange, AValueBeyondDecimal18IsNullAndWarnedNeverWrapped) {
  // 5e12 fits int64 micro-units but not DECIMAL(18,6); 1e13 fits neither; visit 203's two orders
  // fit one by one but their visit total (1.2e12) does not; visit 204 is an ordinary visit.
  WriteDay("2026-11-26", Visit(201, kDay26 + 3600, {"\"5000000000000\""}) +
                             Visit(202, kDay26 + 3700, {"1e13"}) +
                             Visit(203, kDay26 + 3800, {"600000000000", "\"600000000000.5\""}) +
                             Visit(204, kDay26 + 3900, {"\"10.25\""}));
  ProcessResult r = Sync("2026-11-26", "2026-11-26");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err.substr(0, 4000);

  auto conv = [&](int visit) {
    return One("SELECT CAST(revenue AS VARCHAR) FROM matomo_conversions WHERE action_index = 1 AND visit_id = " +
               std::to_string(visit));
  };
  auto visit_revenue = [&](int visit) {
    return One("SELECT CAST(revenue AS VARCHAR) FROM matomo_visits WHERE visit_id = " + std::to_string(visit));
  };
  EXPECT_EQ(conv(201), "NULL");
  EXPECT_EQ(conv(202), "NULL");
  EXPECT_EQ(conv(203), "600000000000.000000");
  EXPECT_EQ(One("SELECT CAST(revenue AS VARCHAR) FROM matomo_conversions WHERE action_index = 2 AND visit_id = 203"),
            "600000000000.500000");
  EXPECT_EQ(conv(204), "10.250000");
  // A visit total that misses a value, or does not fit, is NULL too (not a smaller number).
  EXPECT_EQ(visit_revenue(201), "NULL");
  EXPECT_EQ(visit_revenue(202), "NULL");
  EXPECT_EQ(visit_revenue(203), "NULL");
  EXPECT_EQ(visit_revenue(204), "10.250000");
  // The daily sum adds what the warehouse holds, exactly.
  EXPECT_EQ(Kpi("2026-11-26"), "1200000000010.750000");
  // Visible and counted: one warning per partition naming the site, the date, how many values (the
  // two literals and visit 203's total) and the visits.
  size_t at = r.err.find("beyond DECIMAL(18,6)");
  ASSERT_NE(at, std::string::npos) << r.err;
  size_t begin = r.err.rfind('\n', at);
  std::string line = r.err.substr(begin == std::string::npos ? 0 : begin + 1);
  line = line.substr(0, line.find('\n'));
  EXPECT_NE(line.find("site=1"), std::string::npos) << line;
  EXPECT_NE(line.find("date=2026-11-26"), std::string::npos) << line;
  EXPECT_NE(line.find("values=3"), std::string::npos) << line;
  EXPECT_NE(line.find("visits=201,202,203"), std::string::npos) << line;
}

TEST_P(MoneyRange, AWarehouseWithNarrowDailySumsIsWidenedByTheNextRun) {
  if (GetParam().engine == "bigquery") {
    GTEST_SKIP() << "no earlier BigQuery schema to migrate from (the engine is new; BigQuery cannot change a column's type)";
  }
  if (GetParam().engine.rfind("clickhouse", 0) == 0) {
    GTEST_SKIP() << "no earlier ClickHouse schema to migrate from (the engine is new: revenue was Decimal(38, 6) from the start)";
  }
  // The previous version's shape: matomo_daily_kpis.revenue DECIMAL(18,6) (NUMERIC(18,6)).
  WriteDay("2026-11-26", Visit(301, kDay26 + 3600, {"1.5"}));
  ProcessResult first = Sync("2026-11-26", "2026-11-26");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err.substr(0, 4000);
  std::string narrow = GetParam().engine == "postgres" ? "numeric(18,6)" : "DECIMAL(18,6)";
  QueryWarehouse(url_, "ALTER TABLE matomo_daily_kpis ALTER COLUMN revenue TYPE " + narrow);
  ASSERT_EQ(KpiRevenueType(), "18,6");
  // matomo_visits.revenue was NOT NULL; a visit total beyond DECIMAL(18,6) is null now.
  QueryWarehouse(url_, "ALTER TABLE matomo_visits ALTER COLUMN revenue SET NOT NULL");
  auto visits_revenue_nullable = [&] {
    return One("SELECT is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND "
               "table_name = 'matomo_visits' AND column_name = 'revenue'");
  };
  ASSERT_EQ(visits_revenue_nullable(), "NO");

  WriteDay("2026-11-25", ExactDay());
  ProcessResult second = Sync("2026-11-25", "2026-11-25");
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err.substr(0, 4000);
  EXPECT_EQ(KpiRevenueType(), "38,6");
  EXPECT_EQ(Kpi("2026-11-25"), kExactDaySum);
  EXPECT_EQ(Kpi("2026-11-26"), "1.500000");
  EXPECT_EQ(One("SELECT is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND "
                "table_name = 'matomo_daily_kpis' AND column_name = 'revenue'"),
            "NO");
  EXPECT_EQ(visits_revenue_nullable(), "YES");
}

METL_INSTANTIATE_WAREHOUSE_SUITE(MoneyRange);

}  // namespace
}  // namespace metl::e2e
