// matomo-sim over real HTTP: Matomo's responses, errors, auth and Live semantics (MATOMO-API.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "harness.h"
#include "sim_test_util.h"

namespace metl::e2e {
namespace {

using simtest::Api;
using simtest::ApiUrl;
using simtest::Int;
using simtest::Json;
using simtest::VisitIds;

std::string Reference(const std::string& name) {
  return ReadFile(std::string(METL_SOURCE_DIR) + "/tests/data/matomo-5.1.2/" + name);
}

std::vector<std::string> ReplayArgs(const char* now = simtest::kNow) {
  return {"--replay", TestData("replay"), "--now", now};
}

constexpr const char* kDay1 = "idSite=1&period=day&date=2026-11-25";

TEST(SimApi, ReplayServesTheReferenceResponsesByteForByte) {
  SimServer sim(ReplayArgs());
  auto r = Api(sim, std::string("method=Live.getLastVisitsDetails&") + kDay1 + "&filter_limit=100&filter_offset=0");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  EXPECT_TRUE(r.body == Reference("live_site1_day_limit100_offset0.json")) << r.body.substr(0, 300);
  // Site 2 comes from a .jsonl file, America/New_York evening visits included.
  r = Api(sim, "method=Live.getLastVisitsDetails&idSite=2&period=day&date=2026-11-25&filter_limit=100");
  EXPECT_TRUE(r.body == Reference("live_site2_newyork_day_limit100_offset0.json")) << r.body.substr(0, 300);
  r = Api(sim, "method=SitesManager.getSiteFromId&idSite=2");
  EXPECT_EQ(r.body, Reference("errors/sitesmanager.out"));
  r = Api(sim, "method=SitesManager.getSitesWithAtLeastViewAccess");
  Json sites(r.body);
  ASSERT_TRUE(sites.ok());
  EXPECT_EQ(simdjson::dom::array(sites.root()).size(), 2u);
  EXPECT_EQ(Api(sim, "method=API.getMatomoVersion").body, "\"5.1.2\"");
  // GET with parameters in the query string and the token in... nowhere: no access.
  EXPECT_EQ(HttpGet(ApiUrl(sim, "method=API.getMatomoVersion")).status, 401);
}

struct ErrorCase {
  const char* file;  // under errors/
  const char* query;
  bool token = true;
  const char* token_value = nullptr;
};

TEST(SimApi, ErrorsMatchMatomoBodiesStatusesAndContentTypes) {
  SimServer sim(ReplayArgs());
  // errors/STATUS.txt: "name | status|content type"
  std::map<std::string, std::pair<long, std::string>> status;
  std::string table = Reference("errors/STATUS.txt");
  size_t pos = 0;
  while (pos < table.size()) {
    size_t nl = table.find('\n', pos);
    std::string line = table.substr(pos, nl - pos);
    pos = nl == std::string::npos ? table.size() : nl + 1;
    size_t a = line.find('|'), b = line.find('|', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::string name = line.substr(0, a);
    name.erase(name.find_last_not_of(' ') + 1);
    status[name] = {std::stol(line.substr(a + 1, b - a - 1)), line.substr(b + 1)};
  }
  const ErrorCase cases[] = {
      {"no_token", "method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-25", false},
      {"bad_token", "method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-25", true, "nope"},
      {"no_token_xml", "method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-25&format=xml", false},
      {"bad_token_xml", "method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-25&format=xml", true,
       "nope"},
      {"filter_limit_0", "method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-25&filter_limit=0"},
      {"idsite_missing", "method=Live.getLastVisitsDetails&period=day&date=2026-11-25"},
      {"idsite_99", "method=Live.getLastVisitsDetails&idSite=99&period=day&date=2026-11-25"},
      {"bad_date", "method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-02-30"},
      {"bad_period", "method=Live.getLastVisitsDetails&idSite=1&period=fortnight&date=2026-11-25"},
      {"empty_day", "method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-20"},
      {"before_site_created", "method=Live.getLastVisitsDetails&idSite=1&period=day&date=2020-01-01"},
      {"future_day", "method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-12-25"},
      {"bad_method", "method=Live.getLastVisitsDetailz&idSite=1&period=day&date=2026-11-25"},
      {"bad_format", "method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-25&format=yaml"},
      {"json2", "method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-25&format=json2"},
      {"bad_segment", "method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-25&segment=foo"},
      {"showColumns",
       "method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-25&filter_limit=3&"
       "showColumns=idVisit,visitorId,lastActionTimestamp"},
      {"sitesmanager", "method=SitesManager.getSiteFromId&idSite=2"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    std::string url = sim.url() + "index.php?module=API&" + c.query;
    std::string form = c.token ? "token_auth=" + UrlEncode(c.token_value ? c.token_value : SimServer::kToken) : "";
    auto r = HttpPost(url, form);
    EXPECT_EQ(r.body, Reference(std::string("errors/") + c.file + ".out"));
    ASSERT_TRUE(status.count(c.file));
    EXPECT_EQ(r.status, status[c.file].first);
    EXPECT_EQ(r.content_type, status[c.file].second);
  }
}

TEST(SimApi, TokenInTheQueryStringIsRejectedUnlessAllowed) {
  TempDir tmp;
  std::string log = tmp.str() + "/requests.jsonl";
  auto args = ReplayArgs();
  args.insert(args.end(), {"--request-log", log});
  SimServer sim(args);
  std::string url = ApiUrl(sim, "method=API.getMatomoVersion&token_auth=" + std::string(SimServer::kToken));
  auto r = HttpGet(url);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, Reference("errors/bad_token.out"));
  r = HttpPost(url, "token_auth=" + std::string(SimServer::kToken));  // in both places: the query string counts
  EXPECT_EQ(r.status, 401);
  auto lines = simtest::LogLines(log, 2);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& line : lines) {
    EXPECT_NE(line.find("\"token_in_query\":true"), std::string::npos) << line;
    EXPECT_NE(line.find("\"status\":401"), std::string::npos) << line;
    EXPECT_EQ(line.find(SimServer::kToken), std::string::npos) << "token leaked into the request log: " << line;
    EXPECT_EQ(line.find("token_auth"), std::string::npos) << line;
  }

  auto allow = ReplayArgs();
  allow.push_back("--allow-token-in-query");
  SimServer lax(allow);
  r = HttpGet(ApiUrl(lax, "method=API.getMatomoVersion&token_auth=" + std::string(SimServer::kToken)));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "\"5.1.2\"");
}

TEST(SimApi, RequestLogHasOneLinePerRequest) {
  TempDir tmp;
  std::string log = tmp.str() + "/requests.jsonl";
  auto args = ReplayArgs();
  args.insert(args.end(), {"--request-log", log});
  SimServer sim(args);
  auto r = Api(sim, std::string("method=Live.getLastVisitsDetails&") + kDay1 + "&filter_limit=7");
  ASSERT_EQ(r.status, 200);
  auto lines = simtest::LogLines(log, 1);
  ASSERT_EQ(lines.size(), 1u);
  Json j(lines[0]);
  ASSERT_TRUE(j.ok()) << lines[0];
  EXPECT_EQ(simtest::Str(j.root(), "http_method"), "POST");
  EXPECT_EQ(simtest::Str(j.root(), "api_method"), "Live.getLastVisitsDetails");
  EXPECT_EQ(Int(j.root(), "status"), 200);
  EXPECT_EQ(Int(j.root(), "bytes"), static_cast<int64_t>(r.body.size()));  // uncompressed size
  EXPECT_EQ(Int(j.root(), "token_in_query"), 0);
  EXPECT_EQ(simtest::Str(j.root()["params"], "filter_limit"), "7");
  EXPECT_EQ(lines[0].find("token_auth"), std::string::npos);
}

TEST(SimApi, LiveOrderLimitsAndOffsets) {
  SimServer sim(ReplayArgs());
  auto live = [&](const std::string& extra) {
    return VisitIds(Api(sim, std::string("method=Live.getLastVisitsDetails&") + kDay1 + extra).body);
  };
  auto desc = live("&filter_limit=-1");
  ASSERT_EQ(desc.size(), 100u);
  auto asc = live("&filter_limit=-1&filter_sort_order=asc");
  std::reverse(asc.begin(), asc.end());
  EXPECT_EQ(asc, desc);  // no ties in this day
  EXPECT_EQ(live("").size(), 100u);
  EXPECT_EQ(live("&filter_limit=10"), std::vector<int64_t>(desc.begin(), desc.begin() + 10));
  EXPECT_EQ(live("&filter_limit=10&filter_offset=95"), std::vector<int64_t>(desc.begin() + 95, desc.end()));
  EXPECT_TRUE(live("&filter_limit=10&filter_offset=100").empty());
  EXPECT_EQ(live("&filter_limit=3&filter_offset=-4"), std::vector<int64_t>(desc.begin(), desc.begin() + 3));
  EXPECT_EQ(live("&countVisitorsToFetch=2&filter_offset=50"), std::vector<int64_t>(desc.begin(), desc.begin() + 2));
  EXPECT_EQ(Api(sim, std::string("method=Live.getLastVisitsDetails&") + kDay1 + "&filter_limit=0").body, "[]");
}

TEST(SimApi, MinTimestampIsStrictAndAndedWithTheDay) {
  SimServer sim(ReplayArgs());
  auto body = Api(sim, std::string("method=Live.getLastVisitsDetails&") + kDay1 +
                           "&filter_limit=-1&"
                           "filter_sort_order=asc")
                  .body;
  Json all(body);
  ASSERT_TRUE(all.ok());
  std::vector<std::pair<int64_t, int64_t>> visits;  // (lastActionTimestamp, idVisit)
  for (auto v : simdjson::dom::array(all.root())) visits.emplace_back(Int(v, "lastActionTimestamp"), Int(v, "idVisit"));
  ASSERT_EQ(visits.size(), 100u);
  int64_t t = visits[40].first;
  auto ids = VisitIds(Api(sim, std::string("method=Live.getLastVisitsDetails&") + kDay1 +
                                   "&filter_limit=-1&filter_sort_order=asc&minTimestamp=" + std::to_string(t))
                          .body);
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids.size(), 59u);
  EXPECT_EQ(ids.front(), visits[41].second);
}

TEST(SimApi, DoNotFetchActionsAndColumnFilters) {
  SimServer sim(ReplayArgs());
  std::string base = std::string("method=Live.getLastVisitsDetails&") + kDay1 + "&filter_limit=5";
  auto expected = Reference("live_site1_limit5_doNotFetchActions.json");
  auto r = Api(sim, base + "&doNotFetchActions=1");
  Json got(r.body), want(expected);
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(want.ok());
  EXPECT_EQ(VisitIds(r.body), VisitIds(expected));
  for (auto v : simdjson::dom::array(got.root())) {
    EXPECT_EQ(simdjson::dom::array(v["actionDetails"]).size(), 0u);
    EXPECT_GT(Int(v, "actions"), 0);  // visit-level counters stay
  }
  // hideColumns drops keys at visit level and inside every action.
  r = Api(sim, base + "&hideColumns=pageTitle,visitIp,timestamp");
  EXPECT_EQ(r.body.find("\"pageTitle\""), std::string::npos);
  EXPECT_EQ(r.body.find("\"visitIp\""), std::string::npos);
  EXPECT_EQ(r.body.find("\"timestamp\""), std::string::npos);
  EXPECT_NE(r.body.find("\"actionDetails\":[{"), std::string::npos);
  Json hidden(r.body);
  ASSERT_TRUE(hidden.ok());
  r = Api(sim, base + "&showColumns=idVisit,actions");
  EXPECT_EQ(r.body.substr(0, 30), "[{\"idVisit\":1827,\"actions\":8},");
}

TEST(SimApi, TodayAlsoReturnsYesterdayInTheSiteTimeZone) {
  // 2026-11-26 03:00 UTC: Nov 26 in UTC (site 1) but still Nov 25 in New York (site 2).
  SimServer sim(ReplayArgs("2026-11-26 03:00:00"));
  auto ids = [&](const std::string& q) { return VisitIds(Api(sim, "method=Live.getLastVisitsDetails&" + q).body); };
  EXPECT_EQ(ids("idSite=1&period=day&date=today&filter_limit=-1").size(), 100u);  // all of yesterday
  EXPECT_EQ(ids("idSite=1&period=day&date=2026-11-26&filter_limit=-1").size(), 100u);
  EXPECT_EQ(ids("idSite=1&period=day&date=yesterday&filter_limit=-1").size(), 100u);
  EXPECT_TRUE(ids("idSite=1&period=day&date=2026-11-27").empty());
  // Site 2's today is Nov 25 local: visits after 03:00 UTC "now" are in the future and hidden.
  auto ny_today = ids("idSite=2&period=day&date=today&filter_limit=-1");
  auto ny_all = ids("idSite=2&period=day&date=2026-11-25&filter_limit=-1");
  EXPECT_FALSE(ny_today.empty());
  EXPECT_EQ(ny_today, ny_all);
  EXPECT_LT(ny_all.size(), 100u);
  // VisitsSummary for "today" counts today only (here: nothing yet on Nov 26 for site 1).
  EXPECT_EQ(Api(sim, "method=VisitsSummary.get&idSite=1&period=day&date=today").body, "[]");
}

// Matomo's definitions (MATOMO-API.md) applied to Live visits.
std::map<std::string, int64_t> RecomputeSummary(const std::string& live_body) {
  Json j(live_body);
  std::map<std::string, int64_t> m;
  std::set<std::string> visitors, users;
  int64_t visits = 0, actions = 0, converted = 0, bounces = 0, length = 0, max_actions = 0;
  for (auto v : simdjson::dom::array(j.root())) {
    ++visits;
    visitors.insert(simtest::Str(v, "visitorId"));
    std::string user = simtest::Str(v, "userId");
    if (!user.empty()) users.insert(user);
    int64_t a = Int(v, "actions");
    actions += a;
    max_actions = std::max(max_actions, a);
    bounces += a <= 1 ? 1 : 0;
    converted += Int(v, "visitConverted") == 1 ? 1 : 0;
    length += Int(v, "visitDuration");
  }
  m["nb_visits"] = visits;
  m["nb_uniq_visitors"] = static_cast<int64_t>(visitors.size());
  m["nb_users"] = static_cast<int64_t>(users.size());
  m["nb_actions"] = actions;
  m["nb_visits_converted"] = converted;
  m["bounce_count"] = bounces;
  m["sum_visit_length"] = length;
  m["max_actions"] = max_actions;
  return m;
}

TEST(SimApi, VisitsSummaryEqualsFiguresRecomputedFromLive) {
  // Includes New York's 25-hour DST fall-back day (2026-11-01).
  SimServer sim({"--sites", "2", "--visits-per-day", "300", "--from", "2026-10-31", "--to", "2026-11-02", "--now",
                 simtest::kNow});
  for (int site : {1, 2}) {
    for (const char* day : {"2026-10-31", "2026-11-01", "2026-11-02"}) {
      SCOPED_TRACE(std::to_string(site) + " " + day);
      std::string q = "idSite=" + std::to_string(site) + "&period=day&date=" + day;
      auto live = Api(sim, "method=Live.getLastVisitsDetails&filter_limit=-1&" + q);
      ASSERT_EQ(live.status, 200);
      auto expected = RecomputeSummary(live.body);
      EXPECT_GT(expected["nb_visits"], 100);
      auto summary = Api(sim, "method=VisitsSummary.get&" + q);
      Json s(summary.body);
      ASSERT_TRUE(s.ok()) << summary.body;
      for (const auto& [key, value] : expected) EXPECT_EQ(Int(s.root(), key.c_str()), value) << key;
    }
  }
  // date=A,B answers one entry per day; a day without visits is [].
  auto multi = Api(sim, "method=VisitsSummary.get&idSite=1&period=day&date=2026-10-30,2026-11-01");
  Json m(multi.body);
  ASSERT_TRUE(m.ok()) << multi.body;
  EXPECT_EQ(simdjson::dom::array(m.root()["2026-10-30"]).size(), 0u);
  EXPECT_GT(Int(m.root()["2026-11-01"], "nb_visits"), 100);
  // Actions.get and Goals.get answer objects too.
  EXPECT_EQ(Api(sim, "method=Actions.get&idSite=1&period=day&date=2026-11-01").body.front(), '{');
  EXPECT_EQ(Api(sim, "method=Goals.get&idSite=1&period=day&date=2026-11-01").body.front(), '{');
  EXPECT_EQ(Api(sim, "method=Goals.getGoals&idSite=1").status, 200);
}

TEST(SimApi, VisitsSharingASecondComeInADifferentOrderPerRequest) {
  SimServer sim({"--sites", "1", "--visits-per-day", "3000", "--from", "2026-11-20", "--to", "2026-11-20", "--now",
                 simtest::kNow});
  std::string q = "method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-20&filter_limit=-1";
  auto first_body = Api(sim, q).body;
  Json first(first_body);
  ASSERT_TRUE(first.ok());
  std::map<int64_t, int> per_second;
  for (auto v : simdjson::dom::array(first.root())) ++per_second[Int(v, "lastActionTimestamp")];
  int tied = 0;
  for (const auto& [ts, n] : per_second) tied += n > 1 ? 1 : 0;
  ASSERT_GT(tied, 5) << "the generated day should have visits sharing a second";
  auto ids = VisitIds(first_body);
  bool reordered = false;
  for (int i = 0; i < 5 && !reordered; ++i) {
    auto again = VisitIds(Api(sim, q).body);
    ASSERT_EQ(std::multiset<int64_t>(again.begin(), again.end()), std::multiset<int64_t>(ids.begin(), ids.end()));
    reordered = again != ids;
  }
  EXPECT_TRUE(reordered);
}

TEST(SimApi, OffsetPagingOverARangeReturnsWrongPagesLikeMatomo) {
  SimServer sim(
      {"--sites", "1", "--visits-per-day", "50", "--from", "2026-11-10", "--to", "2026-11-16", "--now", simtest::kNow});
  std::string q = "method=Live.getLastVisitsDetails&idSite=1&period=range&date=2026-11-10,2026-11-16";
  auto all = VisitIds(Api(sim, q + "&filter_limit=-1").body);
  ASSERT_GT(all.size(), 300u);
  // Page through with offsets as a naive client would: visits get lost (matomo#16394).
  std::set<int64_t> seen;
  for (size_t offset = 0; offset < all.size(); offset += 40) {
    for (int64_t id : VisitIds(Api(sim, q + "&filter_limit=40&filter_offset=" + std::to_string(offset)).body)) {
      seen.insert(id);
    }
  }
  EXPECT_LT(seen.size(), all.size());
  // A deep offset returns a short or empty page.
  EXPECT_LT(VisitIds(Api(sim, q + "&filter_limit=100&filter_offset=" + std::to_string(all.size() - 120)).body).size(),
            100u);
}

TEST(SimApi, LateVisitsAppearAfterTheFirstRequestOfAPastDay) {
  SimServer sim({"--sites", "1", "--visits-per-day", "200", "--from", "2026-11-20", "--to", "2026-11-21", "--now",
                 simtest::kNow, "--late-data"});
  std::string q = "idSite=1&period=day&date=2026-11-20";
  auto first = VisitIds(Api(sim, "method=Live.getLastVisitsDetails&filter_limit=-1&" + q).body);
  auto second = VisitIds(Api(sim, "method=Live.getLastVisitsDetails&filter_limit=-1&" + q).body);
  EXPECT_GT(second.size(), first.size());
  Json s(Api(sim, "method=VisitsSummary.get&" + q).body);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Int(s.root(), "nb_visits"), static_cast<int64_t>(second.size()));
}

}  // namespace
}  // namespace metl::e2e
