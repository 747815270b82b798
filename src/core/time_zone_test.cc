#include "core/time_zone.h"

#include <gtest/gtest.h>

namespace metl {
namespace {

TEST(CivilDate, RoundTripsAndSteps) {
  auto d = CivilDate::Parse("2026-11-01");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->ToString(), "2026-11-01");
  EXPECT_EQ((*d + 30).ToString(), "2026-12-01");
  EXPECT_EQ((*d - 1).ToString(), "2026-10-31");
  EXPECT_EQ(d->Compact(), "20261101");
  EXPECT_FALSE(CivilDate::Parse("2026-02-29").ok());
  EXPECT_FALSE(CivilDate::Parse("2026-1-01").ok());
  EXPECT_TRUE(CivilDate::Parse("2024-02-29").ok());
}

TEST(ParseTimestamp, AcceptsTheDocumentedForms) {
  EXPECT_EQ(*ParseTimestamp("1970-01-02"), 86400);
  EXPECT_EQ(*ParseTimestamp("2026-11-25 23:19:02"), 1795648742);
  EXPECT_EQ(*ParseTimestamp("2026-11-25T23:19:02Z"), 1795648742);
  EXPECT_EQ(*ParseTimestamp("1795648742"), 1795648742);
  EXPECT_FALSE(ParseTimestamp("yesterday").ok());
}

TEST(TimeZone, NewYorkOffsetsFollowDst) {
  auto ny = TimeZone::Load("America/New_York");
  ASSERT_TRUE(ny.ok()) << ny.error().ToString();
  // 2026-07-01 12:00Z is EDT, 2026-12-01 12:00Z is EST.
  EXPECT_EQ((*ny)->OffsetAt(*ParseTimestamp("2026-07-01 12:00:00")), -4 * 3600);
  EXPECT_EQ((*ny)->OffsetAt(*ParseTimestamp("2026-12-01 12:00:00")), -5 * 3600);
  // Far beyond the file's listed transitions the POSIX rule takes over.
  EXPECT_EQ((*ny)->OffsetAt(*ParseTimestamp("2045-07-01 12:00:00")), -4 * 3600);
  EXPECT_EQ((*ny)->OffsetAt(*ParseTimestamp("2045-12-01 12:00:00")), -5 * 3600);
}

TEST(TimeZone, FallBackDayHas25HoursAndAmbiguousWallTimes) {
  auto ny = *TimeZone::Load("America/New_York");
  CivilDate day = *CivilDate::Parse("2026-11-01");
  // MATOMO-API.md: 2026-11-01 in New York runs from 04:00Z to 05:00Z the next day.
  EXPECT_EQ(ny->DayStartUtc(day), *ParseTimestamp("2026-11-01 04:00:00"));
  EXPECT_EQ(ny->DayEndUtc(day), *ParseTimestamp("2026-11-02 05:00:00"));
  auto c = ny->FromLocal(*ParseTimestamp("2026-11-01 01:30:00"));
  ASSERT_EQ(c.count, 2);
  EXPECT_EQ(c.utc[0], *ParseTimestamp("2026-11-01 05:30:00"));
  EXPECT_EQ(c.utc[1], *ParseTimestamp("2026-11-01 06:30:00"));
}

TEST(TimeZone, SpringForwardDayHas23HoursAndAGap) {
  auto ny = *TimeZone::Load("America/New_York");
  CivilDate day = *CivilDate::Parse("2026-03-08");
  EXPECT_EQ(ny->DayEndUtc(day) - ny->DayStartUtc(day), 23 * 3600);
  EXPECT_EQ(ny->FromLocal(*ParseTimestamp("2026-03-08 02:30:00")).count, 0);
  EXPECT_EQ(ny->FromLocalEarliest(*ParseTimestamp("2026-03-08 02:30:00")), *ParseTimestamp("2026-03-08 07:30:00"));
}

TEST(TimeZone, FixedOffsetsAndUnknownNames) {
  auto z = TimeZone::Load("UTC+5.5");
  ASSERT_TRUE(z.ok());
  EXPECT_EQ((*z)->OffsetAt(0), 19800);
  auto bad = TimeZone::Load("Mars/Olympus_Mons");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().ToString().find("unknown time zone"), std::string::npos);
}

}  // namespace
}  // namespace metl
