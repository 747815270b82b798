#include "normalize/action_times.h"

#include <gtest/gtest.h>

namespace metl {
namespace {

// 2026-11-01, America/New_York: 01:00-02:00 local happens at 05:00-06:00Z (EDT) and 06:00-07:00Z (EST).
class FallBack : public ::testing::Test {
 protected:
  void SetUp() override {
    auto z = TimeZone::Load("America/New_York");
    ASSERT_TRUE(z.ok());
    zone_ = *z;
  }
  static int64_t Wall(int h, int m) { return *ParseTimestamp("2026-11-01 00:00:00") + h * 3600 + m * 60; }
  static int64_t Utc(const char* text) { return *ParseTimestamp(text); }
  std::vector<int64_t> Resolve(std::vector<int64_t> local, const char* first, const char* last) {
    std::vector<int64_t> out;
    ResolveActionTimes(*zone_, local, Utc(first), Utc(last), &out);
    return out;
  }
  std::shared_ptr<const TimeZone> zone_;
};

TEST_F(FallBack, BackwardsWallTimesSwitchToTheSecondOccurrence) {
  auto t = Resolve({Wall(1, 50), Wall(1, 59), Wall(1, 0), Wall(1, 20)}, "2026-11-01 05:50:00", "2026-11-01 06:20:00");
  EXPECT_EQ(t[0], Utc("2026-11-01 05:50:00"));
  EXPECT_EQ(t[1], Utc("2026-11-01 05:59:00"));
  EXPECT_EQ(t[2], Utc("2026-11-01 06:00:00"));
  EXPECT_EQ(t[3], Utc("2026-11-01 06:20:00"));
}

TEST_F(FallBack, TheLowerBoundPicksTheSecondOccurrenceForAWholeVisit) {
  auto t = Resolve({Wall(1, 10), Wall(1, 15)}, "2026-11-01 06:10:00", "2026-11-01 06:15:00");
  EXPECT_EQ(t[0], Utc("2026-11-01 06:10:00"));
  EXPECT_EQ(t[1], Utc("2026-11-01 06:15:00"));
}

TEST_F(FallBack, AVisitInTheFirstOccurrenceStaysThere) {
  auto t = Resolve({Wall(1, 10), Wall(1, 15)}, "2026-11-01 05:10:00", "2026-11-01 05:15:00");
  EXPECT_EQ(t[0], Utc("2026-11-01 05:10:00"));
  EXPECT_EQ(t[1], Utc("2026-11-01 05:15:00"));
}

TEST_F(FallBack, CrossingIntoStandardTimeAfterTheRepeatedHour) {
  auto t = Resolve({Wall(0, 55), Wall(1, 30), Wall(2, 5)}, "2026-11-01 04:55:00", "2026-11-01 07:05:00");
  EXPECT_EQ(t[0], Utc("2026-11-01 04:55:00"));
  EXPECT_EQ(t[1], Utc("2026-11-01 05:30:00"));
  EXPECT_EQ(t[2], Utc("2026-11-01 07:05:00"));
}

TEST_F(FallBack, OrdinaryDaysUseTheOffsetInForce) {
  std::vector<int64_t> out;
  int64_t summer_wall = *ParseTimestamp("2026-07-01 12:00:00");
  ResolveActionTimes(*zone_, {summer_wall}, summer_wall, summer_wall + 86400, &out);
  EXPECT_EQ(out[0], summer_wall + 4 * 3600);
}

}  // namespace
}  // namespace metl
