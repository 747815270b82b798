#include "normalize/visit_normalizer.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "normalize/test_support.h"

namespace metl {
namespace {

using test_support::SplitJsonArray;
using test_support::TextSink;

std::string SourcePath(const std::string& rel) { return std::string(METL_SOURCE_DIR) + "/" + rel; }

// Rows of one table as cells, addressed by column name.
class Table {
 public:
  Table(const TextSink& sink, std::string_view name) : def_(*FindTable(name)) {
    auto it = sink.rows.find(std::string(name));
    if (it == sink.rows.end()) return;
    std::istringstream in(it->second);
    std::string line;
    while (std::getline(in, line)) {
      std::vector<std::string> cells;
      size_t start = 0;
      while (true) {
        size_t tab = line.find('\t', start);
        cells.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) break;
        start = tab + 1;
      }
      rows_.push_back(std::move(cells));
    }
  }
  size_t size() const { return rows_.size(); }
  const std::string& operator()(size_t row, std::string_view column) const {
    int c = def_.ColumnIndex(column);
    EXPECT_GE(c, 0) << column;
    return rows_.at(row).at(c);
  }

 private:
  const TableDef& def_;
  std::vector<std::vector<std::string>> rows_;
};

struct NormRun {
  TextSink sink;
  Status status = OkStatus();
  NormalizerStats stats;
};

NormRun Normalize(const std::string& zone_name, int64_t site, const std::string& date,
              const std::vector<std::string_view>& lines, NormalizerOptions options = {}) {
  NormRun run;
  auto zone = TimeZone::Load(zone_name);
  EXPECT_TRUE(zone.ok());
  VisitNormalizer n(*zone, site, *CivilDate::Parse(date), 1795723200, &run.sink, options);
  for (size_t i = 0; i < lines.size(); ++i) {
    run.status = n.AddVisit(lines[i], i + 1);
    if (!run.status.ok()) return run;
  }
  run.status = n.Finish();
  run.stats = n.stats();
  return run;
}

NormRun NormalizeOne(const std::string& json, const std::string& zone = "UTC", const std::string& date = "2026-11-25") {
  return Normalize(zone, 1, date, {json});
}

// --- The real Matomo 5.1.2 responses ---------------------------------------------------------

struct Reference {
  const char* file;
  const char* zone;
  int64_t site;
  const char* golden;
};
const Reference kReferences[] = {
    {"tests/data/matomo-5.1.2/live_site1_day_limit100_offset0.json", "UTC", 1, "site1_utc_first20.tsv"},
    {"tests/data/matomo-5.1.2/live_site2_newyork_day_limit100_offset0.json", "America/New_York", 2,
     "site2_newyork_first20.tsv"},
};

// Counts taken from the raw JSON with the DOM API (independent of the normalizer's code path).
struct RawCounts {
  size_t visits = 0, actions = 0, dimensions = 0, conversions = 0, items = 0;
};
RawCounts CountRaw(const std::vector<std::string_view>& lines) {
  RawCounts counts;
  simdjson::dom::parser parser;
  auto count_dims = [&](const simdjson::dom::object& o) {
    for (const auto& field : o) {
      std::string_view text;
      bool empty_text = field.value.get(text) == simdjson::SUCCESS && text.empty();
      if (field.key.substr(0, 9) == "dimension" && field.key.size() > 9 && !field.value.is_null() && !empty_text) {
        ++counts.dimensions;
      }
    }
  };
  for (auto line : lines) {
    simdjson::padded_string json(line);
    simdjson::dom::object visit;
    EXPECT_EQ(parser.parse(json).get(visit), simdjson::SUCCESS);
    ++counts.visits;
    count_dims(visit);
    simdjson::dom::array details;
    if (visit.at_key("actionDetails").get(details) != simdjson::SUCCESS) continue;
    for (simdjson::dom::element element : details) {
      simdjson::dom::object action;
      if (element.get(action) != simdjson::SUCCESS) continue;
      ++counts.actions;
      count_dims(action);
      std::string_view type;
      if (action.at_key("type").get(type) != simdjson::SUCCESS) continue;
      if (type == "goal" || type == "ecommerceOrder" || type == "ecommerceAbandonedCart") ++counts.conversions;
      simdjson::dom::array items;
      if ((type == "ecommerceOrder" || type == "ecommerceAbandonedCart") &&
          action.at_key("itemDetails").get(items) == simdjson::SUCCESS) {
        counts.items += items.size();
      }
    }
  }
  return counts;
}

TEST(VisitNormalizerReference, RowCountsEqualCountsFromTheRawJson) {
  for (const auto& ref : kReferences) {
    std::string text = test_support::ReadFileOrEmpty(SourcePath(ref.file));
    ASSERT_FALSE(text.empty()) << ref.file;
    auto lines = SplitJsonArray(text);
    ASSERT_EQ(lines.size(), 100u) << ref.file;
    NormRun run = Normalize(ref.zone, ref.site, "2026-11-25", lines, {.batch_rows = 64});
    ASSERT_TRUE(run.status.ok()) << run.status.error().ToString();
    RawCounts raw = CountRaw(lines);
    EXPECT_EQ(run.sink.counts["matomo_visits"], raw.visits) << ref.file;
    EXPECT_EQ(run.sink.counts["matomo_raw_visits"], raw.visits) << ref.file;
    EXPECT_EQ(run.sink.counts["matomo_actions"], raw.actions) << ref.file;
    EXPECT_EQ(run.sink.counts["matomo_custom_dimensions"], raw.dimensions) << ref.file;
    EXPECT_EQ(run.sink.counts["matomo_conversions"], raw.conversions) << ref.file;
    EXPECT_EQ(run.sink.counts["matomo_ecommerce_items"], raw.items) << ref.file;
    EXPECT_EQ(run.stats.actions, static_cast<int64_t>(raw.actions));
    EXPECT_GT(run.sink.batches, 6u) << "small batches are flushed as they fill";
    // Raw visits are byte-exact.
    ASSERT_EQ(run.sink.json_values.size(), lines.size());
    for (size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(run.sink.json_values[i], lines[i]) << "line " << i + 1;
  }
}

TEST(VisitNormalizerReference, NewYorkFirstActionOccursAtTheVisitsFirstActionTime) {
  const auto& ref = kReferences[1];
  std::string text = test_support::ReadFileOrEmpty(SourcePath(ref.file));
  auto lines = SplitJsonArray(text);
  NormRun run = Normalize(ref.zone, ref.site, "2026-11-25", lines);
  ASSERT_TRUE(run.status.ok()) << run.status.error().ToString();
  Table visits(run.sink, "matomo_visits");
  Table actions(run.sink, "matomo_actions");
  size_t checked = 0, a = 0;
  for (size_t v = 0; v < visits.size(); ++v) {
    while (a < actions.size() && actions(a, "visit_id") != visits(v, "visit_id")) ++a;
    if (a == actions.size()) break;
    EXPECT_EQ(actions(a, "action_index"), "0");
    EXPECT_EQ(actions(a, "occurred_at"), visits(v, "first_action_at")) << "visit " << visits(v, "visit_id");
    ++checked;
  }
  EXPECT_GT(checked, 90u);
  // Site-local: an evening visit of 2026-11-25 in New York has a UTC date of the 26th.
  EXPECT_EQ(visits(0, "visit_date"), "2026-11-25");
}

std::string RenderGolden(const TextSink& sink) {
  std::string out;
  for (const auto& table : CuratedTables()) {
    if (table.name == "matomo_raw_visits") continue;  // byte-exact copies, checked elsewhere
    out += "## " + std::string(table.name) + "\n" + RenderHeader(table) + "\n";
    auto it = sink.rows.find(std::string(table.name));
    if (it != sink.rows.end()) out += it->second;
  }
  return out;
}

// Regenerate with METL_UPDATE_GOLDEN=1 after an intended change; review the diff before committing.
TEST(VisitNormalizerReference, GoldenRowsOfTheFirst20Visits) {
  const bool update = std::getenv("METL_UPDATE_GOLDEN") != nullptr;
  for (const auto& ref : kReferences) {
    std::string text = test_support::ReadFileOrEmpty(SourcePath(ref.file));
    auto lines = SplitJsonArray(text);
    lines.resize(20);
    NormRun run = Normalize(ref.zone, ref.site, "2026-11-25", lines);
    ASSERT_TRUE(run.status.ok()) << run.status.error().ToString();
    std::string rendered = RenderGolden(run.sink);
    std::string path = SourcePath(std::string("tests/data/golden/") + ref.golden);
    if (update) {
      std::filesystem::create_directories(std::filesystem::path(path).parent_path());
      std::ofstream(path, std::ios::binary) << rendered;
      continue;
    }
    std::string expected = test_support::ReadFileOrEmpty(path);
    ASSERT_FALSE(expected.empty()) << path << " is missing: run with METL_UPDATE_GOLDEN=1";
    EXPECT_TRUE(rendered == expected) << path << " differs from the normalizer's output; if the change is "
                                      << "intended, regenerate with METL_UPDATE_GOLDEN=1 metl_unit_tests "
                                         "--gtest_filter='VisitNormalizerReference.Golden*' and review the diff";
  }
}

// --- Day semantics and action times ---------------------------------------------------------

// 2026-11-01 in New York: EDT (-4h) until 06:00Z, then EST (-5h); 01:00-02:00 local happens twice.
// The visit starts at 01:40 EDT (05:40Z) and ends at 01:10 EST (06:10Z); its wall times go backwards.
std::string FallBackVisit() {
  // Wall times written as if UTC: 01:40:00, 01:59:18, 01:00:40, 01:10:00 on 2026-11-01.
  const int64_t day = *ParseTimestamp("2026-11-01 00:00:00");
  auto wall = [&](int h, int m, int s) { return std::to_string(day + h * 3600 + m * 60 + s); };
  const int64_t first = *ParseTimestamp("2026-11-01 05:40:00");
  const int64_t last = *ParseTimestamp("2026-11-01 06:10:00");
  return R"({"idSite":2,"idVisit":77,"visitorId":"aaaaaaaaaaaaaaaa","firstActionTimestamp":)" +
         std::to_string(first) + R"(,"lastActionTimestamp":)" + std::to_string(last) +
         R"(,"actions":4,"actionDetails":[)"
         R"({"type":"action","url":"https://b/1","timestamp":)" + wall(1, 40, 0) + "}," +
         R"({"type":"action","url":"https://b/2","timestamp":)" + wall(1, 59, 18) + "}," +
         R"({"type":"action","url":"https://b/3","timestamp":)" + wall(1, 0, 40) + "}," +
         R"({"type":"event","url":"https://b/3","timestamp":)" + wall(1, 10, 0) + "}]}";
}

TEST(VisitNormalizerTimes, FallBackVisitResolvesEachAmbiguousTimeInOrder) {
  NormRun run = Normalize("America/New_York", 2, "2026-11-01", {FallBackVisit()});
  ASSERT_TRUE(run.status.ok()) << run.status.error().ToString();
  Table actions(run.sink, "matomo_actions");
  ASSERT_EQ(actions.size(), 4u);
  EXPECT_EQ(actions(0, "occurred_at"), "2026-11-01 05:40:00Z");  // EDT
  EXPECT_EQ(actions(1, "occurred_at"), "2026-11-01 05:59:18Z");  // EDT
  EXPECT_EQ(actions(2, "occurred_at"), "2026-11-01 06:00:40Z");  // EST: the second 01:00:40
  EXPECT_EQ(actions(3, "occurred_at"), "2026-11-01 06:10:00Z");  // EST
  EXPECT_EQ(actions(2, "occurred_local"), "2026-11-01 01:00:40");
  Table visits(run.sink, "matomo_visits");
  EXPECT_EQ(visits(0, "visit_date"), "2026-11-01");
  EXPECT_EQ(visits(0, "last_action_local"), "2026-11-01 01:10:00");
  EXPECT_EQ(visits(0, "local_hour"), "1");
}

TEST(VisitNormalizerTimes, AVisitInTheSecondOccurrenceOnlyUsesItsBounds) {
  const int64_t day = *ParseTimestamp("2026-11-01 00:00:00");
  std::string json = R"({"idVisit":5,"firstActionTimestamp":)" +
                     std::to_string(*ParseTimestamp("2026-11-01 06:20:00")) + R"(,"lastActionTimestamp":)" +
                     std::to_string(*ParseTimestamp("2026-11-01 06:30:00")) +
                     R"(,"actionDetails":[{"type":"action","timestamp":)" + std::to_string(day + 3600 + 20 * 60) +
                     R"(},{"type":"action","timestamp":)" + std::to_string(day + 3600 + 30 * 60) + "}]}";
  NormRun run = Normalize("America/New_York", 1, "2026-11-01", {json});
  ASSERT_TRUE(run.status.ok()) << run.status.error().ToString();
  Table actions(run.sink, "matomo_actions");
  EXPECT_EQ(actions(0, "occurred_at"), "2026-11-01 06:20:00Z");
  EXPECT_EQ(actions(1, "occurred_at"), "2026-11-01 06:30:00Z");
}

TEST(VisitNormalizerTimes, AVisitOfAnotherDayFailsThePartition) {
  NormRun run = NormalizeOne(R"({"idVisit":1,"lastActionTimestamp":1795700000})", "UTC", "2026-11-25");
  ASSERT_FALSE(run.status.ok());
  EXPECT_EQ(run.status.error().kind(), ErrorKind::kData);
  EXPECT_NE(run.status.error().ToString().find("2026-11-26"), std::string::npos) << run.status.error().ToString();
}

// --- Errors ---------------------------------------------------------------------------------

TEST(VisitNormalizerErrors, NameSiteDateAndLine) {
  std::string good = R"({"idVisit":1,"lastActionTimestamp":1795648742})";
  NormRun run = Normalize("UTC", 3, "2026-11-25", {good, good, R"({"idVisit":2,"lastActionTimestamp":)"});
  ASSERT_FALSE(run.status.ok());
  const Error& e = run.status.error();
  EXPECT_EQ(e.kind(), ErrorKind::kData);
  EXPECT_EQ(e.context().site_id, 3);
  EXPECT_EQ(e.context().date, "2026-11-25");
  EXPECT_NE(e.message().find("line 3"), std::string::npos) << e.message();
}

TEST(VisitNormalizerErrors, RejectsNonObjectsMissingIdsAndForeignSites) {
  EXPECT_FALSE(NormalizeOne("[1,2]").status.ok());
  EXPECT_FALSE(NormalizeOne(R"({"lastActionTimestamp":1795648742})").status.ok());
  EXPECT_FALSE(NormalizeOne(R"({"idVisit":1})").status.ok());
  EXPECT_FALSE(NormalizeOne(R"({"idSite":9,"idVisit":1,"lastActionTimestamp":1795648742})").status.ok());
  EXPECT_FALSE(NormalizeOne(R"({"idVisit":1,"lastActionTimestamp":1795648742} {})").status.ok());
  EXPECT_FALSE(NormalizeOne(R"({"idVisit":1,"lastActionTimestamp":1795648742,"actions":12x})").status.ok());
  EXPECT_TRUE(NormalizeOne(R"({"idSite":"1","idVisit":"1","lastActionTimestamp":"1795648742"})").status.ok());
}

TEST(VisitNormalizerErrors, AFailedVisitLeavesNoRows) {
  NormRun run = Normalize("UTC", 1, "2026-11-25",
                      {R"({"idVisit":1,"lastActionTimestamp":1795648742,"actionDetails":[{"type":"action",)"
                       R"("timestamp":1795648742}],"idSite":5})"});
  ASSERT_FALSE(run.status.ok());
  EXPECT_TRUE(run.sink.rows.empty());
}

// --- Loose types and mapping -----------------------------------------------------------------

TEST(VisitNormalizerMapping, CoercesLooseTypesInOneLayer) {
  NormRun run = NormalizeOne(
      R"({"idVisit":"42","visitorId":false,"userId":null,"lastActionTimestamp":1795648742,)"
      R"("firstActionTimestamp":"1795648000","visitConverted":"1","goalConversions":"0","actions":"1",)"
      R"("totalEcommerceItems":"2","totalEcommerceRevenue":"76.33","customVariables":[],"latitude":"48.85",)"
      R"("referrerName":"","newFieldOfMatomo6":{"x":[1,2]},"dimension1":5,"dimension2":null,"dimension3":"",)"
      R"("actionDetails":[{"type":13,"contentName":"Banner","timestamp":1795648000,"dimension4":"x"},)"
      R"({"type":"heatmap","timestamp":1795648700},)"
      R"({"type":"ecommerceOrder","orderId":"O-1","revenue":"10.5","revenueSubTotal":9,"revenueTax":0.1,)"
      R"("revenueShipping":0.4,"revenueDiscount":false,"items":"1","timestamp":1795648742,)"
      R"("itemDetails":[{"itemSKU":"S","itemName":"N","itemCategory":"C","price":"9.00","quantity":"1"}]},)"
      R"({"type":"goal","goalId":"3","goalName":"G","revenue":0.1,"timestamp":1795648742},)"
      R"({"type":"ecommerceAbandonedCart","revenue":98,"items":2,"timestamp":1795648742,)"
      R"("itemDetails":{}}]})");
  ASSERT_TRUE(run.status.ok()) << run.status.error().ToString();
  Table v(run.sink, "matomo_visits");
  EXPECT_EQ(v(0, "visit_id"), "42");
  EXPECT_EQ(v(0, "visitor_id"), "\\N");
  EXPECT_EQ(v(0, "user_id"), "\\N");
  EXPECT_EQ(v(0, "referrer_name"), "\\N");
  EXPECT_EQ(v(0, "visit_converted"), "true");
  EXPECT_EQ(v(0, "is_bounce"), "true");
  EXPECT_EQ(v(0, "ecommerce_items"), "2");
  EXPECT_EQ(v(0, "ecommerce_revenue"), "76.330000");
  EXPECT_EQ(v(0, "latitude"), "48.85");
  EXPECT_EQ(v(0, "revenue"), "10.600000") << "goals + orders, not carts";
  EXPECT_EQ(v(0, "first_action_at"), "2026-11-25 23:06:40Z");
  EXPECT_EQ(v(0, "content_interactions"), "1");
  EXPECT_EQ(v(0, "truncated_actions"), "0");
  Table a(run.sink, "matomo_actions");
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a(0, "action_type"), "content");
  EXPECT_EQ(a(0, "action_type_raw"), "13");
  EXPECT_EQ(a(1, "action_type"), "other");
  EXPECT_EQ(a(1, "action_type_raw"), "heatmap");
  EXPECT_EQ(a(2, "goal_id"), "0");
  EXPECT_EQ(a(4, "goal_id"), "-1");
  Table d(run.sink, "matomo_custom_dimensions");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d(0, "dimension_id"), "1");
  EXPECT_EQ(d(0, "value"), "5");
  EXPECT_EQ(d(0, "action_index"), "\\N");
  EXPECT_EQ(d(1, "action_index"), "0");
  Table c(run.sink, "matomo_conversions");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c(0, "conversion_type"), "ecommerce_order");
  EXPECT_EQ(c(0, "goal_id"), "0");
  EXPECT_EQ(c(0, "revenue"), "10.500000");
  EXPECT_EQ(c(0, "revenue_subtotal"), "9.000000");
  EXPECT_EQ(c(0, "revenue_discount"), "\\N");
  EXPECT_EQ(c(0, "items"), "1");
  EXPECT_EQ(c(0, "order_id"), "O-1");
  EXPECT_EQ(c(1, "goal_id"), "3");
  EXPECT_EQ(c(2, "goal_id"), "-1");
  EXPECT_EQ(c(2, "conversion_type"), "ecommerce_abandoned_cart");
  Table i(run.sink, "matomo_ecommerce_items");
  ASSERT_EQ(i.size(), 1u);
  EXPECT_EQ(i(0, "price"), "9.000000");
  EXPECT_EQ(i(0, "order_id"), "O-1");
  EXPECT_EQ(i(0, "conversion_type"), "ecommerce_order");
  EXPECT_EQ(i(0, "action_index"), "2");
}

TEST(VisitNormalizerMapping, CampaignFromPluginFieldsElseFromReferrer) {
  NormRun stock = NormalizeOne(R"({"idVisit":1,"lastActionTimestamp":1795648742,"referrerType":"campaign",)"
                           R"("referrerName":"bf-2026","referrerKeyword":"shoes"})");
  ASSERT_TRUE(stock.status.ok());
  Table s(stock.sink, "matomo_visits");
  EXPECT_EQ(s(0, "campaign_name"), "bf-2026");
  EXPECT_EQ(s(0, "campaign_keyword"), "shoes");
  EXPECT_EQ(s(0, "campaign_source"), "\\N");
  NormRun plugin = NormalizeOne(R"({"idVisit":1,"lastActionTimestamp":1795648742,"referrerType":"campaign",)"
                            R"("referrerName":"bf-2026","campaignName":"Black Friday","campaignSource":"news",)"
                            R"("campaignMedium":"email","campaignContent":"top","campaignId":"7","campaignKeyword":"k"})");
  ASSERT_TRUE(plugin.status.ok());
  Table p(plugin.sink, "matomo_visits");
  EXPECT_EQ(p(0, "campaign_name"), "Black Friday");
  EXPECT_EQ(p(0, "campaign_keyword"), "k");
  EXPECT_EQ(p(0, "campaign_source"), "news");
  EXPECT_EQ(p(0, "campaign_medium"), "email");
  EXPECT_EQ(p(0, "campaign_content"), "top");
  EXPECT_EQ(p(0, "campaign_id"), "7");
  NormRun direct = NormalizeOne(R"({"idVisit":1,"lastActionTimestamp":1795648742,"referrerType":"search",)"
                            R"("referrerName":"Google"})");
  EXPECT_EQ(Table(direct.sink, "matomo_visits")(0, "campaign_name"), "\\N");
}

TEST(VisitNormalizerMapping, TruncatedVisitsZeroActionVisitsAndBlankLines) {
  NormRun run = Normalize("UTC", 1, "2026-11-25",
                      {R"({"idVisit":1,"lastActionTimestamp":1795648742,"actions":0,"actionDetails":[],)"
                       R"("truncatedActionsCount":"12"})",
                       "  ", R"({"idVisit":2,"lastActionTimestamp":1795648742,"actions":3,"actionDetails":{}})"});
  ASSERT_TRUE(run.status.ok()) << run.status.error().ToString();
  Table v(run.sink, "matomo_visits");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v(0, "truncated_actions"), "12");
  EXPECT_EQ(v(0, "is_bounce"), "true");
  EXPECT_EQ(v(1, "is_bounce"), "false");
  EXPECT_EQ(run.stats.truncated_visits, 1);
  EXPECT_EQ(run.sink.counts.count("matomo_actions"), 0u);
}

// Matomo's time_spent_ref_action, which its Actions reports add to the previous page: seconds since the
// visit's previous entry (goals included: their requests are hits), capped at visit_standard_length
// (1800 s), on every entry but goals and ecommerce. The country's label comes as Matomo sends it.
TEST(VisitNormalizerMapping, TimeSpentRefIsSecondsSinceThePreviousEntry) {
  const int64_t t0 = 1795644000;  // 2026-11-25 10:00:00 UTC
  auto at = [&](int64_t s) { return std::to_string(t0 + s); };
  NormRun run = NormalizeOne(R"({"idVisit":5,"firstActionTimestamp":)" + at(0) + R"(,"lastActionTimestamp":)" +
                             at(2110) + R"(,"country":"Japan","countryCode":"jp","actions":4,"actionDetails":[)" +
                             R"({"type":"action","url":"https://s/1","timestamp":)" + at(0) + "}," +
                             R"({"type":"event","url":"https://s/1","timestamp":)" + at(100) + "}," +
                             R"({"type":"goal","goalId":1,"revenue":0,"timestamp":)" + at(150) + "}," +
                             R"({"type":"action","url":"https://s/2","timestamp":)" + at(2100) + "}," +
                             R"({"type":"search","siteSearchKeyword":"x","timestamp":)" + at(2110) + "}]}");
  ASSERT_TRUE(run.status.ok()) << run.status.error().ToString();
  Table a(run.sink, "matomo_actions");
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a(0, "time_spent_ref_s"), "0");
  EXPECT_EQ(a(1, "time_spent_ref_s"), "100");
  EXPECT_EQ(a(2, "time_spent_ref_s"), "\\N");  // the goal entry
  EXPECT_EQ(a(3, "time_spent_ref_s"), "1800");   // 1950 s, capped
  EXPECT_EQ(a(4, "time_spent_ref_s"), "10");
  Table v(run.sink, "matomo_visits");
  EXPECT_EQ(v(0, "country_name"), "Japan");
}

TEST(VisitNormalizerMapping, RawVisitsCanBeLeftToTheEngine) {
  NormRun run = Normalize("UTC", 1, "2026-11-25", {R"({"idVisit":1,"lastActionTimestamp":1795648742})"},
                      {.emit_raw_visits = false});
  ASSERT_TRUE(run.status.ok());
  EXPECT_EQ(run.sink.counts.count("matomo_raw_visits"), 0u);
  EXPECT_EQ(run.sink.counts["matomo_visits"], 1u);
}

}  // namespace
}  // namespace metl
