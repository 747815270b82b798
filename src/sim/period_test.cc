#include "sim/period.h"

#include <gtest/gtest.h>

namespace metl::sim {
namespace {

int64_t At(const char* text) {
  return *ParseTimestamp(text);
}

TEST(SimPeriod, TodayAndYesterdayFollowTheSiteTimeZone) {
  auto utc = TimeZone::Utc();
  auto ny = *TimeZone::Load("America/New_York");
  int64_t now = At("2026-11-27 03:00:00");  // still Nov 26 in New York (EST, UTC-5)
  auto p = *ResolvePeriod("day", "today", *utc, now);
  EXPECT_EQ(p.first.ToString(), "2026-11-27");
  EXPECT_TRUE(p.is_today);
  p = *ResolvePeriod("day", "today", *ny, now);
  EXPECT_EQ(p.first.ToString(), "2026-11-26");
  p = *ResolvePeriod("day", "yesterday", *ny, now);
  EXPECT_EQ(p.first.ToString(), "2026-11-25");
  EXPECT_FALSE(p.is_today);
  p = *ResolvePeriod("day", "2026-11-26", *ny, now);  // an explicit date equal to today counts as today
  EXPECT_TRUE(p.is_today);
  p = *ResolvePeriod("day", "2026-11-27", *ny, now);  // a future day
  EXPECT_FALSE(p.is_today);
}

TEST(SimPeriod, WeeksMonthsRangesAndMultipleDates) {
  auto utc = TimeZone::Utc();
  int64_t now = At("2026-11-27 12:00:00");
  auto p = *ResolvePeriod("week", "2026-11-25", *utc, now);  // a Wednesday
  EXPECT_EQ(p.first.ToString(), "2026-11-23");
  EXPECT_EQ(p.last.ToString(), "2026-11-29");
  p = *ResolvePeriod("month", "2026-02-10", *utc, now);
  EXPECT_EQ(p.first.ToString(), "2026-02-01");
  EXPECT_EQ(p.last.ToString(), "2026-02-28");
  p = *ResolvePeriod("range", "2026-11-01,yesterday", *utc, now);
  EXPECT_EQ(p.kind, PeriodKind::kRange);
  EXPECT_EQ(p.last.ToString(), "2026-11-26");
  p = *ResolvePeriod("day", "2026-11-20,2026-11-22", *utc, now);
  EXPECT_TRUE(p.multiple_days);
  p = *ResolvePeriod("day", "last3", *utc, now);
  EXPECT_EQ(p.first.ToString(), "2026-11-25");
  EXPECT_EQ(p.last.ToString(), "2026-11-27");
}

TEST(SimPeriod, MatomoErrorMessages) {
  auto utc = TimeZone::Utc();
  auto bad_period = ResolvePeriod("fortnight", "today", *utc, 0);
  ASSERT_FALSE(bad_period.ok());
  EXPECT_EQ(bad_period.error().message(),
            "The period 'fortnight' is not supported. Try any of the following instead: day, week, month, year, range");
  auto bad_date = ResolvePeriod("day", "2026-13-01", *utc, 0);
  ASSERT_FALSE(bad_date.ok());
  EXPECT_EQ(bad_date.error().message(), BadDateMessage());
  EXPECT_FALSE(ResolvePeriod("range", "2026-11-02", *utc, 0).ok());
  EXPECT_FALSE(ResolvePeriod("range", "2026-11-02,2026-11-01", *utc, 0).ok());
}

TEST(SimPeriod, DstDaysHave23And25Hours) {
  auto ny = *TimeZone::Load("America/New_York");
  CivilDate fall_back = *CivilDate::Parse("2026-11-01");
  EXPECT_EQ(ny->DayEndUtc(fall_back) - ny->DayStartUtc(fall_back), 25 * 3600);
  CivilDate spring = *CivilDate::Parse("2026-03-08");
  EXPECT_EQ(ny->DayEndUtc(spring) - ny->DayStartUtc(spring), 23 * 3600);
}

}  // namespace
}  // namespace metl::sim
