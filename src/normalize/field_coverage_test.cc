// Field coverage against Matomo's own system-test fixtures (expected XML outputs of
// Live.getLastVisitsDetails): lists the fields the normalizer leaves to the raw table, and asserts
// that every field a contract column is declared to come from is read by the normalizer.
#include <zlib.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "normalize/schema.h"
#include "normalize/test_support.h"
#include "normalize/visit_normalizer.h"

namespace metl {
namespace {

namespace fs = std::filesystem;

std::string Gunzip(const fs::path& path) {
  std::string out;
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return out;
  char buf[65536];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  gzclose(f);
  return out;
}

// Field names per scope, from a tag scan: result/row/X is a visit field, .../actionDetails/row/X
// an action field, .../itemDetails/row/X an item field.
void ScanXml(const std::string& xml, std::map<FieldScope, std::set<std::string>>& fields) {
  std::vector<std::string> stack;
  size_t i = 0;
  while ((i = xml.find('<', i)) != std::string::npos) {
    size_t end = xml.find('>', i);
    if (end == std::string::npos) break;
    std::string tag = xml.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.empty() || tag[0] == '?' || tag[0] == '!') continue;
    bool self_closing = tag.back() == '/';
    if (tag[0] == '/') {
      if (!stack.empty()) stack.pop_back();
      continue;
    }
    std::string name = tag.substr(0, tag.find_first_of(" /"));
    size_t d = stack.size();
    if (d == 2 && stack[0] == "result" && stack[1] == "row") fields[FieldScope::kVisit].insert(name);
    if (d >= 2 && stack[d - 1] == "row" && stack[d - 2] == "actionDetails" && d == 4) {
      fields[FieldScope::kAction].insert(name);
    }
    if (d >= 2 && stack[d - 1] == "row" && stack[d - 2] == "itemDetails") fields[FieldScope::kItem].insert(name);
    if (!self_closing) stack.push_back(name);
  }
}

void ScanJson(const std::string& text, std::map<FieldScope, std::set<std::string>>& fields) {
  simdjson::dom::parser parser;
  simdjson::padded_string json(text);
  simdjson::dom::array visits;
  ASSERT_EQ(parser.parse(json).get(visits), simdjson::SUCCESS);
  for (simdjson::dom::element v : visits) {
    simdjson::dom::object visit;
    if (v.get(visit) != simdjson::SUCCESS) continue;
    for (const auto& f : visit) fields[FieldScope::kVisit].insert(std::string(f.key));
    simdjson::dom::array actions;
    if (visit.at_key("actionDetails").get(actions) != simdjson::SUCCESS) continue;
    for (simdjson::dom::element a : actions) {
      simdjson::dom::object action;
      if (a.get(action) != simdjson::SUCCESS) continue;
      for (const auto& f : action) fields[FieldScope::kAction].insert(std::string(f.key));
      simdjson::dom::array items;
      if (action.at_key("itemDetails").get(items) != simdjson::SUCCESS) continue;
      for (simdjson::dom::element i : items) {
        simdjson::dom::object item;
        if (i.get(item) != simdjson::SUCCESS) continue;
        for (const auto& f : item) fields[FieldScope::kItem].insert(std::string(f.key));
      }
    }
  }
}

// The JSON field a column is declared to come from ("visit.referrerName" -> visit scope,
// "referrerName"), when the source is one plain field.
bool PlainSource(std::string_view source, FieldScope* scope, std::string* field) {
  std::string_view rest;
  if (source.substr(0, 6) == "visit.") {
    *scope = FieldScope::kVisit;
    rest = source.substr(6);
  } else if (source.substr(0, 16) == "actionDetails[].") {
    *scope = FieldScope::kAction;
    rest = source.substr(16);
  } else if (source.substr(0, 14) == "itemDetails[].") {
    *scope = FieldScope::kItem;
    rest = source.substr(14);
  } else {
    return false;
  }
  size_t stop = rest.find_first_of(" ,(");
  *field = std::string(rest.substr(0, stop));
  if (*field == "dimensionN") *field = "dimension1";
  return !field->empty();
}

TEST(FieldCoverageTest, DeclaredSourcesAreReadByTheNormalizer) {
  for (const auto& table : CuratedTables()) {
    for (const auto& column : table.columns) {
      FieldScope scope;
      std::string field;
      if (!PlainSource(column.source, &scope, &field)) continue;
      EXPECT_TRUE(VisitNormalizer::ReadsField(scope, field))
          << table.name << "." << column.name << " is declared from " << column.source;
    }
  }
}

TEST(FieldCoverageTest, MatomoFixturesFieldsAreMappedOrKeptRaw) {
  fs::path dir = fs::path(METL_SHARED_DIR) / "reference" / "matomo-system-test-fixtures";
  if (!fs::exists(dir)) GTEST_SKIP() << dir << " is absent (needs ../shared): field coverage not checked";
  std::map<FieldScope, std::set<std::string>> fields;
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".gz") continue;
    ScanXml(Gunzip(entry.path()), fields);
    ++files;
  }
  ASSERT_GT(files, 0);
  // Fields of newer Matomo versions (idpageview, pageLoadTimeMilliseconds) come from the real 5.1.2 responses.
  for (const char* file : {"live_site1_day_limit100_offset0.json", "live_site2_newyork_day_limit100_offset0.json"}) {
    std::string text =
        test_support::ReadFileOrEmpty(std::string(METL_SOURCE_DIR) + "/tests/data/matomo-5.1.2/" + file);
    ASSERT_FALSE(text.empty()) << file;
    ScanJson(text, fields);
  }
  ASSERT_FALSE(fields[FieldScope::kVisit].empty());
  ASSERT_FALSE(fields[FieldScope::kAction].empty());

  // Report what stays raw-only (display strings, icons, pretty forms, IPs...).
  const char* names[] = {"visit", "action", "item"};
  for (auto scope : {FieldScope::kVisit, FieldScope::kAction, FieldScope::kItem}) {
    std::string unmapped;
    for (const auto& f : fields[scope]) {
      if (!VisitNormalizer::ReadsField(scope, f)) unmapped += (unmapped.empty() ? "" : ", ") + f;
    }
    std::printf("[coverage] %s fields kept in matomo_raw_visits only: %s\n", names[static_cast<int>(scope)],
                unmapped.c_str());
  }

  // Every contract column fed by one field must find that field in Matomo's own output, except the
  // fields stock Matomo's fixtures never show (campaign plugin, truncation, product views).
  const std::set<std::string> not_in_fixtures = {
      "campaignName", "campaignKeyword", "campaignSource", "campaignMedium", "campaignContent",
      "campaignId", "truncatedActionsCount", "productViewCategory", "interactionPosition"};
  for (const auto& table : CuratedTables()) {
    for (const auto& column : table.columns) {
      FieldScope scope;
      std::string field;
      if (!PlainSource(column.source, &scope, &field) || not_in_fixtures.count(field)) continue;
      EXPECT_TRUE(fields[scope].count(field))
          << table.name << "." << column.name << ": source field " << field << " never appears in the fixtures";
    }
  }
}

}  // namespace
}  // namespace metl
