// The analysis tables (issue 15) on small crafted cases whose answers are computed by hand below:
// attribution (first touch, last non-direct, linear, 40/20/40, the 30-day lookback, user ids linking
// visitors), cohorts (Monday weeks, returning visitors), funnels (steps in order within a visit),
// channels (click ids, media), and the rebuild scope: a reloaded day rewrites only its own rows (and
// the windows that depend on it), `--full-refresh` rewrites everything. Through `load` into DuckDB,
// PostgreSQL, BigQuery (google-fake: small data, it runs every query on an embedded DuckDB) and ClickHouse
// (one server, and the 2-shard cluster, where a visitor's days lie on both shards).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness.h"
#include "landing_fixture.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

constexpr int64_t kNov2 = 1793577600;  // 2026-11-02 00:00:00 UTC, a Monday (site 1 is UTC)
constexpr int64_t kDay = 86400;

struct Act {
  std::string json;  // one actionDetails entry without its timestamp
};
Act Page(const std::string& path) {
  return {R"({"type":"action","url":"https:\/\/shop.example.com)" + path + R"(","pageTitle":"t")"};
}
Act Goal(int id, const std::string& revenue) {
  return {R"({"type":"goal","goalId":)" + std::to_string(id) + R"(,"goalName":"g","revenue":)" + revenue};
}
Act Order(const std::string& id, const std::string& revenue) {
  return {R"({"type":"ecommerceOrder","orderId":")" + id + R"(","revenue":)" + revenue + R"(,"items":0)"};
}
Act Event(const std::string& category, const std::string& action) {
  return {R"({"type":"event","eventCategory":")" + category + R"(","eventAction":")" + action + "\""};
}

// One visit starting at `start` (UTC epoch), one action a minute. `referrer` holds extra visit fields.
std::string Visit(int64_t id, const std::string& visitor, const std::string& user, int64_t start,
                  const std::string& referrer, const std::vector<Act>& acts) {
  std::string details;
  int pageviews = 0, goals = 0;
  bool converted = false;
  for (size_t i = 0; i < acts.size(); ++i) {
    details +=
        (i ? "," : "") + acts[i].json + R"(,"timestamp":)" + std::to_string(start + 60 * static_cast<int64_t>(i)) + "}";
    if (acts[i].json.find("\"action\"") != std::string::npos || acts[i].json.find("\"event\"") != std::string::npos)
      ++pageviews;
    if (acts[i].json.find("\"goal\"") != std::string::npos) ++goals;
    if (acts[i].json.find("\"goal\"") != std::string::npos || acts[i].json.find("ecommerceOrder") != std::string::npos)
      converted = true;
  }
  const int64_t last = start + 60 * static_cast<int64_t>(acts.size() - 1);
  return R"({"idSite":1,"idVisit":)" + std::to_string(id) + R"(,"visitorId":")" + visitor + "\"," +
         (user.empty() ? std::string(R"("userId":null,)") : R"("userId":")" + user + "\",") +
         R"("firstActionTimestamp":)" + std::to_string(start) + R"(,"lastActionTimestamp":)" + std::to_string(last) +
         R"(,"visitDuration":)" + std::to_string(last - start) + R"(,"actions":)" + std::to_string(pageviews) +
         R"(,"visitConverted":)" + (converted ? "1" : "0") + R"(,"goalConversions":)" + std::to_string(goals) + "," +
         referrer + R"(,"actionDetails":[)" + details + "]}";
}

const std::string kDirect = R"("referrerType":"direct","referrerName":"")";
const std::string kSearch = R"("referrerType":"search","referrerName":"Google")";
const std::string kSocial = R"("referrerType":"social","referrerName":"Facebook")";
const std::string kWebsite = R"("referrerType":"website","referrerName":"blog.example.org")";
const std::string kPaidCampaign =
    R"("referrerType":"campaign","referrerName":"winter","campaignSource":"google","campaignMedium":"cpc")";

// Visitors: A (aaaa...) from 2026-10-01, B (bbbb...) with user u1, C (cccc...) with user u1 too, E, F, G.
// Days are site-local (UTC) dates; V<n> is visit n.
struct Day {
  std::string date;
  std::vector<std::string> visits;
};
std::vector<Day> Dataset(bool changed_nov5 = false) {
  const std::string a = "aaaaaaaaaaaaaaaa", b = "bbbbbbbbbbbbbbbb", c = "cccccccccccccccc", e = "eeeeeeeeeeeeeeee";
  const std::string f = "ffffffffffffffff", g = "1111111111111111";
  std::vector<Day> days = {
      {"2026-10-01",
       {Visit(1, a, "", kNov2 - 32 * kDay + 36000, kSocial, {Page("/")})}},    // V1: 40+ days before A's conversions
      {"2026-11-02", {Visit(2, a, "", kNov2 + 36000, kSearch, {Page("/")})}},  // V2 Organic Search
      {"2026-11-03", {Visit(5, b, "u1", kNov2 + kDay + 36000, kWebsite, {Page("/blog")})}},  // V5 Referral, user u1
      {"2026-11-04", {Visit(9, b, "", kNov2 + 2 * kDay + 36000, kDirect, {Page("/")})}},     // V9: B returns, same week
      {"2026-11-05", {Visit(3, a, "", kNov2 + 3 * kDay + 36000, kDirect, {Page("/product/1"), Page("/cart")})}},
      {"2026-11-10",
       {Visit(4, a, "", kNov2 + 8 * kDay + 36000, kPaidCampaign,
              {Page("/product/1"), Page("/cart"), Goal(1, "10")})}},  // V4 Paid Search, C1
      {"2026-11-11",
       {Visit(6, c, "u1", kNov2 + 9 * kDay + 36000, kDirect,
              {Page("/signup"), Event("Account", "Signup"), Goal(1, "5")})}},
      {"2026-11-12",
       {Visit(7, a, "", kNov2 + 10 * kDay + 36000, kDirect, {Page("/cart"), Page("/product/2"), Order("o1", "100")}),
        Visit(8, e, "", kNov2 + 10 * kDay + 40000, kDirect, {Page("/"), Goal(2, "0")})}},
      {"2026-11-13",
       {Visit(10, f, "", kNov2 + 11 * kDay + 36000, kDirect, {Page("/?gclid=abc123")}),
        Visit(11, g, "", kNov2 + 11 * kDay + 36100, kSocial, {Page("/?fbclid=xyz")}),
        Visit(12, g, "", kNov2 + 11 * kDay + 36200, R"("referrerType":"campaign","referrerName":"news")",
              {Page("/?mtm_campaign=news&mtm_medium=email")})}},
  };
  if (changed_nov5) {  // V3 re-extracted with one more page: reaches the funnel's checkout step
    days[4].visits = {
        Visit(3, a, "", kNov2 + 3 * kDay + 36000, kDirect, {Page("/product/1"), Page("/cart"), Page("/checkout")})};
  }
  return days;
}

void LandAll(const std::string& landing, const std::vector<Day>& days) {
  for (const Day& d : days) {
    std::string array = "[";
    for (size_t i = 0; i < d.visits.size(); ++i) array += (i ? "," : "") + d.visits[i];
    LandJsonArray(landing, 1, d.date, "UTC", array + "]");
  }
}

const char* kFunnels = "Shop: url=*/product/* > url=*/cart* > goal=order; Signup: event=Account/Signup > goal=1";

class AnalysisTables : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  void SetUp() override {
    url_ = GetParam().FreshUrl(tmp_);
    if (url_.empty()) return;
    landing_ = (tmp_.path() / "landing").string();
    LandAll(landing_, Dataset());
    ProcessResult r = Load();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  ProcessResult Load(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"load", "--landing", landing_, "--warehouse", url_, "--funnels", kFunnels};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunEtl(args);
  }
  // Rows as "a|b|c" lines.
  std::vector<std::string> Lines(const std::string& sql) {
    std::vector<std::string> out;
    for (const auto& row : QueryWarehouse(url_, sql).rows) {
      std::string line;
      for (size_t i = 0; i < row.size(); ++i) line += (i ? "|" : "") + row[i].value_or("NULL");
      out.push_back(line);
    }
    return out;
  }
  TempDir tmp_;
  std::string url_, landing_;
};

// Credits in thousandths, so that both engines print integers.
const char* kAttributionSql =
    "SELECT conversion_visit_id, touch_visit_id, touch_position, touch_count, days_before_conversion, channel, "
    "CAST(round(credit_first_touch * 1000) AS BIGINT), CAST(round(credit_last_non_direct * 1000) AS BIGINT), "
    "CAST(round(credit_linear * 1000) AS BIGINT), CAST(round(credit_position_based * 1000) AS BIGINT) "
    "FROM matomo_attribution ORDER BY conversion_visit_id, touch_position";

TEST_P(AnalysisTables, AttributionEqualsHandComputedCredits) {
  EXPECT_EQ(Lines(kAttributionSql),
            (std::vector<std::string>{
                // C1: goal 1 in V4 (11-10). V1 (10-01) is 40 days before: out of the 30-day lookback.
                "4|2|1|3|8|Organic Search|1000|0|333|400",
                "4|3|2|3|5|Direct|0|0|333|200",
                "4|4|3|3|0|Paid Search|0|1000|333|400",
                // C3: goal 1 in V6 (visitor C), linked to V5 (visitor B) by user id u1; V9 (B, no user id) is not.
                "6|5|1|2|8|Referral|1000|1000|500|500",
                "6|6|2|2|0|Direct|0|0|500|500",
                // C2: order in V7 (11-12): four touches; the last non-direct is V4.
                "7|2|1|4|10|Organic Search|1000|0|250|400",
                "7|3|2|4|7|Direct|0|0|250|100",
                "7|4|3|4|2|Paid Search|0|1000|250|100",
                "7|7|4|4|0|Direct|0|0|250|400",
                // V8's goal 2: one direct touch takes every credit (last non-direct falls back to it).
                "8|8|1|1|0|Direct|1000|1000|1000|1000",
            }));
  // Every model hands out exactly one conversion's worth of credit per conversion.
  EXPECT_EQ(Lines("SELECT conversion_visit_id, CAST(round(sum(credit_first_touch) * 1000) AS BIGINT), "
                  "CAST(round(sum(credit_last_non_direct) * 1000) AS BIGINT), CAST(round(sum(credit_linear) * 1000) AS "
                  "BIGINT), "
                  "CAST(round(sum(credit_position_based) * 1000) AS BIGINT) FROM matomo_attribution "
                  "GROUP BY conversion_visit_id ORDER BY conversion_visit_id"),
            (std::vector<std::string>{"4|1000|1000|1000|1000", "6|1000|1000|1000|1000", "7|1000|1000|1000|1000",
                                      "8|1000|1000|1000|1000"}));
}

TEST_P(AnalysisTables, LookbackOptionWidensTheWindow) {
  ProcessResult r = Load({"--full-refresh", "--attribution-lookback-days", "45"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // V1 (2026-10-01) is now 40 days before C1: first touch moves to it.
  EXPECT_EQ(Lines("SELECT touch_visit_id, touch_count, CAST(round(credit_first_touch * 1000) AS BIGINT) FROM "
                  "matomo_attribution WHERE conversion_visit_id = 4 ORDER BY touch_position"),
            (std::vector<std::string>{"1|4|1000", "2|4|0", "3|4|0", "4|4|0"}));
}

TEST_P(AnalysisTables, CohortsEqualHandComputedGrid) {
  // A's first visit is 2026-10-01 (week of Monday 09-28): weeks 5 (11-02: V2, V3) and 6 (11-09: V4, V7).
  // B: 11-03 and 11-04, one week, returning in its first week. C, E: week 11-09. F, G: week 11-09 too.
  EXPECT_EQ(Lines("SELECT CAST(cohort_week AS VARCHAR), weeks_since, CAST(activity_week AS VARCHAR), cohort_visitors, "
                  "visitors, returning_visitors, visits, nb_conversions, CAST(CAST(revenue AS BIGINT) AS VARCHAR) "
                  "FROM matomo_cohorts ORDER BY cohort_week, weeks_since"),
            (std::vector<std::string>{
                "2026-09-28|0|2026-09-28|1|1|0|1|0|0",
                "2026-09-28|5|2026-11-02|1|1|1|2|0|0",
                "2026-09-28|6|2026-11-09|1|1|1|2|2|110",
                "2026-11-02|0|2026-11-02|1|1|1|2|0|0",
                "2026-11-09|0|2026-11-09|4|4|1|5|2|5",
            }));
}

TEST_P(AnalysisTables, FunnelsCountStepsInOrder) {
  EXPECT_EQ(Lines("SELECT CAST(date AS VARCHAR), funnel, step, step_definition, entered, reached, dropped FROM "
                  "matomo_funnels ORDER BY date, funnel, step"),
            (std::vector<std::string>{
                "2026-11-05|Shop|1|url=*/product/*|1|1|0",
                "2026-11-05|Shop|2|url=*/cart*|1|1|0",
                "2026-11-05|Shop|3|goal=order|1|0|1",
                "2026-11-10|Shop|1|url=*/product/*|1|1|0",
                "2026-11-10|Shop|2|url=*/cart*|1|1|0",
                "2026-11-10|Shop|3|goal=order|1|0|1",
                "2026-11-11|Signup|1|event=Account/Signup|1|1|0",
                "2026-11-11|Signup|2|goal=1|1|1|0",
                // V7: the cart came before the product page, so the cart step is not reached in order.
                "2026-11-12|Shop|1|url=*/product/*|1|1|0",
                "2026-11-12|Shop|2|url=*/cart*|1|0|1",
                "2026-11-12|Shop|3|goal=order|0|0|0",
            }));
}

TEST_P(AnalysisTables, ChannelsFromReferrerClickIdsAndMedium) {
  EXPECT_EQ(Lines("SELECT CAST(date AS VARCHAR), channel, referrer_type, nb_visits, nb_conversions, "
                  "CAST(CAST(revenue AS BIGINT) AS VARCHAR) FROM matomo_channels_daily WHERE date >= DATE '2026-11-10' "
                  "ORDER BY date, channel"),
            (std::vector<std::string>{
                "2026-11-10|Paid Search|campaign|1|1|10", "2026-11-11|Direct|direct|1|1|5",
                "2026-11-12|Direct|direct|2|2|100",
                "2026-11-13|Email|campaign|1|0|0",         // mtm_medium=email in the entry URL
                "2026-11-13|Organic Social|social|1|0|0",  // fbclid: social, not paid
                "2026-11-13|Paid Search|direct|1|0|0",     // gclid beats Matomo's "direct"
            }));
  // Every visit is in exactly one channel row.
  EXPECT_EQ(QueryInt(url_, "SELECT sum(nb_visits) FROM matomo_channels_daily"), 12);
  // matomo_dates: whole years, Monday weeks.
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_dates"), 365);
  EXPECT_EQ(
      Lines(
          "SELECT CAST(week_start AS VARCHAR), day_of_week, iso_week FROM matomo_dates WHERE date = DATE '2026-11-12'"),
      (std::vector<std::string>{"2026-11-09|4|46"}));
}

// A reloaded day rewrites its own channel and funnel rows, the attribution of conversions up to the
// lookback after it and the cohort weeks from its week on; rows outside stay as they were (a marker
// planted in them survives). --full-refresh rewrites every row.
TEST_P(AnalysisTables, ReloadedDayRewritesOnlyItsRowsAndWindows) {
  auto plant = [&](const std::string& sql) { QueryWarehouse(url_, sql); };
  plant("UPDATE matomo_channels_daily SET nb_actions = 999 WHERE date = DATE '2026-11-02'");
  plant("UPDATE matomo_funnels SET entered = 999 WHERE date = DATE '2026-11-10'");
  plant("UPDATE matomo_attribution SET days_before_conversion = 999 WHERE conversion_visit_id = 4");
  plant("UPDATE matomo_cohorts SET visits = 999 WHERE activity_week = DATE '2026-09-28'");
  plant("UPDATE matomo_cohorts SET visits = 999 WHERE activity_week = DATE '2026-11-09'");

  LandAll(landing_, {Dataset(true)[4]});  // 2026-11-05 re-extracted with other content
  ProcessResult r = Load();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("loaded 1 partition"), std::string::npos) << r.out;

  // Outside the rebuilt day or window: the markers are still there.
  EXPECT_EQ(QueryInt(url_, "SELECT max(nb_actions) FROM matomo_channels_daily WHERE date = DATE '2026-11-02'"), 999);
  EXPECT_EQ(QueryInt(url_, "SELECT max(entered) FROM matomo_funnels WHERE date = DATE '2026-11-10'"), 999);
  EXPECT_EQ(QueryInt(url_, "SELECT max(visits) FROM matomo_cohorts WHERE activity_week = DATE '2026-09-28'"), 999);
  // Inside: rebuilt (V3 has three pages now).
  EXPECT_EQ(QueryInt(url_, "SELECT max(nb_actions) FROM matomo_channels_daily WHERE date = DATE '2026-11-05'"), 3);
  EXPECT_EQ(QueryInt(url_, "SELECT max(days_before_conversion) FROM matomo_attribution WHERE conversion_visit_id = 4"),
            8);
  EXPECT_EQ(QueryInt(url_, "SELECT max(visits) FROM matomo_cohorts WHERE activity_week = DATE '2026-11-09'"), 5);

  r = Load({"--full-refresh"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(QueryInt(url_, "SELECT max(nb_actions) FROM matomo_channels_daily WHERE date = DATE '2026-11-02'"), 1);
  EXPECT_EQ(QueryInt(url_, "SELECT max(entered) FROM matomo_funnels WHERE date = DATE '2026-11-10'"), 1);
  EXPECT_EQ(QueryInt(url_, "SELECT max(visits) FROM matomo_cohorts WHERE activity_week = DATE '2026-09-28'"), 1);
}

TEST_P(AnalysisTables, ChangedFunnelStepsRebuildEveryDayAndBadOnesAreConfigErrors) {
  ProcessResult r = RunEtl({"load", "--landing", landing_, "--warehouse", url_, "--funnels", "Cart: url=*/cart*"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(Lines("SELECT CAST(date AS VARCHAR), funnel, reached FROM matomo_funnels ORDER BY date"),
            (std::vector<std::string>{"2026-11-05|Cart|1", "2026-11-10|Cart|1", "2026-11-12|Cart|1"}));

  r = RunEtl({"load", "--landing", landing_, "--warehouse", url_, "--funnels", "Bad: page=/x"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("funnel \"Bad\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("url=GLOB"), std::string::npos) << r.err;  // the hint says how to write one
}

// Every engine: DuckDB, PostgreSQL, BigQuery (google-fake) and ClickHouse (one server, the 2-shard cluster).
INSTANTIATE_TEST_SUITE_P(, AnalysisTables, ::testing::ValuesIn(WarehouseTargets()), TargetTestName);

}  // namespace
}  // namespace metl::e2e
