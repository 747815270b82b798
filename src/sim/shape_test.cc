// The generator must produce every key Matomo 5.1.2 sends, with a compatible JSON type: at visit
// level, per action type inside actionDetails, and inside itemDetails. Types are compared as
// number (int and float alike), string, null, bool, array, object; the union over generated
// days must cover the union seen in the reference responses (tests/data, copied from a real
// Matomo). A failure lists every difference at once.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "sim/generated_dataset.h"
#include "sim/sim_test_util.h"

namespace metl::sim {
namespace {

using Shapes = std::map<std::string, std::set<std::string>>;  // "scope key" -> types

std::string TypeName(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: return "array";
    case simdjson::dom::element_type::OBJECT: return "object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE: return "number";
    case simdjson::dom::element_type::STRING: return "string";
    case simdjson::dom::element_type::BOOL: return "bool";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
  }
  return "?";
}

void Collect(simdjson::dom::element visit, Shapes& shapes) {
  for (auto [key, value] : visit.get_object()) {
    shapes["visit " + std::string(key)].insert(TypeName(value));
  }
  for (simdjson::dom::element action : visit["actionDetails"].get_array()) {
    simdjson::dom::element type = action["type"];
    std::string scope = type.is_string() ? std::string(type.get_string().value()) : std::to_string(int64_t(type));
    for (auto [key, value] : action.get_object()) {
      shapes["action:" + scope + " " + std::string(key)].insert(TypeName(value));
    }
    simdjson::dom::element items;
    if (action["itemDetails"].get(items) == simdjson::SUCCESS && items.is_array()) {
      for (simdjson::dom::element item : items.get_array()) {
        for (auto [key, value] : item.get_object()) shapes["item " + std::string(key)].insert(TypeName(value));
      }
    }
  }
}

Shapes ReferenceShapes() {
  Shapes shapes;
  simdjson::dom::parser parser;
  for (const char* file : {"live_site1_day_limit100_offset0.json", "live_site2_newyork_day_limit100_offset0.json",
                           "live_site1_limit5_doNotFetchActions.json"}) {
    simdjson::dom::element doc;
    auto error = parser.load(testing::ReferenceDir() + "/" + file).get(doc);
    EXPECT_EQ(error, simdjson::SUCCESS) << file;
    if (error) continue;
    for (simdjson::dom::element visit : doc.get_array()) Collect(visit, shapes);
  }
  return shapes;
}

TEST(ShapeTest, ReferenceDataComesFromTheRepository) {
  const std::string dir = testing::ReferenceDir();
  EXPECT_EQ(dir.find("/shared"), std::string::npos);
  EXPECT_EQ(dir.rfind(METL_SOURCE_DIR, 0), 0u);
  for (const char* file : {"live_site1_day_limit100_offset0.json", "live_site2_newyork_day_limit100_offset0.json",
                           "live_site1_limit5_doNotFetchActions.json", "visitssummary_site1_day.json"}) {
    EXPECT_TRUE(std::filesystem::exists(dir + "/" + file)) << file;
  }
  Shapes ref = ReferenceShapes();
  EXPECT_GT(ref.size(), 150u);  // the files really were read
}

TEST(ShapeTest, GeneratedVisitsCoverEveryReferenceKeyAndType) {
  Shapes ref = ReferenceShapes();
  auto ds = GeneratedDataset::Create(testing::TestOptions(150));
  ASSERT_TRUE(ds.ok());
  Shapes gen;
  simdjson::dom::parser parser;
  for (int64_t site = 1; site <= 2; ++site) {
    for (CivilDate day = CivilDate::FromYmd(2026, 11, 24); day <= CivilDate::FromYmd(2026, 11, 26); ++day) {
      for (const SimVisit& v : *(*ds)->VisitsOfDay(site, day)) {
        simdjson::dom::element doc;
        ASSERT_EQ(parser.parse(v.json).get(doc), simdjson::SUCCESS) << v.json.substr(0, 300);
        Collect(doc, gen);
      }
    }
  }
  std::string differences;
  for (const auto& [key, types] : ref) {
    auto it = gen.find(key);
    if (it == gen.end()) {
      differences += "  missing: " + key + "\n";
      continue;
    }
    for (const std::string& t : types) {
      if (!it->second.count(t)) differences += "  " + key + ": reference has " + t + ", generator never\n";
    }
  }
  EXPECT_TRUE(differences.empty()) << "generated visits differ from Matomo 5.1.2:\n" << differences;
}

}  // namespace
}  // namespace metl::sim
