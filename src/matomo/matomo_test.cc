#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "http/fake_transport.h"
#include "matomo/api.h"
#include "matomo/classify.h"
#include "matomo/client.h"

namespace metl::matomo {
namespace {

using http::FakeTransport;
using http::HttpResponse;

std::string ReadRef(const std::string& name) {
  std::ifstream in(std::string(METL_SOURCE_DIR) + "/tests/data/matomo-5.1.2/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

HttpResponse Resp(long status, std::string body, std::string ct = "application/json") {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(ct);
  return r;
}

struct Fixture {
  std::shared_ptr<FakeTransport> fake = std::make_shared<FakeTransport>();
  MatomoClient client;
  static ClientOptions Options() {
    ClientOptions o;
    o.url = "http://matomo.test/";
    o.rate_limit_per_min = 1e6;
    o.retry.base_delay_s = 0.001;
    o.retry.max_delay_s = 0.002;
    o.retry.max_retries = 3;
    return o;
  }
  Fixture() : client(fake, Options(), "s3cr3t-token") {}
};

TEST(MatomoClassify, KindsOfAnswers) {
  EXPECT_TRUE(ClassifyResponse(Resp(200, "[]")).ok());
  EXPECT_TRUE(ClassifyResponse(Resp(200, R"({"nb_visits":3})")).ok());
  auto auth = ClassifyResponse(Resp(401, ReadRef("errors/bad_token.out")));
  ASSERT_FALSE(auth.ok());
  EXPECT_EQ(auth.error().kind(), ErrorKind::kConfig);
  EXPECT_NE(auth.error().ToString().find("Unable to authenticate"), std::string::npos);
  auto site = ClassifyResponse(Resp(200, ReadRef("errors/idsite_99.out")));
  EXPECT_EQ(site.error().kind(), ErrorKind::kTerminal);
  EXPECT_NE(site.error().ToString().find("website id was set to '99'"), std::string::npos);
  EXPECT_EQ(ClassifyResponse(Resp(200, ReadRef("errors/bad_period.out"))).error().kind(), ErrorKind::kTerminal);
  EXPECT_TRUE(ClassifyResponse(Resp(429, "<html>")).error().transient());
  EXPECT_TRUE(ClassifyResponse(Resp(502, "<html>bad gateway")).error().transient());
  EXPECT_TRUE(ClassifyResponse(Resp(200, "<br />\n<b>Fatal error</b>", "text/html")).error().transient());
  EXPECT_TRUE(ClassifyResponse(Resp(200, "")).error().transient());
  EXPECT_TRUE(ClassifyResponse(Resp(200, R"({"result":"error","message":"Could not run the query in time. Maybe the selected date range is too wide?"})")).error().transient());
  EXPECT_TRUE(ClassifyResponse(Resp(200, R"({"result":"error","message":"SQLSTATE[HY000]: General error: 2006 MySQL server has gone away"})")).error().transient());
}

TEST(MatomoClient, TokenOnlyInBodyAndRetries) {
  Fixture f;
  f.fake->Push(Resp(503, "<html>busy</html>", "text/html"));
  f.fake->Push(Error(ErrorKind::kTransient, "HTTP request failed: reset"));
  f.fake->Push(Resp(200, R"({"value":"5.1.2"})"));
  auto v = GetMatomoVersion(f.client);
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(*v, "5.1.2");
  auto reqs = f.fake->requests();
  ASSERT_EQ(reqs.size(), 3u);
  for (auto& r : reqs) {
    EXPECT_EQ(r.url.find("s3cr3t"), std::string::npos);
    EXPECT_EQ(r.url.find("token_auth"), std::string::npos);
    EXPECT_EQ(r.url.rfind("http://matomo.test/index.php?module=API&method=API.getMatomoVersion", 0), 0u) << r.url;
    EXPECT_EQ(r.body, "token_auth=s3cr3t-token");
  }
  EXPECT_EQ(f.client.stats().retries.load(), 2);
  EXPECT_EQ(f.client.stats().requests.load(), 3);
}

TEST(MatomoClient, TerminalErrorsStopAtOnceWithMatomosMessage) {
  Fixture f;
  f.fake->Push(Resp(401, ReadRef("errors/bad_token.out")));
  auto v = GetMatomoVersion(f.client);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(f.fake->requests().size(), 1u);
  EXPECT_EQ(v.error().ToString().find("s3cr3t"), std::string::npos);
  EXPECT_NE(v.error().ToString().find("It is either invalid or expired"), std::string::npos);
}

TEST(MatomoApi, SitesAndVisitsSummary) {
  Fixture f;
  f.fake->Push(Resp(200, R"([{"idsite":"2","name":"B","timezone":"America\/New_York"},{"idsite":1,"name":"A","timezone":"UTC"}])"));
  auto sites = GetSites(f.client);
  ASSERT_TRUE(sites.ok()) << sites.error().ToString();
  ASSERT_EQ(sites->size(), 2u);
  EXPECT_EQ((*sites)[0].id, 1);
  EXPECT_EQ((*sites)[1].timezone, "America/New_York");
  f.fake->Push(Resp(200, ReadRef("visitssummary_site1_day.json")));
  f.fake->Push(Resp(200, "[]"));
  f.fake->Push(Resp(200, R"({"nb_visits":"12"})"));
  CivilDate d = CivilDate::FromYmd(2026, 11, 25);
  EXPECT_EQ(*GetNbVisits(f.client, 1, d), 450);
  EXPECT_EQ(*GetNbVisits(f.client, 1, d), 0);
  EXPECT_EQ(*GetNbVisits(f.client, 1, d), 12);
}

TEST(MatomoApi, LivePageKeepsVisitBytesExactly) {
  std::string body = ReadRef("live_site2_newyork_day_limit100_offset0.json");
  ASSERT_FALSE(body.empty());
  auto page = ParseLivePage(std::string(body));
  ASSERT_TRUE(page.ok()) << page.error().ToString();
  ASSERT_GT(page->visits.size(), 1u);
  // Re-joining the raw visits reproduces the served array (Matomo writes no spaces between them).
  std::string joined = "[";
  for (size_t i = 0; i < page->visits.size(); ++i) joined += (i ? "," : "") + std::string(page->visits[i].raw);
  joined += "]";
  std::string trimmed = body;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == ' ')) trimmed.pop_back();
  EXPECT_EQ(joined, trimmed);
  EXPECT_GT(page->visits[0].id_visit, 0);
  EXPECT_GT(page->visits[0].last_action_ts, 1700000000);

  auto cut = ParseLivePage(body.substr(0, body.size() / 2));
  ASSERT_FALSE(cut.ok());
  EXPECT_TRUE(cut.error().transient());
  auto cut_at_visit = ParseLivePage(std::string(joined.substr(0, 1 + page->visits[0].raw.size())));
  ASSERT_FALSE(cut_at_visit.ok());
  EXPECT_TRUE(ParseLivePage("[]").ok());
}

TEST(MatomoApi, CutOffLivePageIsRetried) {
  Fixture f;
  std::string body = ReadRef("live_site1_day_limit100_offset0.json");
  f.fake->Push(Resp(200, body.substr(0, body.size() - 100)));
  f.fake->Push(Resp(200, body));
  auto page = FetchLivePage(f.client, 1, CivilDate::FromYmd(2026, 11, 25), 100, 0);
  ASSERT_TRUE(page.ok()) << page.error().ToString();
  EXPECT_EQ(f.fake->requests().size(), 2u);
  EXPECT_NE(f.fake->requests()[0].url.find("filter_sort_order=asc"), std::string::npos);
}

TEST(MatomoClient, NormalizesUrls) {
  EXPECT_EQ(*NormalizeApiUrl("https://x.matomo.cloud"), "https://x.matomo.cloud/index.php");
  EXPECT_EQ(*NormalizeApiUrl("https://x/matomo/index.php?module=API"), "https://x/matomo/index.php");
  EXPECT_FALSE(NormalizeApiUrl("ftp://x/").ok());
  EXPECT_EQ(SourceUrl("https://x/index.php"), "https://x/");
}

}  // namespace
}  // namespace metl::matomo
