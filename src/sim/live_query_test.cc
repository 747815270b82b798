#include "sim/live_query.h"

#include <gtest/gtest.h>

#include <set>

#include "sim/fake_dataset_for_test.h"

namespace metl::sim {
namespace {

using fake::FakeDataset;

int64_t At(const char* text) {
  return *ParseTimestamp(text);
}

class LiveQueryTest : public ::testing::Test {
 protected:
  std::vector<int64_t> Ids(const std::string& query, const char* period = "day", const char* date = "2026-11-25",
                           int64_t site = 1, uint64_t rng_seed = 1) {
    ApiRequest req = ParseApiRequest("POST", "/?" + query, "");
    const SimSite& s = *data.FindSite(site);
    auto p = ResolvePeriod(period, date, *s.tz, now);
    EXPECT_TRUE(p.ok());
    std::mt19937_64 rng(rng_seed);
    DaySource source = [&](CivilDate day, VisitList& out) {
      DayVisits v = data.VisitsOfDay(site, day);
      for (const auto& x : *v) out.visits.push_back(&x);
      out.keep_alive.push_back(v);
    };
    VisitList list = SelectLiveVisits(source, *p, ParseLivePaging(req), now, rng);
    std::vector<int64_t> ids;
    for (const SimVisit* v : list.visits) ids.push_back(v->id_visit);
    return ids;
  }
  FakeDataset data;
  int64_t now = At("2026-11-27 12:00:00");
};

TEST_F(LiveQueryTest, OrdersDescByDefaultAndAscOnRequest) {
  for (int i = 1; i <= 5; ++i) data.Add(1, i, At("2026-11-25 10:00:00") + i * 60);
  EXPECT_EQ(Ids(""), (std::vector<int64_t>{5, 4, 3, 2, 1}));
  EXPECT_EQ(Ids("filter_sort_order=asc"), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(Ids("filter_sort_order=desc&filter_sort_column=idVisit"), (std::vector<int64_t>{5, 4, 3, 2, 1}));
}

TEST_F(LiveQueryTest, LimitsAndOffsets) {
  for (int i = 1; i <= 150; ++i) data.Add(1, i, At("2026-11-25 00:00:00") + i * 60);
  EXPECT_EQ(Ids("").size(), 100u);  // default limit
  EXPECT_EQ(Ids("filter_limit=-1").size(), 150u);
  EXPECT_TRUE(Ids("filter_limit=0").empty());
  EXPECT_EQ(Ids("filter_limit=10&filter_offset=145&filter_sort_order=asc"),
            (std::vector<int64_t>{146, 147, 148, 149, 150}));
  EXPECT_TRUE(Ids("filter_offset=150").empty());
  EXPECT_EQ(Ids("filter_limit=2&filter_offset=-5&filter_sort_order=asc"), (std::vector<int64_t>{1, 2}));
  // countVisitorsToFetch overrides both, offset forced to 0.
  EXPECT_EQ(Ids("countVisitorsToFetch=3&filter_limit=50&filter_offset=20"), (std::vector<int64_t>{150, 149, 148}));
}

TEST_F(LiveQueryTest, MinTimestampIsStrict) {
  int64_t base = At("2026-11-25 10:00:00");
  for (int i = 1; i <= 5; ++i) data.Add(1, i, base + i);
  EXPECT_EQ(Ids("minTimestamp=" + std::to_string(base + 3) + "&filter_sort_order=asc"), (std::vector<int64_t>{4, 5}));
}

TEST_F(LiveQueryTest, TiesComeInADifferentOrderPerRequest) {
  int64_t t = At("2026-11-25 10:00:00");
  data.Add(1, 1, t - 10);
  for (int i = 2; i <= 9; ++i) data.Add(1, i, t);
  data.Add(1, 10, t + 10);
  std::set<std::vector<int64_t>> orders;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    auto ids = Ids("filter_sort_order=asc", "day", "2026-11-25", 1, seed);
    ASSERT_EQ(ids.size(), 10u);
    EXPECT_EQ(ids.front(), 1);  // ties shuffle only among themselves
    EXPECT_EQ(ids.back(), 10);
    orders.insert(ids);
  }
  EXPECT_GT(orders.size(), 10u);
}

TEST_F(LiveQueryTest, TodayAlsoReturnsYesterdayAndHidesTheFuture) {
  now = At("2026-11-27 12:00:00");
  data.Add(1, 1, At("2026-11-25 23:00:00"));
  data.Add(1, 2, At("2026-11-26 08:00:00"));
  data.Add(1, 3, At("2026-11-27 09:00:00"));
  data.Add(1, 4, At("2026-11-27 13:00:00"));  // after "now"
  EXPECT_EQ(Ids("", "day", "today"), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(Ids("", "day", "2026-11-27"), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(Ids("", "day", "yesterday"), (std::vector<int64_t>{2}));
  EXPECT_TRUE(Ids("", "day", "2026-11-28").empty());
}

TEST_F(LiveQueryTest, SiteLocalDaysIncludingDstFallBack) {
  // New York, 2026-11-01 has 25 hours: 04:00Z to 05:00Z next day.
  data.Add(2, 1, At("2026-11-01 03:59:59"));  // Oct 31 local
  data.Add(2, 2, At("2026-11-01 04:00:00"));  // first second of Nov 1
  data.Add(2, 3, At("2026-11-01 05:30:00"));  // 01:30 EDT
  data.Add(2, 4, At("2026-11-01 06:30:00"));  // 01:30 EST (the repeated hour)
  data.Add(2, 5, At("2026-11-02 04:59:59"));  // 23:59:59 EST, still Nov 1
  data.Add(2, 6, At("2026-11-02 05:00:00"));  // Nov 2
  EXPECT_EQ(Ids("filter_sort_order=asc", "day", "2026-11-01", 2), (std::vector<int64_t>{2, 3, 4, 5}));
  EXPECT_EQ(Ids("filter_sort_order=asc", "day", "2026-10-31", 2), (std::vector<int64_t>{1}));
}

TEST_F(LiveQueryTest, OffsetsOverRangesReturnWrongPagesLikeMatomo) {
  // 7 days x 20 visits; desc: the first window is the last day only.
  for (int d = 0; d < 7; ++d) {
    for (int i = 0; i < 20; ++i) data.Add(1, d * 100 + i, At("2026-11-10 00:00:00") + d * 86400 + i * 60);
  }
  auto all = Ids("filter_limit=-1", "range", "2026-11-10,2026-11-16");
  EXPECT_EQ(all.size(), 140u);
  // Correct paging would give visits 30..39 of the range; Matomo applies the offset inside the
  // 7-day window after finding nothing in the 1-day window, so it skips the first day entirely.
  auto page = Ids("filter_limit=10&filter_offset=30", "range", "2026-11-10,2026-11-16");
  ASSERT_EQ(page.size(), 10u);
  EXPECT_NE(page, std::vector<int64_t>(all.begin() + 30, all.begin() + 40));
  EXPECT_EQ(page, std::vector<int64_t>(all.begin() + 50, all.begin() + 60));
  // A deep offset returns a short page: the 6-day window has 120 visits.
  EXPECT_EQ(Ids("filter_limit=100&filter_offset=100", "range", "2026-11-10,2026-11-16").size(), 20u);
  EXPECT_TRUE(Ids("filter_limit=100&filter_offset=130", "range", "2026-11-10,2026-11-16").empty());
  // Offset 0 pages are right.
  auto first = Ids("filter_limit=30", "range", "2026-11-10,2026-11-16");
  EXPECT_EQ(first, std::vector<int64_t>(all.begin(), all.begin() + 30));
}

}  // namespace
}  // namespace metl::sim
