#include "sim/faults.h"

#include <gtest/gtest.h>

namespace metl::sim {
namespace {

TEST(FaultSpec, ParsesRatesAndSchedules) {
  EXPECT_FALSE(FaultSpec::Parse("")->active());
  EXPECT_FALSE(FaultSpec::Parse("0")->active());
  EXPECT_EQ(FaultSpec::Parse("0.5")->mode, FaultSpec::Mode::kProbability);
  EXPECT_EQ(FaultSpec::Parse("every:3")->n, 3u);
  EXPECT_EQ(FaultSpec::Parse("first:2")->mode, FaultSpec::Mode::kFirst);
  EXPECT_FALSE(FaultSpec::Parse("1.5").ok());
  EXPECT_FALSE(FaultSpec::Parse("every:0").ok());
  EXPECT_FALSE(FaultSpec::Parse("often").ok());
}

TEST(FaultSpec, SchedulesAreDeterministic) {
  auto every = *FaultSpec::Parse("every:3");
  EXPECT_FALSE(every.Fires(1, 1, 1));
  EXPECT_TRUE(every.Fires(1, 1, 3));
  EXPECT_TRUE(every.Fires(1, 1, 6));
  auto first = *FaultSpec::Parse("first:2");
  EXPECT_TRUE(first.Fires(1, 1, 2));
  EXPECT_FALSE(first.Fires(1, 1, 3));
  auto p = *FaultSpec::Parse("0.3");
  int fired = 0;
  for (uint64_t i = 1; i <= 10000; ++i) {
    EXPECT_EQ(p.Fires(7, 1, i), p.Fires(7, 1, i));  // same seed, same answer
    fired += p.Fires(7, 1, i) ? 1 : 0;
  }
  EXPECT_NEAR(fired, 3000, 200);
  int differ = 0;
  for (uint64_t i = 1; i <= 1000; ++i) differ += p.Fires(7, 1, i) != p.Fires(8, 1, i) ? 1 : 0;
  EXPECT_GT(differ, 100);  // another seed, other calls
}

TEST(FaultInjector, RateLimitSlidesOverAMinute) {
  FaultOptions o;
  o.rate_limit_per_min = 3;
  FaultInjector f(o, 1);
  EXPECT_EQ(f.Decide(1, 1, 100.0).kind, FaultKind::kNone);
  EXPECT_EQ(f.Decide(2, 1, 110.0).kind, FaultKind::kNone);
  EXPECT_EQ(f.Decide(3, 1, 120.0).kind, FaultKind::kNone);
  auto r = f.Decide(4, 1, 130.0);
  EXPECT_EQ(r.kind, FaultKind::kRateLimit);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.retry_after, 30);  // the call at 100 s leaves the window at 160 s
  EXPECT_EQ(f.Decide(5, 1, 160.5).kind, FaultKind::kNone);
}

TEST(FaultInjector, ConcurrencyAndErrorPages) {
  FaultOptions o;
  o.max_concurrent = 2;
  o.fail_5xx = *FaultSpec::Parse("every:2");
  o.php_fatal = *FaultSpec::Parse("every:3");
  o.random_errors = *FaultSpec::Parse("every:5");
  o.query_timeout_above = 500;
  FaultInjector f(o, 1);
  EXPECT_EQ(f.Decide(1, 3, 0).kind, FaultKind::kConcurrency);
  EXPECT_EQ(f.Decide(1, 2, 0).kind, FaultKind::kNone);
  auto r = f.Decide(2, 1, 0);
  EXPECT_EQ(r.kind, FaultKind::kFail5xx);
  EXPECT_GE(r.status, 500);
  EXPECT_LE(r.status, 504);
  EXPECT_NE(r.body.find("<html>"), std::string::npos);
  r = f.Decide(3, 1, 0);
  EXPECT_EQ(r.kind, FaultKind::kPhpFatal);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Fatal error"), std::string::npos);
  EXPECT_EQ(f.Decide(5, 1, 0).kind, FaultKind::kRandomError);
  EXPECT_TRUE(f.QueryTimesOut(-1));
  EXPECT_TRUE(f.QueryTimesOut(501));
  EXPECT_FALSE(f.QueryTimesOut(500));
  o.latency_ms = 5;
  o.latency_per_visit_ms = 0.5;
  EXPECT_DOUBLE_EQ(FaultInjector(o, 1).LatencyMs(100), 55.0);
}

TEST(FaultInjector, InvalidUtf8IsPerVisitAndKeepsTheJsonWellFormed) {
  FaultOptions o;
  o.invalid_utf8 = *FaultSpec::Parse("every:3");
  FaultInjector f(o, 1);
  EXPECT_TRUE(f.CorruptsVisit(6));
  EXPECT_FALSE(f.CorruptsVisit(7));
  EXPECT_FALSE(FaultInjector(FaultOptions{}, 1).CorruptsVisit(6));

  int64_t inserted = 0;
  std::string visit = R"({"idVisit":6,"actionDetails":[{"pageTitle":"Home","url":"\"pageTitle\":\"x"},)"
                      R"({"pageTitle":null},{"pageTitle":""}]})";
  EXPECT_EQ(InsertInvalidUtf8(visit, inserted),
            "{\"idVisit\":6,\"actionDetails\":[{\"pageTitle\":\"\xE9Home\",\"url\":\"\\\"pageTitle\\\":\\\"x\"},"
            "{\"pageTitle\":null},{\"pageTitle\":\"\xE9\"}]}");
  EXPECT_EQ(inserted, 2);
  EXPECT_EQ(InsertInvalidUtf8("{}", inserted), "{}");
  EXPECT_EQ(inserted, 0);
}

}  // namespace
}  // namespace metl::sim
