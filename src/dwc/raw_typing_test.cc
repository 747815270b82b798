#include "dwc/raw_typing.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base64.h"

namespace metl::dwc {
namespace {

const std::string kId = std::string("\x26\x94\x22\x32\x72\x21\xac\xd6", 8);

RawRow Row(const std::string& json) {
  auto r = ParseRawRow(json, "test");
  EXPECT_TRUE(r.ok()) << json;
  return r.ok() ? *r : RawRow();
}

std::string Value(const RawTyper& typer, const TypedRawRow& row, std::string_view column) {
  for (size_t i = 0; i < typer.columns().size(); ++i) {
    if (typer.columns()[i] == column) return row.values[i];
  }
  ADD_FAILURE() << "no column " << column;
  return "";
}

TEST(DwcRawSchema, TheTwentyTablesOfTheDwcSchemaWithTheirKeys) {
  ASSERT_EQ(DwcRawTables().size(), 20u);
  const DwcRawTable* visit = FindDwcRawTable("log_visit");
  ASSERT_NE(visit, nullptr);
  EXPECT_EQ(visit->def.name, "matomo_raw_dwc_log_visit");
  EXPECT_TRUE(visit->upsert);
  EXPECT_EQ(visit->def.key, std::vector<std::string_view>{"idvisit"});
  EXPECT_EQ(visit->def.columns.size(), 79u + 3u);  // the schema's 79, then _dwc_file, _dwc_file_time, _dwc_extra
  const auto& conversion = FindDwcRawTable("log_conversion")->def;
  EXPECT_EQ(conversion.key, (std::vector<std::string_view>{"idvisit", "idgoal", "buster"}));
  EXPECT_FALSE(conversion.columns[conversion.ColumnIndex("buster")].nullable);
  EXPECT_EQ(FindDwcRawTable("log_conversion_item")->def.key,
            (std::vector<std::string_view>{"idvisit", "idorder", "idaction_sku"}));
  int upserted = 0;
  for (const auto& t : DwcRawTables()) {
    upserted += t.upsert;
    if (!t.upsert) {
      EXPECT_EQ(t.def.key, std::vector<std::string_view>{"_dwc_row_hash"}) << t.dwc_name;
    }
  }
  EXPECT_EQ(upserted, 5);
  const auto& site = FindDwcRawTable("site")->def;
  EXPECT_EQ(site.columns[site.ColumnIndex("ts_created")].type, LogicalType::kTimestampTz);
  EXPECT_EQ(visit->def.columns[visit->def.ColumnIndex("location_latitude")].type, LogicalType::kDecimal);
  EXPECT_EQ(FindDwcRawTable("log_form"), FindDwcRawTable("log_form"));
  EXPECT_EQ(FindDwcRawTable("custom_dimensions"), nullptr);  // not exported: not in the DWC schema
}

// The declaration is the schema files: every column of every file, with its type, nothing else.
TEST(DwcRawSchema, MatchesTheSchemaFiles) {
  namespace fs = std::filesystem;
  int files = 0;
  for (const auto& e : fs::directory_iterator(fs::path(METL_SOURCE_DIR) / "src/normalize/dwc_schema")) {
    if (e.path().extension() != ".json") continue;
    ++files;
    const DwcRawTable* t = FindDwcRawTable(e.path().stem().string());
    ASSERT_NE(t, nullptr) << e.path();
    std::stringstream text;
    text << std::ifstream(e.path()).rdbuf();
    size_t columns = 0;
    for (const auto& c : t->def.columns) {
      if (c.source == "dwc load") continue;
      ++columns;
      EXPECT_NE(text.str().find("\"name\": \"" + std::string(c.name) + "\""), std::string::npos) << c.name;
    }
    size_t names = 0;
    for (size_t at = 0; (at = text.str().find("\"name\":", at)) != std::string::npos; ++at) ++names;
    EXPECT_EQ(columns, names) << e.path();
  }
  EXPECT_EQ(files, 20);
}

TEST(DwcRawTyping, EveryFormOfTheExportGivesTheSameTypedRow) {
  const DwcRawTable& table = *FindDwcRawTable("log_visit");
  RawTyper typer(table);
  auto hex = typer.Type(Row(R"({"idvisit": 7, "idvisitor": "269422327221ACD6", "config_id": "269422327221acd6",
      "location_ip": "583d1528", "visit_last_action_time": "2026-12-01 10:11:12", "visitor_localtime": "09:08:07",
      "location_latitude": "48.137154", "visit_total_time": "12"})"), "hex");
  auto mysql = typer.Type(Row(R"({"idvisit": "7", "idvisitor": "base64:type254:)" + Base64Encode(kId) +
                              R"(", "config_id": ")" + Base64Encode(kId) + R"(", "location_ip": "base64:type15:WD0VKA==",
      "visit_last_action_time": "2026-12-01T10:11:12.000000Z", "visitor_localtime": "09:08:07.000000",
      "location_latitude": 48.137154, "visit_total_time": 12.0})"), "mysql");
  ASSERT_TRUE(hex.ok() && mysql.ok());
  EXPECT_EQ(hex->values, mysql->values);
  EXPECT_EQ(hex->Hash(), mysql->Hash());
  EXPECT_EQ(Value(typer, *hex, "idvisitor"), "'269422327221acd6'");
  EXPECT_EQ(Value(typer, *hex, "location_ip"), "'88.61.21.40'");
  EXPECT_EQ(Value(typer, *hex, "visit_last_action_time"), "'2026-12-01 10:11:12+00'");
  EXPECT_EQ(Value(typer, *hex, "visitor_localtime"), "'09:08:07'");
  EXPECT_EQ(Value(typer, *hex, "location_latitude"), "48.137154");
  EXPECT_EQ(Value(typer, *hex, "referer_name"), "NULL");
  EXPECT_EQ(hex->extra, "");
  auto frac = typer.Type(Row(R"({"idvisit": 7, "visit_first_action_time": "2026-12-01 10:11:12.25"})"), "f");
  ASSERT_TRUE(frac.ok());
  EXPECT_EQ(Value(typer, *frac, "visit_first_action_time"), "'2026-12-01 10:11:12.25+00'");
}

TEST(DwcRawTyping, UnknownColumnsAndUnfitValuesAreKeptNotFatal) {
  RawTyper typer(*FindDwcRawTable("log_visit"));
  auto r = typer.Type(Row(R"({"idvisit": 8, "brand_new": {"a": [1]}, "visit_total_actions": "many",
      "idvisitor": "not an id", "visit_last_action_time": "0000-00-00 00:00:00", "referer_name": "O'Brien\u0000",
      "visit_total_time": 2.5})"), "x");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Value(typer, *r, "visit_total_actions"), "NULL");
  EXPECT_EQ(Value(typer, *r, "idvisitor"), "NULL");
  EXPECT_EQ(Value(typer, *r, "visit_last_action_time"), "NULL");
  EXPECT_EQ(Value(typer, *r, "visit_total_time"), "NULL");  // 2.5 is no INTEGER
  EXPECT_EQ(Value(typer, *r, "referer_name"), "'O''Brien\xEF\xBF\xBD'");
  EXPECT_EQ(r->extra,
            R"({"brand_new":"{\"a\": [1]}","visit_total_actions":"many","idvisitor":"not an id",)"
            R"("visit_last_action_time":"0000-00-00 00:00:00","visit_total_time":2.5})");
}

TEST(DwcRawTyping, APrimaryKeyIsRequiredExceptMatomosDefaultedColumns) {
  RawTyper visits(*FindDwcRawTable("log_visit"));
  auto missing = visits.Type(Row(R"({"idsite": 1})"), "file k line 3");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("file k line 3: the row has no idvisit"), std::string::npos);
  RawTyper items(*FindDwcRawTable("log_conversion_item"));
  auto item = items.Type(Row(R"({"idvisit": 1, "idaction_sku": 2})"), "i");
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(Value(items, *item, "idorder"), "''");
  RawTyper conversions(*FindDwcRawTable("log_conversion"));
  auto conversion = conversions.Type(Row(R"({"idvisit": 1, "idgoal": -1})"), "c");
  ASSERT_TRUE(conversion.ok());
  EXPECT_EQ(Value(conversions, *conversion, "buster"), "0");
  // Tables without a key take any row.
  RawTyper forms(*FindDwcRawTable("log_form"));
  EXPECT_TRUE(forms.Type(Row(R"({"whatever": 1})"), "f").ok());
}

}  // namespace
}  // namespace metl::dwc
