#include "landing_fixture.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "landing/landing_zone.h"
#include "landing/partition_writer.h"
#include "warehouse_suite.h"

namespace metl::e2e {

std::vector<std::string> SplitJsonArray(const std::string& json_array) {
  std::vector<std::string> lines;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::array array;
  if (parser.parse(json_array).get(doc) || doc.get_array().get(array)) {
    ADD_FAILURE() << "not a JSON array: " << json_array.substr(0, 200);
    return lines;
  }
  for (simdjson::dom::element v : array) lines.push_back(simdjson::minify(v));
  return lines;
}

std::vector<std::string> LandJsonArray(const std::string& landing, int64_t site_id, const std::string& date,
                                       const std::string& timezone, const std::string& json_array,
                                       const std::vector<std::string>& extra_lines) {
  std::vector<std::string> lines = SplitJsonArray(json_array);
  for (const auto& l : extra_lines) lines.push_back(l);
  landing::LandingZone zone(landing);
  auto day = CivilDate::Parse(date);
  auto writer = landing::PartitionWriter::Begin(zone, site_id, *day, landing::Compression::kZstd);
  if (!writer.ok()) {
    ADD_FAILURE() << writer.error().ToString();
    return lines;
  }
  for (const auto& l : lines) {
    Status st = (*writer)->Add(l, l.find("truncatedActionsCount") != std::string::npos);
    if (!st.ok()) ADD_FAILURE() << st.error().ToString();
  }
  landing::Manifest m;
  m.site_timezone = timezone;
  m.matomo_nb_visits = static_cast<int64_t>(lines.size());
  m.source_url = "http://127.0.0.1/";
  m.matomo_version = "5.1.2";
  m.extracted_at = "2026-11-27T08:00:00Z";
  m.extractor_version = "test";
  auto committed = (*writer)->Commit(m);
  if (!committed.ok()) ADD_FAILURE() << committed.error().ToString();
  return lines;
}

RawCounts CountRaw(const std::vector<std::string>& lines) {
  RawCounts c;
  simdjson::dom::parser parser;
  for (const auto& line : lines) {
    simdjson::dom::element v;
    if (parser.parse(line).get(v)) continue;
    ++c.visits;
    simdjson::dom::object visit = v.get_object();
    for (auto [key, value] : visit) {
      if (key.substr(0, 9) == "dimension" && !value.is_null()) ++c.custom_dimensions;
    }
    simdjson::dom::array actions;
    if (visit["actionDetails"].get_array().get(actions)) continue;
    for (simdjson::dom::element a : actions) {
      ++c.actions;
      simdjson::dom::object action = a.get_object();
      std::string_view type;
      if (!action["type"].get_string().get(type)) {
        if (type == "action") ++c.pageviews;
        if (type == "goal" || type == "ecommerceOrder" || type == "ecommerceAbandonedCart") ++c.conversions;
        if (type == "ecommerceOrder" || type == "ecommerceAbandonedCart") {
          simdjson::dom::array items;
          if (!action["itemDetails"].get_array().get(items)) c.ecommerce_items += static_cast<int64_t>(items.size());
        }
      }
      for (auto [key, value] : action) {
        if (key.substr(0, 9) == "dimension" && !value.is_null()) ++c.custom_dimensions;
      }
    }
  }
  return c;
}

void ExpectRowCounts(const std::string& url, int64_t site_id, const RawCounts& c) {
  std::string where = " WHERE site_id = " + std::to_string(site_id);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_visits" + where), c.visits) << "site " << site_id;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_raw_visits" + where), c.visits) << "site " << site_id;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_actions" + where), c.actions) << "site " << site_id;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_custom_dimensions" + where), c.custom_dimensions)
      << "site " << site_id;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_conversions" + where), c.conversions) << "site " << site_id;
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_ecommerce_items" + where), c.ecommerce_items)
      << "site " << site_id;
}

}  // namespace metl::e2e
