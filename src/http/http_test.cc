#include <gtest/gtest.h>

#include "http/fake_transport.h"
#include "http/rate_limiter.h"
#include "http/resumable_upload.h"
#include "http/retry_policy.h"

namespace metl::http {
namespace {

TEST(HttpRetryPolicy, RetriesTransientOnlyAndGivesUp) {
  RetryOptions o;
  o.max_retries = 3;
  RetryPolicy policy(o, 42);
  std::vector<double> sleeps;
  policy.set_sleep_for_test([&](double s) { sleeps.push_back(s); });
  int calls = 0;
  auto r = policy.Run<int>([&](std::optional<double>&) -> Result<int> {
    ++calls;
    return Error(ErrorKind::kTransient, "boom");
  });
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(calls, 4);
  EXPECT_NE(r.error().message().find("gave up after 3 retries"), std::string::npos);
  ASSERT_EQ(sleeps.size(), 3u);
  EXPECT_GE(sleeps[0], 0.25);
  EXPECT_LE(sleeps[0], 0.5);
  EXPECT_GE(sleeps[2], 1.0);  // backs off: at least half of 0.5 * 2^2

  calls = 0;
  r = policy.Run<int>([&](std::optional<double>&) -> Result<int> {
    ++calls;
    return Error(ErrorKind::kTerminal, "no");
  });
  EXPECT_EQ(calls, 1);

  calls = 0;
  sleeps.clear();
  r = policy.Run<int>([&](std::optional<double>& retry_after) -> Result<int> {
    if (++calls == 1) {
      retry_after = 7;
      return Error(ErrorKind::kTransient, "429");
    }
    return 5;
  });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 5);
  ASSERT_EQ(sleeps.size(), 1u);
  EXPECT_GE(sleeps[0], 7.0);  // Retry-After honoured
  EXPECT_LE(sleeps[0], 7.2);
}

TEST(HttpRetryPolicy, TooLongRetryAfterFails) {
  RetryOptions o;
  o.max_retry_after_s = 60;
  RetryPolicy policy(o, 1);
  EXPECT_FALSE(policy.Delay(1, 3600.0).has_value());
  EXPECT_TRUE(policy.Delay(1, 30.0).has_value());
  EXPECT_FALSE(policy.Delay(o.max_retries + 1, std::nullopt).has_value());
}

TEST(HttpRateLimiter, SpacesRequestsAndAllowsBursts) {
  RateLimiter strict(60, 1, 0);  // one per second
  EXPECT_DOUBLE_EQ(strict.Reserve(100), 0);
  EXPECT_DOUBLE_EQ(strict.Reserve(100), 1);
  EXPECT_DOUBLE_EQ(strict.Reserve(100), 2);
  EXPECT_DOUBLE_EQ(strict.Reserve(110), 0);  // idle time does not accumulate beyond the burst
  EXPECT_DOUBLE_EQ(strict.Reserve(110), 1);

  RateLimiter bursty(60, 3, 0);
  EXPECT_DOUBLE_EQ(bursty.Reserve(0), 0);
  EXPECT_DOUBLE_EQ(bursty.Reserve(0), 0);
  EXPECT_DOUBLE_EQ(bursty.Reserve(0), 0);
  EXPECT_DOUBLE_EQ(bursty.Reserve(0), 1);

  // Over any 60 s, a 200/min limiter with its margin starts at most 200 requests.
  RateLimiter cloud(200);
  std::vector<double> starts;
  for (int i = 0; i < 400; ++i) starts.push_back(cloud.Reserve(0));
  for (size_t i = 200; i < starts.size(); ++i) EXPECT_GT(starts[i] - starts[i - 200], 60.0);
}

TEST(HttpFakeTransport, ParsesForms) {
  auto f = ParseForm("a=1&token_auth=x%20y&e=");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[1].second, "x y");
  EXPECT_EQ(FormEncode("a b&c"), "a%20b%26c");
}

// A resumable upload's session URI receives the bearer token with every chunk: only on the endpoint's
// own origin, or for Google's endpoint on another https://*.googleapis.com host.
TEST(ResumableUpload, TheTokenGoesOnlyToATrustedSessionUri) {
  EXPECT_TRUE(TrustedSessionUri("http://127.0.0.1:8080", "http://127.0.0.1:8080/upload/x?upload_id=1"));
  EXPECT_TRUE(TrustedSessionUri("http://127.0.0.1:8080/", "http://127.0.0.1:8080/upload/x?upload_id=1"));
  EXPECT_FALSE(TrustedSessionUri("http://127.0.0.1:80", "http://127.0.0.1:8080/upload/x"));
  EXPECT_FALSE(TrustedSessionUri("http://127.0.0.1:8080", "http://evil.example/upload/x"));
  EXPECT_TRUE(TrustedSessionUri("https://bigquery.googleapis.com", "https://www.googleapis.com/upload/bigquery/v2/x"));
  EXPECT_FALSE(TrustedSessionUri("https://bigquery.googleapis.com", "http://www.googleapis.com/upload/x"));
  EXPECT_FALSE(TrustedSessionUri("https://bigquery.googleapis.com", "https://googleapis.com.evil.example/upload"));
  EXPECT_FALSE(TrustedSessionUri("https://bigquery.googleapis.com", "https://www.googleapis.com@evil.example/x"));
  EXPECT_FALSE(TrustedSessionUri("http://127.0.0.1:8080", "https://www.googleapis.com/upload/x"));
}

}  // namespace
}  // namespace metl::http
