#include "sim/visit_facts.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "sim/generated_dataset.h"
#include "sim/sim_test_util.h"

namespace metl::sim {
namespace {

using testing::ReadFile;
using testing::ReferenceDir;

// Splits a top-level JSON array of visits into the raw text of each visit.
std::vector<std::string> SplitVisits(const std::string& array_json) {
  std::vector<std::string> out;
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(array_json);
  for (simdjson::dom::element v : doc.get_array()) out.push_back(simdjson::minify(v));
  return out;
}

TEST(VisitFactsTest, DescribesARealShopVisit) {
  auto visits = SplitVisits(ReadFile(ReferenceDir() + "/live_site1_day_limit100_offset0.json"));
  ASSERT_EQ(visits.size(), 100u);
  auto v = DescribeVisit(visits[0]);
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(v->id_visit, 1827);
  EXPECT_EQ(v->first_action_ts, 1795648128);
  EXPECT_EQ(v->last_action_ts, 1795648742);
  EXPECT_EQ(v->visitor_id, "fe281cf02c12e984");
  EXPECT_EQ(v->actions, 8);
  EXPECT_EQ(v->visit_duration, 615);
  EXPECT_TRUE(v->converted);
  EXPECT_EQ(v->pageviews, 6);
  EXPECT_EQ(v->events, 1);
  EXPECT_EQ(v->searches, 1);
  ASSERT_EQ(v->conversions.size(), 1u);
  EXPECT_EQ(v->conversions[0].goal_id, 0);
  EXPECT_EQ(v->conversions[0].revenue, "76.33");
  EXPECT_EQ(v->conversions[0].items, 2);
  EXPECT_NE(v->json_without_actions.find("\"actionDetails\":[],\"goalConversions\""), std::string::npos);
  EXPECT_EQ(v->json, visits[0]);
}

TEST(VisitFactsTest, AcceptsEveryReferenceVisit) {
  for (const char* file : {"live_site1_day_limit100_offset0.json", "live_site2_newyork_day_limit100_offset0.json",
                           "live_site1_limit5_doNotFetchActions.json"}) {
    int64_t users = 0, goals = 0, carts = 0;
    for (const std::string& raw : SplitVisits(ReadFile(ReferenceDir() + "/" + file))) {
      auto v = DescribeVisit(raw);
      ASSERT_TRUE(v.ok()) << file << ": " << v.error().ToString();
      EXPECT_GT(v->id_visit, 0);
      EXPECT_EQ(v->visitor_id.size(), 16u);
      EXPECT_LE(v->first_action_ts, v->last_action_ts);
      users += v->user_id.empty() ? 0 : 1;
      for (const auto& c : v->conversions) {
        goals += c.goal_id > 0;
        carts += c.goal_id == -1;
      }
      if (std::string(file).find("doNotFetch") == std::string::npos) {
        // Counter consistency of real data: actions = pageviews+downloads+outlinks+searches+events.
        EXPECT_EQ(v->actions, v->pageviews + v->downloads + v->outlinks + v->searches + v->events);
      }
    }
    if (std::string(file).find("limit100") != std::string::npos) {
      EXPECT_GT(users, 0) << file;
      EXPECT_GT(goals, 0) << file;
    }
  }
}

TEST(VisitFactsTest, CoercesLooseTypes) {
  auto v = DescribeVisit(
      R"({"idVisit":"12","visitorId":false,"userId":null,"actions":"3","visitDuration":2.0,"visitConverted":"1",)"
      R"("firstActionTimestamp":"100","lastActionTimestamp":102,"unknownField":{"x":[1,2]},"actionDetails":[)"
      R"({"type":"action","url":"https://a/"},{"type":13},{"type":"goal","goalId":"2","revenue":"1.50"},)"
      R"({"type":"ecommerceOrder","revenue":10,"items":"2"},{"type":"ecommerceAbandonedCart","revenue":3.3,"items":1}]})");
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(v->id_visit, 12);
  EXPECT_EQ(v->visitor_id, "");
  EXPECT_EQ(v->actions, 3);
  EXPECT_EQ(v->visit_duration, 2);
  EXPECT_TRUE(v->converted);
  EXPECT_EQ(v->pageviews, 1);
  ASSERT_EQ(v->conversions.size(), 3u);
  EXPECT_EQ(v->conversions[0].goal_id, 2);
  EXPECT_EQ(v->conversions[0].revenue, "1.50");
  EXPECT_EQ(v->conversions[1].goal_id, 0);
  EXPECT_EQ(v->conversions[1].revenue, "10");
  EXPECT_EQ(v->conversions[1].items, 2);
  EXPECT_EQ(v->conversions[2].goal_id, -1);
  EXPECT_EQ(v->conversions[2].revenue, "3.3");
}

TEST(VisitFactsTest, RejectsBrokenJson) {
  EXPECT_FALSE(DescribeVisit("{\"idVisit\":1,").ok());
  EXPECT_FALSE(DescribeVisit("[]").ok());
  EXPECT_FALSE(DescribeVisit("{\"actions\":1}").ok());  // no idVisit
}

// The generator fills SimVisit directly; parsing its JSON must give the same facts. The exception
// is a truncated visit: its cut-off entries are missing from the JSON, while the generator (like
// Matomo's Goals.get / Actions.get) still counts them.
TEST(VisitFactsTest, AgreesWithTheGeneratorsOwnFacts) {
  auto ds = GeneratedDataset::Create(testing::TestOptions(120));
  ASSERT_TRUE(ds.ok());
  int compared = 0, truncated = 0;
  for (int64_t site = 1; site <= 2; ++site) {
    for (CivilDate day = CivilDate::FromYmd(2026, 10, 31); day <= CivilDate::FromYmd(2026, 11, 2); ++day) {
      for (const SimVisit& g : *(*ds)->VisitsOfDay(site, day)) {
        auto p = DescribeVisit(g.json);
        ASSERT_TRUE(p.ok()) << p.error().ToString();
        EXPECT_EQ(p->id_visit, g.id_visit);
        EXPECT_EQ(p->first_action_ts, g.first_action_ts);
        EXPECT_EQ(p->last_action_ts, g.last_action_ts);
        EXPECT_EQ(p->visitor_id, g.visitor_id);
        EXPECT_EQ(p->user_id, g.user_id);
        EXPECT_EQ(p->actions, g.actions);
        EXPECT_EQ(p->visit_duration, g.visit_duration);
        EXPECT_EQ(p->converted, g.converted);
        EXPECT_EQ(p->json_without_actions, g.json_without_actions);
        if (g.json.find("\"truncatedActionsCount\"") != std::string::npos) {
          ++truncated;
          EXPECT_LE(p->pageviews, g.pageviews);
          EXPECT_LT(p->conversions.size(), g.conversions.size());
          continue;
        }
        ++compared;
        EXPECT_EQ(p->pageviews, g.pageviews);
        EXPECT_EQ(p->downloads, g.downloads);
        EXPECT_EQ(p->outlinks, g.outlinks);
        EXPECT_EQ(p->searches, g.searches);
        EXPECT_EQ(p->events, g.events);
        EXPECT_EQ(p->uniq_pageviews, g.uniq_pageviews);
        EXPECT_EQ(p->uniq_downloads, g.uniq_downloads);
        EXPECT_EQ(p->uniq_outlinks, g.uniq_outlinks);
        EXPECT_EQ(p->search_keywords, g.search_keywords);
        ASSERT_EQ(p->conversions.size(), g.conversions.size());
        for (size_t i = 0; i < g.conversions.size(); ++i) {
          EXPECT_EQ(p->conversions[i].goal_id, g.conversions[i].goal_id);
          EXPECT_EQ(p->conversions[i].revenue, g.conversions[i].revenue);
          EXPECT_EQ(p->conversions[i].items, g.conversions[i].items);
        }
      }
    }
  }
  EXPECT_GT(compared, 500);
  EXPECT_GT(truncated, 0);
}

}  // namespace
}  // namespace metl::sim
