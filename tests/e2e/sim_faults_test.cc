// matomo-sim's fault injection over real HTTP: every fault kind is observed, logged, and
// reproducible from --seed.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "harness.h"
#include "sim_test_util.h"

namespace metl::e2e {
namespace {

using simtest::Api;
using simtest::ApiUrl;

std::vector<std::string> Args(std::initializer_list<std::string> extra) {
  std::vector<std::string> args{"--replay", TestData("replay"), "--now", simtest::kNow};
  args.insert(args.end(), extra);
  return args;
}

const char* kLive = "method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-25";

std::string Form() {
  return "token_auth=" + UrlEncode(SimServer::kToken);
}

TEST(SimFaults, RateLimitAnswers429WithRetryAfter) {
  TempDir tmp;
  std::string log = tmp.str() + "/log.jsonl";
  SimServer sim(Args({"--rate-limit", "3", "--request-log", log}));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Api(sim, "method=API.getMatomoVersion").status, 200);
  auto r = simtest::RawPost(ApiUrl(sim, "method=API.getMatomoVersion"), Form());
  EXPECT_EQ(r.status, 429);
  EXPECT_NE(r.headers.find("retry-after: "), std::string::npos) << r.headers;
  auto lines = simtest::LogLines(log, 4);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_NE(lines[3].find("\"fault\":\"rate_limit\""), std::string::npos) << lines[3];
  // Requests rejected by auth are not API calls: no fault, 401.
  EXPECT_EQ(HttpPost(ApiUrl(sim, "method=API.getMatomoVersion"), "token_auth=wrong").status, 401);
}

TEST(SimFaults, ConcurrencyLimitAnswers429) {
  SimServer sim(Args({"--max-concurrent", "1", "--latency-ms", "400"}));
  std::atomic<int> too_many{0}, ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      long status = Api(sim, "method=API.getMatomoVersion").status;
      (status == 429 ? too_many : ok)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_GE(ok.load(), 1);
  EXPECT_GE(too_many.load(), 1);
}

TEST(SimFaults, ServerErrorPagesAndPhpFatals) {
  SimServer five(Args({"--fail-5xx", "1"}));
  auto r = Api(five, kLive);
  EXPECT_GE(r.status, 500);
  EXPECT_LE(r.status, 504);
  EXPECT_NE(r.body.find("<html>"), std::string::npos);
  EXPECT_EQ(r.content_type.rfind("text/html", 0), 0u);

  SimServer fatal(Args({"--php-fatal", "1"}));
  r = Api(fatal, kLive);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<b>Fatal error</b>"), std::string::npos) << r.body;
}

TEST(SimFaults, RandomErrorObjectsAndQueryTimeouts) {
  SimServer random(Args({"--random-errors", "1"}));
  auto r = Api(random, kLive);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.rfind("{\"result\":\"error\",\"message\":", 0), 0u) << r.body;

  SimServer slow(Args({"--query-timeout-above", "50"}));
  const std::string timeout =
      R"({"result":"error","message":"Could not run the query in time. Maybe the selected date range is too wide?"})";
  EXPECT_EQ(Api(slow, std::string(kLive) + "&filter_limit=51").body, timeout);
  EXPECT_EQ(Api(slow, std::string(kLive) + "&filter_limit=-1").body, timeout);
  EXPECT_EQ(simtest::VisitIds(Api(slow, std::string(kLive) + "&filter_limit=50").body).size(), 50u);
}

TEST(SimFaults, CutBodiesDropTheConnectionMidResponse) {
  TempDir tmp;
  std::string log = tmp.str() + "/log.jsonl";
  SimServer sim(Args({"--cut-body", "every:2", "--request-log", log}));
  std::string url = ApiUrl(sim, std::string(kLive) + "&filter_limit=100");
  auto whole = simtest::RawPost(url, Form());
  EXPECT_EQ(whole.code, CURLE_OK);
  auto cut = simtest::RawPost(url, Form());  // call 2: cut (plain, Content-Length)
  EXPECT_NE(cut.code, CURLE_OK);
  EXPECT_LT(cut.body.size(), whole.body.size());
  EXPECT_EQ(simtest::RawPost(url, Form(), /*gzip=*/true).code, CURLE_OK);
  auto cut_gzip = simtest::RawPost(url, Form(), /*gzip=*/true);  // call 4: cut (gzip, chunked)
  EXPECT_NE(cut_gzip.code, CURLE_OK);
  auto lines = simtest::LogLines(log, 4);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_NE(lines[1].find("\"fault\":\"cut_body\""), std::string::npos) << lines[1];
  EXPECT_NE(lines[0].find("\"fault\":null"), std::string::npos) << lines[0];
}

TEST(SimFaults, LatencyGrowsWithPageSize) {
  SimServer sim(Args({"--latency-ms", "50", "--latency-per-visit-ms", "4"}));
  auto timed = [&](const std::string& q) {
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(Api(sim, q).status, 200);
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  };
  double small = timed(std::string(kLive) + "&filter_limit=1");
  double large = timed(std::string(kLive) + "&filter_limit=100");
  EXPECT_GE(small, 50);
  EXPECT_GE(large, 450);
  EXPECT_GT(large, small + 300);
}

TEST(SimFaults, RandomFaultsAreReproducibleFromTheSeed) {
  auto statuses = [](const std::string& seed) {
    SimServer sim(Args({"--fail-5xx", "0.3", "--random-errors", "0.2", "--seed", seed}));
    std::string pattern;
    for (int i = 0; i < 30; ++i) {
      auto r = Api(sim, "method=API.getMatomoVersion");
      pattern += r.status == 200 ? (r.body.front() == '{' ? 'e' : '.') : 'x';
    }
    return pattern;
  };
  std::string a = statuses("7");
  EXPECT_EQ(a, statuses("7"));
  EXPECT_NE(a, statuses("8"));
  EXPECT_NE(a.find('x'), std::string::npos);
  EXPECT_NE(a.find('e'), std::string::npos);
  EXPECT_NE(a.find('.'), std::string::npos);
}

}  // namespace
}  // namespace metl::e2e
