// Matomo 5.1.2's real responses (tests/data/replay: site 1 a UTC shop, site 2 an America/New_York blog),
// served by `matomo-sim --replay` and synced over real HTTP into every warehouse target (issue 4):
// every visit of the files lands, every table's row count equals the count taken from the raw JSON,
// `verify` passes, and for the New York site each visit's first action is at its first_action_at,
// true UTC, although the action `timestamp`s are New York wall times written as if UTC (MATOMO-API.md).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "core/time_zone.h"
#include "harness.h"
#include "landing_fixture.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

const char* kNow = "2026-11-27 08:00:00";  // both days are closed, and past their visit timeout

// The visits (one JSON text each) of a replay file: a JSON array (.json) or one visit a line (.jsonl).
std::vector<std::string> ReplayVisits(int site) {
  std::string dir = TestData("replay/site=" + std::to_string(site) + "/");
  std::filesystem::path json = dir + "date=2026-11-25.json", jsonl = dir + "date=2026-11-25.jsonl";
  if (std::filesystem::exists(json)) return SplitJsonArray(ReadFile(json));
  std::vector<std::string> lines;
  std::istringstream in(ReadFile(jsonl));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

int64_t Int(simdjson::dom::element e) {  // Matomo's ids and epochs: a number or a numeric string
  int64_t v = 0;
  if (!e.get_int64().get(v)) return v;
  std::string_view s;
  if (!e.get_string().get(s)) return std::strtoll(std::string(s).c_str(), nullptr, 10);
  ADD_FAILURE() << "not an integer: " << simdjson::minify(e);
  return -1;
}

int64_t Epoch(const std::optional<std::string>& value) {  // EXTRACT(EPOCH ...) of either engine
  return value ? static_cast<int64_t>(std::strtod(value->c_str(), nullptr)) : -1;
}

class Replay : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  Replay() : sim_({"--replay", TestData("replay"), "--now", kNow}) {}
  void SetUp() override {
    url_ = GetParam().FreshUrl(tmp_);
    if (url_.empty()) return;  // no PostgreSQL: skipped or failed by FreshUrl
    landing_ = (tmp_.path() / "landing").string();
    ProcessResult r = Sync();
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  ProcessResult Sync() {
    return RunEtl({"sync", "--url", sim_.url(), "--landing", landing_, "--warehouse", url_, "--from", "2026-11-25",
                   "--to", "2026-11-26", "--now", kNow},
                  {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  }

  SimServer sim_;
  TempDir tmp_;
  std::string url_, landing_;
};

TEST_P(Replay, EveryVisitLoadsAndRowCountsEqualTheRawJson) {
  std::set<std::pair<int64_t, int64_t>> expected_ids;
  simdjson::dom::parser parser;
  for (int site : {1, 2}) {
    std::vector<std::string> visits = ReplayVisits(site);
    ASSERT_EQ(visits.size(), 100u) << site;
    for (const auto& v : visits) expected_ids.insert({site, Int(parser.parse(v)["idVisit"])});
    RawCounts c = CountRaw(visits);
    ASSERT_GT(c.actions, 0);
    std::string where = " WHERE site_id = " + std::to_string(site);
    ExpectRowCounts(url_, site, c);
    // All of a site's visits are of 2026-11-25 in its own time zone (New York's evening visits have a UTC
    // serverDate of the 26th); the 26th is loaded, and empty.
    EXPECT_EQ(QueryInt(url_, "SELECT nb_visits FROM matomo_daily_kpis" + where + " AND date = DATE '2026-11-25'"),
              c.visits);
    EXPECT_EQ(QueryInt(url_, "SELECT nb_pageviews FROM matomo_daily_kpis" + where + " AND date = DATE '2026-11-25'"),
              c.pageviews);
    EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_etl_partitions" + where + " AND status = 'loaded'"), 2);
    EXPECT_EQ(QueryInt(url_, "SELECT sum(visits) FROM matomo_etl_partitions" + where), c.visits);
  }
  std::set<std::pair<int64_t, int64_t>> loaded_ids;
  for (const auto& row : QueryWarehouse(url_, "SELECT site_id, visit_id FROM matomo_visits").rows) {
    loaded_ids.insert({std::strtoll(row[0].value_or("").c_str(), nullptr, 10),
                       std::strtoll(row[1].value_or("").c_str(), nullptr, 10)});
  }
  EXPECT_EQ(loaded_ids, expected_ids);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_sites"), 2);

  ProcessResult r =
      RunEtl({"verify", "--url", sim_.url(), "--warehouse", url_}, {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("verified 4 partition(s)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("DIFFERS"), std::string::npos) << r.out;

  // The same responses again change nothing.
  const std::vector<std::string> tables = {"matomo_visits",      "matomo_actions",         "matomo_custom_dimensions",
                                           "matomo_conversions", "matomo_ecommerce_items", "matomo_raw_visits",
                                           "matomo_daily_kpis",  "matomo_etl_partitions"};
  std::string before = DumpTables(url_, tables);
  r = Sync();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(DumpTables(url_, tables), before);
}

// MATOMO-API.md: firstActionTimestamp can precede the first actionDetails entry (a cart update leaves
// none). So the expectation is taken from the raw JSON: the first entry's wall time, converted from New
// York time within the visit's bounds, is where matomo_actions' action 0 must be; where that is
// firstActionTimestamp (the first entry is the visit's first hit), it equals the visit's first_action_at.
TEST_P(Replay, NewYorkFirstActionOccursAtFirstActionAt) {
  auto tz = TimeZone::Load("America/New_York");
  ASSERT_TRUE(tz.ok()) << tz.error().ToString();
  // visit id -> true UTC of its first actionDetails entry, and its firstActionTimestamp
  std::map<int64_t, std::pair<int64_t, int64_t>> first_hit;
  int64_t first_is_first_hit = 0;
  simdjson::dom::parser parser;
  for (const auto& text : ReplayVisits(2)) {
    simdjson::dom::element v = parser.parse(text);
    simdjson::dom::array actions = v["actionDetails"].get_array();
    if (actions.size() == 0) continue;
    int64_t first = Int(v["firstActionTimestamp"]), last = Int(v["lastActionTimestamp"]);
    TimeZone::Candidates c = (*tz)->FromLocal(Int(actions.at(0)["timestamp"]));
    ASSERT_GT(c.count, 0) << text.substr(0, 80);
    int64_t utc = c.utc[0];
    if (c.count == 2 && (utc < first || utc > last)) utc = c.utc[1];
    first_hit[Int(v["idVisit"])] = {utc, first};
    if (utc == first) ++first_is_first_hit;
  }
  ASSERT_EQ(first_hit.size(), 100u);
  EXPECT_EQ(first_is_first_hit, 100) << "the reference day has no visit whose first hit left no entry";

  Rows r =
      QueryWarehouse(url_,
                     "SELECT v.visit_id, EXTRACT(EPOCH FROM a.occurred_at), EXTRACT(EPOCH FROM v.first_action_at), "
                     "a.occurred_at, v.first_action_at FROM matomo_visits v JOIN matomo_actions a "
                     "USING (site_id, visit_id) "
                     "WHERE a.action_index = 0 AND v.site_id = 2");
  ASSERT_EQ(r.rows.size(), first_hit.size());
  for (const auto& row : r.rows) {
    int64_t visit = std::strtoll(row[0].value_or("").c_str(), nullptr, 10);
    ASSERT_TRUE(first_hit.count(visit)) << visit;
    int64_t occurred = Epoch(row[1]), first_action_at = Epoch(row[2]);
    auto [hit, first] = first_hit[visit];
    EXPECT_EQ(occurred, hit) << "visit " << visit;
    EXPECT_EQ(first_action_at, first) << "visit " << visit;
    if (hit == first) {
      EXPECT_EQ(occurred, first_action_at) << "visit " << visit;
      EXPECT_EQ(row[3], row[4]) << "visit " << visit;  // and as text, as BI tools read them
      EXPECT_NE(row[3].value_or(""), "") << "visit " << visit;
    }
  }
}

METL_INSTANTIATE_WAREHOUSE_SUITE(Replay);

}  // namespace
}  // namespace metl::e2e
