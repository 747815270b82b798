// First contact with a URL (issue 17): failures to reach a server that never answered, and answers
// that are not Matomo's API, fail fast with a hint about `url`; once the server answered, the same
// failures are transient again (a restart mid-run). Non-Matomo pages are summarised, not quoted.
#include <gtest/gtest.h>

#include "http/fake_transport.h"
#include "matomo/api.h"
#include "matomo/classify.h"
#include "matomo/client.h"

namespace metl::matomo {
namespace {

using http::FakeTransport;
using http::HttpResponse;

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
    o.retry.max_retries = 8;
    return o;
  }
  Fixture() : client(fake, Options(), "s3cr3t-token") {}
};

Error Refused() {
  return Error(ErrorKind::kTransient, std::string(http::kConnectFailed) + "Connection refused");
}

TEST(FirstContact, RefusedConnectionGetsTwoQuickRetriesThenAUrlHint) {
  Fixture f;
  for (int i = 0; i < 9; ++i) f.fake->Push(Refused());
  auto v = GetMatomoVersion(f.client);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(f.fake->requests().size(), 1u + kFirstContactConnectRetries);
  EXPECT_EQ(v.error().kind(), ErrorKind::kConfig);
  EXPECT_NE(v.error().ToString().find("cannot reach Matomo at http://matomo.test/"), std::string::npos);
  EXPECT_NE(v.error().ToString().find("check `url`"), std::string::npos);
}

TEST(FirstContact, RestartingServerThatComesBackWithinTheQuickRetriesIsFine) {
  Fixture f;
  f.fake->Push(Refused());
  f.fake->Push(Refused());
  f.fake->PushJson(200, R"({"value":"5.1.2"})");
  auto v = GetMatomoVersion(f.client);
  ASSERT_TRUE(v.ok()) << v.error().ToString();
}

TEST(FirstContact, UnknownHostAndTlsMismatchFailAtOnce) {
  for (auto prefix : {http::kResolveFailed, http::kTlsHandshakeFailed}) {
    Fixture f;
    f.fake->Push(Error(ErrorKind::kTransient, std::string(prefix) + "detail"));
    auto v = GetMatomoVersion(f.client);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(f.fake->requests().size(), 1u) << prefix;
    EXPECT_EQ(v.error().kind(), ErrorKind::kConfig);
    EXPECT_NE(v.error().ToString().find("`url`"), std::string::npos) << v.error().ToString();
  }
}

TEST(FirstContact, AfterTheServerAnsweredRefusalsAreRetriedAsTransient) {
  Fixture f;
  f.fake->PushJson(200, R"({"value":"5.1.2"})");
  ASSERT_TRUE(GetMatomoVersion(f.client).ok());
  for (int i = 0; i < 4; ++i) f.fake->Push(Refused());
  f.fake->PushJson(200, R"({"value":"5.1.2"})");
  auto v = GetMatomoVersion(f.client);
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(f.fake->requests().size(), 6u);
}

TEST(FirstContact, AWebsiteFailsAtOnceButAPhpFatalErrorIsRetried) {
  Fixture f;
  f.fake->Push(Resp(200, "<html><head><title>Acme</title></head><body><h1>Shoes</h1></body></html>", "text/html"));
  auto v = GetMatomoVersion(f.client);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind(), ErrorKind::kConfig);
  EXPECT_EQ(f.fake->requests().size(), 1u);

  Fixture g;
  g.fake->Push(Resp(200, "<br />\n<b>Fatal error</b>:  Allowed memory size exhausted", "text/html"));
  g.fake->Push(Resp(200, ""));  // a blank page: a fatal error with display_errors off
  g.fake->PushJson(200, R"({"value":"5.1.2"})");
  ASSERT_TRUE(GetMatomoVersion(g.client).ok());
  // Once Matomo answered JSON, any non-JSON page is a passing fault (a proxy page): retried.
  g.fake->Push(Resp(200, "<html><body>Maintenance</body></html>", "text/html"));
  g.fake->PushJson(200, R"({"value":"5.1.2"})");
  EXPECT_TRUE(GetMatomoVersion(g.client).ok());
}

TEST(BodySummaryTest, ContentTypeAndFirstWordsWithoutTagsOrScripts) {
  EXPECT_EQ(BodySummary(Resp(404,
                             "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not "
                             "Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
                             "text/html; charset=utf-8")),
            "text/html: \"404 Not Found 404 Not Found nginx\"");
  EXPECT_EQ(BodySummary(Resp(200, "<script>var a = \"<b>\";</script><style>p{}</style><p>Hi</p>", "text/html")),
            "text/html: \"Hi\"");
  EXPECT_EQ(BodySummary(Resp(404, "", "")), "no content type, empty body");
  std::string long_text(500, 'a');
  EXPECT_EQ(BodySummary(Resp(200, long_text, "text/plain")).size(), std::string("text/plain: \"\"...").size() + 100);
}

TEST(BodySummaryTest, HttpStatusIsSaidOnce) {
  for (long status : {404L, 301L, 418L, 502L}) {
    auto st = ClassifyResponse(Resp(status, "<html><body>x</body></html>", "text/html"));
    ASSERT_FALSE(st.ok());
    std::string text = st.error().ToString();
    std::string code = "HTTP " + std::to_string(status);
    size_t first = text.find(code);
    ASSERT_NE(first, std::string::npos) << text;
    EXPECT_EQ(text.find(code, first + 1), std::string::npos) << text;
    EXPECT_EQ(text.find('<'), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace metl::matomo
