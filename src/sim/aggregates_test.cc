#include "sim/aggregates.h"

#include <gtest/gtest.h>

#include "sim/generated_dataset.h"
#include "sim/sim_test_util.h"
#include "sim/visit_facts.h"

namespace metl::sim {
namespace {

std::vector<const SimVisit*> Pointers(const std::vector<SimVisit>& visits) {
  std::vector<const SimVisit*> out;
  for (const auto& v : visits) out.push_back(&v);
  return out;
}

TEST(AggregatesTest, EmptyDayIsAnEmptyArray) {
  EXPECT_EQ(VisitsSummaryJson({}), "[]");
  EXPECT_EQ(ActionsJson({}), "[]");
}

// 450 visits built to the totals of the real VisitsSummary.get response: the rendering (key
// order, "26%", 4.8, rounding) must match the file byte for byte.
TEST(AggregatesTest, VisitsSummaryMatchesMatomosRendering) {
  std::vector<SimVisit> visits(450);
  // Targets: 450 visitors, 102 users, 2157 actions, 166 converted, 115 bounces, 115550 s, max 23.
  int64_t actions_left = 2157, length_left = 115550;
  for (int i = 0; i < 450; ++i) {
    SimVisit& v = visits[static_cast<size_t>(i)];
    v.id_visit = i + 1;
    v.visitor_id = "v" + std::to_string(i);
    if (i < 102) v.user_id = "u" + std::to_string(i);
    v.converted = i < 166;
    if (i < 115) {
      v.actions = 1;
    } else if (i == 115) {
      v.actions = 23;
    } else {
      v.actions = 0;  // filled below
    }
    actions_left -= v.actions;
  }
  // Spread the remaining actions over visits 116..449 (2..22 each).
  for (int i = 116; i < 450; ++i) {
    int64_t remaining_visits = 450 - i;
    int64_t a = actions_left / remaining_visits;
    visits[static_cast<size_t>(i)].actions = a;
    actions_left -= a;
  }
  for (int i = 0; i < 450; ++i) {
    int64_t d = length_left / (450 - i);
    visits[static_cast<size_t>(i)].visit_duration = d;
    length_left -= d;
  }
  std::string expected = testing::ReadFile(testing::ReferenceDir() + "/visitssummary_site1_day.json");
  while (!expected.empty() && (expected.back() == '\n' || expected.back() == '\r')) expected.pop_back();
  EXPECT_EQ(VisitsSummaryJson(Pointers(visits)), expected);
}

TEST(AggregatesTest, DecimalSumsAreExact) {
  int64_t m = 0;
  ASSERT_TRUE(ParseMicros("0.1", m));
  EXPECT_EQ(m, 100000);
  ASSERT_TRUE(ParseMicros("-76.33", m));
  EXPECT_EQ(m, -76330000);
  EXPECT_FALSE(ParseMicros("abc", m));
  EXPECT_FALSE(ParseMicros("", m));
  EXPECT_EQ(FormatMicros(81330000), "81.33");
  EXPECT_EQ(FormatMicros(5000000), "5");
  EXPECT_EQ(FormatMicros(500000), "0.5");

  std::vector<SimVisit> visits(3);
  visits[0].conversions = {{1, "0.1", 0}, {0, "76.33", 2}};
  visits[1].conversions = {{1, "0.2", 0}, {-1, "99.99", 3}};
  visits[2].conversions = {};
  auto all = GoalsJson(Pointers(visits), std::nullopt);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, R"({"nb_conversions":3,"nb_visits_converted":2,"revenue":76.63,"conversion_rate":"66.67%"})");
  auto goal1 = GoalsJson(Pointers(visits), "1");
  ASSERT_TRUE(goal1.ok());
  EXPECT_EQ(*goal1, R"({"nb_conversions":2,"nb_visits_converted":2,"revenue":0.3,"conversion_rate":"66.67%"})");
  auto orders = GoalsJson(Pointers(visits), "ecommerceOrder");
  ASSERT_TRUE(orders.ok());
  EXPECT_EQ(*orders, R"({"nb_conversions":1,"nb_visits_converted":1,"revenue":76.33,"conversion_rate":"33.33%",)"
                     R"("items":2,"avg_order_revenue":76.33})");
  auto carts = GoalsJson(Pointers(visits), "-1");
  ASSERT_TRUE(carts.ok());
  EXPECT_NE(carts->find("\"revenue\":99.99"), std::string::npos);
  EXPECT_EQ(*GoalsJson(Pointers(visits), "ecommerceAbandonedCart"), *carts);
  EXPECT_FALSE(GoalsJson(Pointers(visits), "first").ok());
}

TEST(AggregatesTest, ActionsCountsPageviewsAndUniques) {
  std::vector<SimVisit> visits(2);
  visits[0].pageviews = 3;
  visits[0].uniq_pageviews = 2;
  visits[0].searches = 2;
  visits[0].search_keywords = {"a", "b"};
  visits[1].pageviews = 1;
  visits[1].uniq_pageviews = 1;
  visits[1].downloads = 1;
  visits[1].uniq_downloads = 1;
  visits[1].searches = 1;
  visits[1].search_keywords = {"a"};
  EXPECT_EQ(ActionsJson(Pointers(visits)),
            R"({"nb_pageviews":4,"nb_uniq_pageviews":3,"nb_downloads":1,"nb_uniq_downloads":1,"nb_outlinks":0,)"
            R"("nb_uniq_outlinks":0,"nb_searches":3,"nb_keywords":2})");
}

// The reports the server computes from the generator's facts equal those recomputed from the
// Live JSON it serves (VisitsSummary uses visit-level counters only, so truncation is no issue).
TEST(AggregatesTest, VisitsSummaryFromLiveJsonEqualsTheGeneratorsFacts) {
  auto ds = GeneratedDataset::Create(testing::TestOptions(200));
  ASSERT_TRUE(ds.ok());
  for (int64_t site = 1; site <= 2; ++site) {
    CivilDate day = CivilDate::FromYmd(2026, 11, 25);
    auto visits = (*ds)->VisitsOfDay(site, day);
    std::vector<SimVisit> parsed;
    for (const SimVisit& v : *visits) {
      auto p = DescribeVisit(v.json);
      ASSERT_TRUE(p.ok());
      parsed.push_back(std::move(p).value());
    }
    std::string from_facts = VisitsSummaryJson(Pointers(*visits));
    EXPECT_EQ(VisitsSummaryJson(Pointers(parsed)), from_facts);
    EXPECT_NE(from_facts.find("\"nb_visits\":" + std::to_string(visits->size()) + ","), std::string::npos);
    // Goals too, except conversions cut off by truncation (which only the generator knows).
    bool truncated = false;
    for (const SimVisit& v : *visits) truncated |= v.json.find("\"truncatedActionsCount\"") != std::string::npos;
    if (!truncated) {
      EXPECT_EQ(*GoalsJson(Pointers(parsed), std::nullopt), *GoalsJson(Pointers(*visits), std::nullopt));
    }
  }
}

}  // namespace
}  // namespace metl::sim
