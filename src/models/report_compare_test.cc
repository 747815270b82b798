// verify --reports' comparison: Matomo's answer parsed as it comes (numbers as strings, absent metrics),
// rows folded into "Others", rounding, and which differences an explanation may cover.
#include "models/report_compare.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace metl::models {
namespace {

const CivilDate kDay = CivilDate::FromYmd(2026, 12, 1);

ReportSpec Devices() {
  for (const ReportSpec& s : ReportSpecsForSite({}, false, {})) {
    if (s.method == "DevicesDetection.getType") return s;
  }
  ADD_FAILURE() << "no DevicesDetection.getType spec";
  return {};
}

ReportRow Row(std::string label, std::map<std::string, double> metrics) {
  return ReportRow{label, label, std::move(metrics)};
}

TEST(ReportCompare, ParsesStringNumbersAndKeysByDate) {
  auto parsed = ParseReportResponse(
      R"({"2026-12-01":[{"label":"Desktop","nb_visits":"25","nb_actions":"285","segment":"deviceType==desktop"}],)"
      R"("2026-12-02":[]})",
      Devices());
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  ASSERT_EQ(parsed->at("2026-12-01").size(), 1u);
  EXPECT_EQ(parsed->at("2026-12-01")[0].metrics.at("nb_visits"), 25);
  EXPECT_EQ(parsed->at("2026-12-01")[0].metrics.at("nb_actions"), 285);
  EXPECT_EQ(parsed->at("2026-12-01")[0].metrics.count("segment"), 0u);
  EXPECT_TRUE(parsed->at("2026-12-02").empty());
}

TEST(ReportCompare, AMatomoErrorIsAnError) {
  auto parsed = ParseReportResponse(R"({"result":"error","message":"The plugin Events is not enabled."})", Devices());
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message().find("Events is not enabled"), std::string::npos);
}

TEST(ReportCompare, AbsentMetricsAreZeroAndEqualRowsGiveNoDifference) {
  auto d = CompareReport(Devices(), 1, kDay, {Row("Desktop", {{"nb_visits", 3}, {"bounce_count", 0}})},
                         {Row("Desktop", {{"nb_visits", 3}}), Row("Tv", {{"nb_visits", 0}})}, {});
  EXPECT_TRUE(d.empty());
}

TEST(ReportCompare, ADifferenceNamesTheRowAndIsUnexplained) {
  auto d =
      CompareReport(Devices(), 1, kDay, {Row("Desktop", {{"nb_visits", 4}})}, {Row("Desktop", {{"nb_visits", 3}})}, {});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].label, "Desktop");
  EXPECT_EQ(d[0].metric, "nb_visits");
  EXPECT_EQ(d[0].warehouse, 4);
  EXPECT_EQ(d[0].matomo, 3);
  EXPECT_EQ(d[0].explanation, "");
}

TEST(ReportCompare, RowsFoldedIntoOthersCompareAsTheirSum) {
  std::vector<ReportRow> ours = {Row("Desktop", {{"nb_visits", 5}}), Row("Tv", {{"nb_visits", 1}}),
                                 Row("Camera", {{"nb_visits", 2}})};
  EXPECT_TRUE(CompareReport(Devices(), 1, kDay, ours,
                            {Row("Desktop", {{"nb_visits", 5}}), Row("Others", {{"nb_visits", 3}})}, {})
                  .empty());
  auto d = CompareReport(Devices(), 1, kDay, ours,
                         {Row("Desktop", {{"nb_visits", 5}}), Row("Others", {{"nb_visits", 4}})}, {});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].label, "Others");
  EXPECT_EQ(d[0].warehouse, 3);
}

TEST(ReportCompare, MoneyIsComparedAsMatomoRoundsIt) {
  EXPECT_TRUE(CompareReport(Devices(), 1, kDay, {Row("Desktop", {{"revenue", 256.43999999999994}})},
                            {Row("Desktop", {{"revenue", 256.44}})}, {})
                  .empty());
  EXPECT_EQ(CompareReport(Devices(), 1, kDay, {Row("Desktop", {{"revenue", 256.43}})},
                          {Row("Desktop", {{"revenue", 256.44}})}, {})
                .size(),
            1u);
}

TEST(ReportCompare, TruncatedVisitsExplainConversionsButNeverVisitCounts) {
  ReportDayContext day;
  day.truncated_visits = 1;
  auto d = CompareReport(Devices(), 1, kDay, {Row("Desktop", {{"nb_visits", 2}, {"nb_conversions", 1}})},
                         {Row("Desktop", {{"nb_visits", 3}, {"nb_conversions", 2}})}, day);
  ASSERT_EQ(d.size(), 2u);
  for (const auto& x : d) {
    if (x.metric == "nb_visits") {
      EXPECT_EQ(x.explanation, "");
    } else {
      EXPECT_EQ(x.metric, "nb_conversions");
      EXPECT_NE(x.explanation, "");
    }
  }
}

TEST(ReportCompare, TimeSpentIsExplainedOnlyWhenTheWarehouseHasMore) {
  ReportSpec pages = ReportSpecsForSite({}, false, {})[0];
  ASSERT_EQ(pages.method, "Actions.getPageUrls");
  auto more =
      CompareReport(pages, 1, kDay, {Row("/", {{"sum_time_spent", 120}})}, {Row("/", {{"sum_time_spent", 100}})}, {});
  auto less =
      CompareReport(pages, 1, kDay, {Row("/", {{"sum_time_spent", 80}})}, {Row("/", {{"sum_time_spent", 100}})}, {});
  ASSERT_EQ(more.size(), 1u);
  ASSERT_EQ(less.size(), 1u);
  EXPECT_NE(more[0].explanation, "");
  EXPECT_EQ(less[0].explanation, "");
}

TEST(ReportCompare, SpecsFollowTheSitesGoalsEcommerceAndDimensions) {
  auto specs = ReportSpecsForSite({1, 2}, true, {{1, "visit"}, {2, "action"}});
  std::vector<std::string> names;
  for (const auto& s : specs) names.push_back(s.name());
  auto has = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  EXPECT_TRUE(has("Goals.get"));
  EXPECT_TRUE(has("Goals.get idGoal=2"));
  EXPECT_TRUE(has("Goals.get idGoal=ecommerceOrder"));
  EXPECT_TRUE(has("Goals.getItemsSku abandonedCarts=1"));
  EXPECT_TRUE(has("CustomDimensions.getCustomDimension idDimension=2"));
  for (const auto& s : ReportSpecsForSite({}, false, {})) {
    EXPECT_NE(s.method, "Goals.getItemsSku") << "a site without ecommerce has no item reports";
    EXPECT_NE(s.name(), "Goals.get idGoal=ecommerceOrder");
  }
}

}  // namespace
}  // namespace metl::models
