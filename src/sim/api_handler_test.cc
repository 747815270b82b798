#include "sim/api_handler.h"

#include <gtest/gtest.h>

#include "sim/fake_dataset_for_test.h"

namespace metl::sim {
namespace {

using fake::FakeDataset;

int64_t At(const char* text) {
  return *ParseTimestamp(text);
}

std::string Body(const ApiResponse& r) {
  if (!r.stream) return r.body;
  std::string s;
  for (auto p : r.stream->pieces) s += p;
  return s;
}

class ApiHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data = std::make_shared<FakeDataset>();
    data->Add(1, 1, At("2026-11-25 10:00:00"));
    data->Add(1, 2, At("2026-11-25 11:00:00"));
    data->Add(1, 3, At("2026-11-25 12:00:00"), /*late=*/true);
  }
  ApiHandler Make(HandlerOptions o = {}) {
    return ApiHandler(data, std::make_shared<FixedClock>(At("2026-11-27 12:00:00")), o);
  }
  static ApiRequest Req(const std::string& query, const std::string& body = "token_auth=sim-token") {
    return ParseApiRequest("POST", "/index.php?module=API&" + query, body);
  }
  std::shared_ptr<FakeDataset> data;
};

TEST_F(ApiHandlerTest, AuthErrorsAre401) {
  auto h = Make();
  auto r = h.Handle(Req("method=Live.getLastVisitsDetails&idSite=1", ""), 0);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(
      r.body,
      R"({"result":"error","message":"You can't access this resource as it requires 'view' access for the website id = 1."})");
  r = h.Handle(Req("method=Live.getLastVisitsDetails&idSite=1", "token_auth=wrong"), 0);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(
      r.body,
      R"({"result":"error","message":"Unable to authenticate with the provided token. It is either invalid or expired."})");
  r = h.Handle(Req("method=Live.getLastVisitsDetails&idSite=1&token_auth=sim-token", ""), 0);
  EXPECT_EQ(r.status, 401);  // secure-only token in the query string
  r = h.Handle(Req("method=Live.getLastVisitsDetails&idSite=1&format=xml", ""), 0);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.content_type, "text/xml; charset=utf-8");
  EXPECT_NE(r.body.find("<error message=\"You can't access"), std::string::npos);
  HandlerOptions o;
  o.allow_token_in_query = true;
  auto h2 = Make(o);
  EXPECT_EQ(h2.Handle(Req("method=Live.getLastVisitsDetails&idSite=1&token_auth=sim-token", ""), 0).status, 200);
}

TEST_F(ApiHandlerTest, OtherErrorsAre200WithMatomoMessages) {
  auto h = Make();
  auto r = h.Handle(Req("method=Live.getLastVisitsDetails&idSite=99&period=day&date=today"), 0);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(
      Body(r),
      R"({"result":"error","message":"An unexpected website was found in the request: website id was set to '99' ."})");
  EXPECT_EQ(Body(h.Handle(Req("method=Live.getLastVisitsDetails"), 0)),
            R"({"result":"error","message":"Please specify a value for 'idSite'."})");
  EXPECT_EQ(
      Body(h.Handle(Req("method=Live.getLastVisitsDetailz&idSite=1"), 0)),
      R"({"result":"error","message":"The method 'getLastVisitsDetailz' does not exist or is not available in the module '\\Piwik\\Plugins\\Live\\API'."})");
  EXPECT_EQ(Body(h.Handle(Req("method=Live.getLastVisitsDetails&idSite=1&segment=foo"), 0)),
            R"({"result":"error","message":"Segment 'foo' is not a supported segment."})");
  r = h.Handle(Req("method=Live.getLastVisitsDetails&idSite=1&format=yaml"), 0);
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(r.body,
            "Error: Renderer format 'yaml' not valid. Try any of the following instead: console, csv, html, json, "
            "original, rss, tsv, xml.");
  EXPECT_EQ(Body(h.Handle(Req("method=API.getMatomoVersion"), 0)), "\"5.1.2\"");
}

TEST_F(ApiHandlerTest, LateVisitsArriveAfterTheFirstLiveRequestOfAPastDay) {
  HandlerOptions o;
  o.faults.late_data = true;
  auto h = Make(o);
  std::string q = "method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-25&showColumns=idVisit";
  EXPECT_EQ(Body(h.Handle(Req(q), 0)), R"([{"idVisit":2},{"idVisit":1}])");
  EXPECT_EQ(Body(h.Handle(Req(q), 0)), R"([{"idVisit":3},{"idVisit":2},{"idVisit":1}])");
  auto summary = Body(h.Handle(Req("method=VisitsSummary.get&idSite=1&period=day&date=2026-11-25"), 0));
  EXPECT_NE(summary.find("\"nb_visits\":3"), std::string::npos) << summary;
  // Without --late-data they never show up.
  auto plain = Make();
  plain.Handle(Req(q), 0);
  EXPECT_EQ(Body(plain.Handle(Req(q), 0)), R"([{"idVisit":2},{"idVisit":1}])");
}

TEST_F(ApiHandlerTest, DoNotFetchActionsAndEmptyAggregates) {
  auto h = Make();
  std::string body = Body(h.Handle(Req("method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-25&"
                                       "doNotFetchActions=1&filter_limit=1"),
                                   0));
  EXPECT_NE(body.find("\"actionDetails\":[]"), std::string::npos) << body;
  EXPECT_EQ(Body(h.Handle(Req("method=VisitsSummary.get&idSite=1&period=day&date=2026-11-20"), 0)), "[]");
  std::string multi = Body(h.Handle(Req("method=VisitsSummary.get&idSite=1&period=day&date=2026-11-24,2026-11-25"), 0));
  EXPECT_EQ(multi.substr(0, 19), R"({"2026-11-24":[],"2)");
}

TEST_F(ApiHandlerTest, FaultsApplyOnlyAfterAuth) {
  HandlerOptions o;
  o.faults.fail_5xx = *FaultSpec::Parse("1");
  auto h = Make(o);
  EXPECT_EQ(h.Handle(Req("method=API.getMatomoVersion", "token_auth=bad"), 0).status, 401);
  auto r = h.Handle(Req("method=API.getMatomoVersion"), 0);
  EXPECT_EQ(r.fault, FaultKind::kFail5xx);
  EXPECT_GE(r.status, 500);
}

TEST_F(ApiHandlerTest, QueryTimeoutAndCutBody) {
  HandlerOptions o;
  o.faults.query_timeout_above = 1;
  o.faults.cut_body = *FaultSpec::Parse("every:2");
  auto h = Make(o);
  auto r = h.Handle(Req("method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-25&filter_limit=2"), 0);
  EXPECT_EQ(r.fault, FaultKind::kQueryTimeout);
  EXPECT_EQ(
      Body(r),
      R"({"result":"error","message":"Could not run the query in time. Maybe the selected date range is too wide?"})");
  r = h.Handle(Req("method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-25&filter_limit=1"), 0);
  EXPECT_EQ(r.fault, FaultKind::kCutBody);
  EXPECT_TRUE(r.cut_body);
}

}  // namespace
}  // namespace metl::sim
