#include "sim/generated_dataset.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "sim/sim_test_util.h"
#include "sim/visit_facts.h"

namespace metl::sim {
namespace {

using testing::TestOptions;

std::unique_ptr<GeneratedDataset> Make(GeneratorOptions o = TestOptions()) {
  auto ds = GeneratedDataset::Create(o);
  EXPECT_TRUE(ds.ok());
  return std::move(ds).value();
}

// A small field reader for tests: the text after "key": up to the next , or } at depth 0.
std::string Field(const std::string& json, const std::string& key) {
  std::string needle = "\"" + key + "\":";
  size_t at = json.find(needle);
  if (at == std::string::npos) return "";
  at += needle.size();
  size_t end = at;
  int depth = 0;
  bool in_string = false;
  for (; end < json.size(); ++end) {
    char c = json[end];
    if (in_string) {
      if (c == '\\') ++end;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') ++depth;
    else if (c == ']' || c == '}') {
      if (depth == 0) break;
      --depth;
    } else if (c == ',' && depth == 0) break;
  }
  return json.substr(at, end - at);
}

std::vector<int64_t> ActionTimestamps(const std::string& json) {
  std::vector<int64_t> out;
  size_t at = 0;
  const std::string needle = "\"timestamp\":";
  while ((at = json.find(needle, at)) != std::string::npos) {
    at += needle.size();
    out.push_back(std::stoll(json.substr(at, 12)));
  }
  return out;
}

TEST(GeneratedDatasetTest, SitesMirrorTheReferenceMatomo) {
  auto ds = Make();
  ASSERT_EQ(ds->Sites().size(), 2u);
  const SimSite& shop = ds->Sites()[0];
  EXPECT_EQ(shop.id, 1);
  EXPECT_EQ(shop.name, "Demo Shop");
  EXPECT_EQ(shop.timezone, "UTC");
  EXPECT_EQ(shop.currency, "EUR");
  EXPECT_TRUE(shop.ecommerce);
  EXPECT_GE(shop.goals.size(), 2u);
  EXPECT_LT(shop.ts_created, "2026-10-25");
  const SimSite& blog = ds->Sites()[1];
  EXPECT_EQ(blog.name, "Demo Blog");
  EXPECT_EQ(blog.timezone, "America/New_York");
  EXPECT_EQ(blog.currency, "USD");
  EXPECT_FALSE(blog.ecommerce);
  ASSERT_NE(blog.tz, nullptr);

  auto opts = TestOptions();
  opts.sites = 5;
  auto five = Make(opts);
  EXPECT_EQ(five->Sites()[2].timezone, "Europe/Berlin");
  EXPECT_EQ(five->Sites()[3].timezone, "Australia/Sydney");
  EXPECT_EQ(five->Sites()[4].timezone, "Asia/Kolkata");
  EXPECT_EQ(five->Sites()[4].currency, "INR");
}

TEST(GeneratedDatasetTest, SameSeedGivesIdenticalBytesAndOtherSeedsDiffer) {
  auto a = Make();
  auto b = Make();
  auto opts = TestOptions();
  opts.seed = 7;
  auto c = Make(opts);
  CivilDate day = CivilDate::FromYmd(2026, 11, 25);
  // b asks for other days first: generation must not depend on order or on other days.
  b->VisitsOfDay(1, day + 1);
  b->VisitsOfDay(2, day);
  auto va = a->VisitsOfDay(1, day), vb = b->VisitsOfDay(1, day), vc = c->VisitsOfDay(1, day);
  ASSERT_EQ(va->size(), vb->size());
  for (size_t i = 0; i < va->size(); ++i) {
    EXPECT_EQ((*va)[i].json, (*vb)[i].json);
    EXPECT_EQ((*va)[i].json_without_actions, (*vb)[i].json_without_actions);
  }
  EXPECT_NE((*va)[0].json, (*vc)[0].json);
  EXPECT_EQ(a->VisitsOfDay(1, day).get(), va.get()) << "cached";
}

TEST(GeneratedDatasetTest, DaysOutsideTheRangeAndUnknownSitesAreEmpty) {
  auto ds = Make();
  EXPECT_TRUE(ds->VisitsOfDay(1, CivilDate::FromYmd(2026, 10, 24))->empty());
  EXPECT_TRUE(ds->VisitsOfDay(1, CivilDate::FromYmd(2026, 12, 1))->empty());
  EXPECT_TRUE(ds->VisitsOfDay(3, CivilDate::FromYmd(2026, 11, 1))->empty());
  EXPECT_FALSE(ds->VisitsOfDay(1, CivilDate::FromYmd(2026, 10, 25))->empty());
  EXPECT_FALSE(ds->VisitsOfDay(1, CivilDate::FromYmd(2026, 11, 30))->empty());
}

TEST(GeneratedDatasetTest, RejectsBadOptions) {
  auto o = TestOptions();
  o.sites = 0;
  EXPECT_FALSE(GeneratedDataset::Create(o).ok());
  o = TestOptions();
  o.to = o.from - 1;
  EXPECT_FALSE(GeneratedDataset::Create(o).ok());
}

TEST(GeneratedDatasetTest, VisitsBelongToTheLocalDayOfTheirLastActionAndNeverSpanMidnight) {
  auto ds = Make();
  for (const SimSite& site : ds->Sites()) {
    for (CivilDate day = CivilDate::FromYmd(2026, 10, 30); day <= CivilDate::FromYmd(2026, 11, 3); ++day) {
      auto visits = ds->VisitsOfDay(site.id, day);
      int64_t prev_last = 0;
      for (const SimVisit& v : *visits) {
        SCOPED_TRACE(v.json.substr(0, 200));
        EXPECT_GE(v.last_action_ts, prev_last) << "ascending by last action";
        prev_last = v.last_action_ts;
        EXPECT_EQ(site.tz->LocalDateOf(v.last_action_ts), day);
        EXPECT_EQ(site.tz->LocalDateOf(v.first_action_ts), day);
        EXPECT_EQ(Field(v.json, "lastActionTimestamp"), std::to_string(v.last_action_ts));
        EXPECT_EQ(Field(v.json, "serverTimestamp"), std::to_string(v.last_action_ts));
        EXPECT_EQ(Field(v.json, "firstActionTimestamp"), std::to_string(v.first_action_ts));
        EXPECT_EQ(Field(v.json, "lastActionDateTime"), "\"" + FormatDateTime(v.last_action_ts) + "\"");
        EXPECT_EQ(Field(v.json, "serverDate"), "\"" + DateOfEpoch(v.last_action_ts).ToString() + "\"");
        EXPECT_EQ(Field(v.json, "visitServerHour"), "\"" + std::to_string(SecondOfDay(v.last_action_ts) / 3600) + "\"");
        EXPECT_EQ(v.visit_duration, v.last_action_ts - v.first_action_ts);
        // Every action's timestamp is a local wall time that maps back into the visit's span.
        for (int64_t local : ActionTimestamps(v.json)) {
          auto cands = site.tz->FromLocal(local);
          ASSERT_GE(cands.count, 1) << "no wall time in a DST gap";
          bool inside = false;
          for (int k = 0; k < cands.count; ++k) {
            inside |= cands.utc[k] >= v.first_action_ts && cands.utc[k] <= v.last_action_ts;
          }
          EXPECT_TRUE(inside) << local;
        }
      }
    }
  }
}

TEST(GeneratedDatasetTest, NewYorkTimestampsAreWallTimeWrittenAsUtc) {
  auto ds = Make();
  auto visits = ds->VisitsOfDay(2, CivilDate::FromYmd(2026, 11, 25));  // EST: UTC-5
  ASSERT_FALSE(visits->empty());
  int checked = 0;
  for (const SimVisit& v : *visits) {
    auto ts = ActionTimestamps(v.json);
    if (ts.empty() || v.json.find("\"ecommerce") != std::string::npos) continue;
    // Without a pre-cart gap the first entry is the first action.
    if (ts.front() + 18000 == v.first_action_ts) ++checked;
  }
  EXPECT_GT(checked, static_cast<int>(visits->size()) * 8 / 10);
  // Evening visits in New York carry the next UTC date in serverDate.
  bool next_utc_day = false;
  for (const SimVisit& v : *visits) next_utc_day |= Field(v.json, "serverDate") == "\"2026-11-26\"";
  EXPECT_TRUE(next_utc_day);
}

TEST(GeneratedDatasetTest, FallBackDayHasTheRepeatedHourAndAVisitWhoseTimestampsGoBackwards) {
  auto ds = Make();
  CivilDate day = CivilDate::FromYmd(2026, 11, 1);
  const SimSite& ny = *ds->FindSite(2);
  EXPECT_EQ(ny.tz->DayEndUtc(day) - ny.tz->DayStartUtc(day), 25 * 3600);
  auto visits = ds->VisitsOfDay(2, day);
  int backwards = 0, first_pass = 0, second_pass = 0;
  const int64_t change = ny.tz->DayStartUtc(day) + 6 * 3600;  // 06:00Z = 02:00 EDT -> 01:00 EST
  for (const SimVisit& v : *visits) {
    auto ts = ActionTimestamps(v.json);
    for (size_t i = 1; i < ts.size(); ++i) backwards += ts[i] < ts[i - 1] ? 1 : 0;
    for (int64_t t = v.first_action_ts; t <= v.last_action_ts; t += 60) {
      if (t >= change - 3600 && t < change) ++first_pass;
      if (t >= change && t < change + 3600) ++second_pass;
    }
  }
  EXPECT_GE(backwards, 1);
  EXPECT_GT(first_pass, 0);
  EXPECT_GT(second_pass, 0);
}

TEST(GeneratedDatasetTest, SpringForwardDayHas23Hours) {
  auto o = TestOptions();
  o.from = CivilDate::FromYmd(2026, 3, 7);
  o.to = CivilDate::FromYmd(2026, 3, 9);
  auto ds = Make(o);
  CivilDate day = CivilDate::FromYmd(2026, 3, 8);
  const SimSite& ny = *ds->FindSite(2);
  EXPECT_EQ(ny.tz->DayEndUtc(day) - ny.tz->DayStartUtc(day), 23 * 3600);
  for (const SimVisit& v : *ds->VisitsOfDay(2, day)) {
    for (int64_t local : ActionTimestamps(v.json)) {
      int64_t sod = SecondOfDay(local);
      EXPECT_FALSE(sod >= 2 * 3600 && sod < 3 * 3600) << "wall time in the gap: " << local;
    }
  }
}

TEST(GeneratedDatasetTest, IdsAreUniqueAcrossSitesDaysAndLateVisitsAndGrowWithTime) {
  auto o = TestOptions();
  o.sites = 3;
  auto ds = Make(o);
  std::set<int64_t> ids;
  size_t total = 0;
  int64_t prev_day_max = 0;
  for (CivilDate day = CivilDate::FromYmd(2026, 11, 20); day <= CivilDate::FromYmd(2026, 11, 24); ++day) {
    int64_t day_min = INT64_MAX, day_max = 0;
    for (int64_t site = 1; site <= 3; ++site) {
      for (bool late : {false, true}) {
        auto visits = late ? ds->LateVisitsOfDay(site, day) : ds->VisitsOfDay(site, day);
        if (late) {
          EXPECT_GE(visits->size(), 1u);
        }
        for (const SimVisit& v : *visits) {
          ids.insert(v.id_visit);
          ++total;
          EXPECT_EQ(Field(v.json, "idVisit"), std::to_string(v.id_visit));
          EXPECT_EQ(Field(v.json, "idSite"), std::to_string(site));
          if (!late) {
            day_min = std::min(day_min, v.id_visit);
            day_max = std::max(day_max, v.id_visit);
          }
        }
      }
    }
    EXPECT_GT(day_min, prev_day_max) << "ids increase from day to day";
    prev_day_max = day_max;
  }
  EXPECT_EQ(ids.size(), total);
}

TEST(GeneratedDatasetTest, LateVisitsAreDeterministicAndOfTheSameDay) {
  auto a = Make();
  auto b = Make();
  CivilDate day = CivilDate::FromYmd(2026, 11, 10);
  auto la = a->LateVisitsOfDay(1, day), lb = b->LateVisitsOfDay(1, day);
  ASSERT_EQ(la->size(), lb->size());
  EXPECT_EQ(la->size(), std::max<size_t>(1, a->VisitsOfDay(1, day)->size() / 100));
  for (size_t i = 0; i < la->size(); ++i) {
    EXPECT_EQ((*la)[i].json, (*lb)[i].json);
    EXPECT_EQ(a->Sites()[0].tz->LocalDateOf((*la)[i].last_action_ts), day);
  }
  EXPECT_TRUE(a->LateVisitsOfDay(1, CivilDate::FromYmd(2027, 1, 1))->empty());
}

// The realism the ETL must cope with: every case appears in a few generated days.
TEST(GeneratedDatasetTest, CoversTheHardCases) {
  auto ds = Make();
  std::map<std::string, std::set<CivilDate>> visitor_days;
  int ties = 0, truncated = 0, zero_actions = 0, continuations = 0, returning_across_days = 0;
  int pre_cart = 0, ping = 0, with_user = 0, orders = 0, carts = 0;
  std::set<std::string> referrers;
  for (CivilDate day = CivilDate::FromYmd(2026, 11, 20); day <= CivilDate::FromYmd(2026, 11, 24); ++day) {
    for (int64_t site = 1; site <= 2; ++site) {
      auto visits = ds->VisitsOfDay(site, day);
      std::map<int64_t, int> per_second;
      for (const SimVisit& v : *visits) {
        ++per_second[v.last_action_ts];
        visitor_days[v.visitor_id].insert(day);
        referrers.insert(Field(v.json, "referrerType"));
        if (v.json.find("\"truncatedActionsCount\":") != std::string::npos) {
          ++truncated;
          EXPECT_GT(v.actions, 500);
          // Counters are from before truncation; the conversions include the cut-off order/goal.
          EXPECT_FALSE(v.conversions.empty());
          EXPECT_EQ(Field(v.json, "actionDetails").find("\"type\":\"ecommerceOrder\""), std::string::npos);
        }
        if (v.actions == 0) ++zero_actions;
        if (SecondOfDay(v.first_action_ts - ds->Sites()[site - 1].tz->DayStartUtc(day)) < 120 &&
            Field(v.json, "visitorType") == "\"returning\"") {
          ++continuations;
        }
        auto ts = ActionTimestamps(v.json);
        int64_t offset = ds->Sites()[site - 1].tz->OffsetAt(v.first_action_ts);
        if (!ts.empty() && ts.front() - offset > v.first_action_ts) ++pre_cart;
        if (!ts.empty() && ts.back() - offset < v.last_action_ts) ++ping;
        with_user += v.user_id.empty() ? 0 : 1;
        for (const auto& c : v.conversions) {
          orders += c.goal_id == 0;
          carts += c.goal_id == -1;
        }
      }
      for (auto& [second, n] : per_second) ties += n > 1;
    }
  }
  for (auto& [visitor, days] : visitor_days) returning_across_days += days.size() > 1;
  EXPECT_GT(ties, 0);
  EXPECT_GT(truncated, 0);
  EXPECT_GT(zero_actions, 0);
  EXPECT_GT(continuations, 0);
  EXPECT_GT(returning_across_days, 10);
  EXPECT_GT(pre_cart, 0);
  EXPECT_GT(ping, 0);
  EXPECT_GT(with_user, 10);
  EXPECT_GT(orders, 5);
  EXPECT_GT(carts, 5);
  EXPECT_EQ(referrers, (std::set<std::string>{"\"direct\"", "\"search\"", "\"website\"", "\"campaign\"",
                                              "\"social\""}));
}

TEST(GeneratedDatasetTest, ContinuationAfterMidnightKeepsTheVisitorOfTheVisitBefore) {
  auto ds = Make();
  CivilDate day = CivilDate::FromYmd(2026, 11, 21);
  const SimSite& site = ds->Sites()[0];
  std::set<std::string> late_visitors;
  for (const SimVisit& v : *ds->VisitsOfDay(1, day - 1)) {
    if (site.tz->DayEndUtc(day - 1) - v.last_action_ts < 60) late_visitors.insert(v.visitor_id);
  }
  int continued = 0;
  for (const SimVisit& v : *ds->VisitsOfDay(1, day)) {
    if (v.first_action_ts - site.tz->DayStartUtc(day) < 120) continued += late_visitors.count(v.visitor_id) ? 1 : 0;
  }
  EXPECT_GE(continued, 1);
}

TEST(GeneratedDatasetTest, JsonWithoutActionsDiffersOnlyInActionDetails) {
  auto ds = Make();
  for (const SimVisit& v : *ds->VisitsOfDay(1, CivilDate::FromYmd(2026, 11, 25))) {
    size_t at = v.json.find("\"actionDetails\":[");
    ASSERT_NE(at, std::string::npos);
    EXPECT_EQ(v.json_without_actions.substr(0, at), v.json.substr(0, at));
    EXPECT_EQ(v.json_without_actions.substr(at, 18), "\"actionDetails\":[]");
    std::string rest = v.json_without_actions.substr(at + 18);
    EXPECT_EQ(v.json.substr(v.json.size() - rest.size()), rest);
  }
}

TEST(GeneratedDatasetTest, CacheStaysBounded) {
  auto o = TestOptions(400);
  o.cache_bytes = 4 << 20;
  auto ds = Make(o);
  for (CivilDate day = CivilDate::FromYmd(2026, 11, 1); day <= CivilDate::FromYmd(2026, 11, 12); ++day) {
    auto visits = ds->VisitsOfDay(1, day);
    EXPECT_FALSE(visits->empty());
  }
  // An evicted day regenerates identically.
  auto again = ds->VisitsOfDay(1, CivilDate::FromYmd(2026, 11, 1));
  auto fresh = Make(o)->VisitsOfDay(1, CivilDate::FromYmd(2026, 11, 1));
  ASSERT_EQ(again->size(), fresh->size());
  EXPECT_EQ(again->back().json, fresh->back().json);
}

}  // namespace
}  // namespace metl::sim

namespace metl::sim {
namespace {

TEST(GeneratedDatasetTest, ConcurrentReadersGetTheSameDay) {
  auto ds = GeneratedDataset::Create(testing::TestOptions(300));
  ASSERT_TRUE(ds.ok());
  const GeneratedDataset& d = **ds;
  CivilDate day = CivilDate::FromYmd(2026, 11, 3);
  std::vector<DayVisits> got(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&, i] { got[i] = d.VisitsOfDay(1 + static_cast<int64_t>(i % 2), day); });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 2; i < got.size(); ++i) {
    ASSERT_EQ(got[i]->size(), got[i - 2]->size());
    for (size_t k = 0; k < got[i]->size(); ++k) EXPECT_EQ((*got[i])[k].json, (*got[i - 2])[k].json);
  }
}

}  // namespace
}  // namespace metl::sim
