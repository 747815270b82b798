// Money in verify is compared in cents parsed exactly: a day's revenue past 9.2e12 (micro-units in
// an int64) or past a double's 15-16 digits must neither overflow nor drift.
#include "models/reconcile.h"

#include <gtest/gtest.h>

namespace metl::models {
namespace {

TEST(MoneyTextToCents, PlainDecimalsAreExactAndRoundHalfAwayFromZero) {
  EXPECT_EQ(MoneyTextToCents("0"), 0);
  EXPECT_EQ(MoneyTextToCents("12"), 1200);
  EXPECT_EQ(MoneyTextToCents("12.3"), 1230);
  EXPECT_EQ(MoneyTextToCents("12.34"), 1234);
  EXPECT_EQ(MoneyTextToCents("12.345"), 1235);
  EXPECT_EQ(MoneyTextToCents("12.344999"), 1234);
  EXPECT_EQ(MoneyTextToCents("-12.345"), -1235);
  EXPECT_EQ(MoneyTextToCents(".5"), 50);
  EXPECT_EQ(MoneyTextToCents("2000123456789.123455"), 200012345678912);
  // 9.2e16 units is the int64 limit in cents; a 38-digit sum saturates instead of wrapping.
  EXPECT_EQ(MoneyTextToCents("12345678901234567.89"), 1234567890123456789);
  EXPECT_EQ(MoneyTextToCents("99999999999999999999999999999999.999999"), INT64_MAX);
  EXPECT_EQ(MoneyTextToCents("1e3"), 100000);
  EXPECT_EQ(MoneyTextToCents("1.5E+13"), 1500000000000000);
}

TEST(MoneyTextToCents, NotANumberIsNullopt) {
  EXPECT_EQ(MoneyTextToCents(""), std::nullopt);
  EXPECT_EQ(MoneyTextToCents("-"), std::nullopt);
  EXPECT_EQ(MoneyTextToCents("26%"), std::nullopt);
  EXPECT_EQ(MoneyTextToCents("1.2.3"), std::nullopt);
  EXPECT_EQ(MoneyTextToCents("nan"), std::nullopt);
}

TEST(ParseDailyAggregates, RevenuePastTenToTheTwelveIsKeptInCents) {
  auto r = ParseDailyAggregates(
      R"({"2026-11-25":{"nb_conversions":3,"revenue":20001234567891.5},"2026-11-26":{"revenue":"15000000000000.25"},)"
      R"("2026-11-27":{"revenue":7,"conversion_rate":"26%"},"2026-11-28":[]})");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->at("2026-11-25").at("revenue"), 2000123456789150);
  EXPECT_EQ(r->at("2026-11-25").at("nb_conversions"), 3);
  EXPECT_EQ(r->at("2026-11-26").at("revenue"), 1500000000000025);
  EXPECT_EQ(r->at("2026-11-27").at("revenue"), 700);
  EXPECT_EQ(r->at("2026-11-27").count("conversion_rate"), 0u);
  EXPECT_TRUE(r->at("2026-11-28").empty());
}

TEST(Reconcile, EqualCentsAreNoDifferenceAndOneCentIs) {
  DayFigures d;
  d.site_id = 1;
  d.warehouse = {{"revenue", *MoneyTextToCents("2000123456789.123455")}, {"nb_visits", 5}};
  d.matomo = {{"revenue", 200012345678912}, {"nb_visits", 5}};
  EXPECT_TRUE(Reconcile({d}).empty());
  d.matomo["revenue"] += 1;
  auto diffs = Reconcile({d});
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0].metric, "revenue");
}

}  // namespace
}  // namespace metl::models
