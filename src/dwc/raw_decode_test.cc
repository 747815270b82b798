#include "dwc/raw_decode.h"

#include <gtest/gtest.h>

#include "core/base64.h"
#include "dwc/labels.h"
#include "dwc/live_visit.h"
#include "dwc/raw_row.h"
#include "dwc/raw_store.h"

namespace metl::dwc {
namespace {

const std::string kId = std::string("\x26\x94\x22\x32\x72\x21\xac\xd6", 8);

TEST(DwcDecode, BinaryIdsInEveryForm) {
  EXPECT_EQ(DecodeBinary("269422327221acd6", {8}), kId);
  EXPECT_EQ(DecodeBinary("269422327221ACD6", {8}), kId);
  EXPECT_EQ(DecodeBinary(Base64Encode(kId), {8}), kId);                      // plain base64
  EXPECT_EQ(DecodeBinary("base64:type254:" + Base64Encode(kId), {8}), kId);  // MySQL 8 JSON_OBJECT
  EXPECT_EQ(DecodeBinary("base64:type15:WD0VKA==", {4, 16}), std::string("\x58\x3d\x15\x28", 4));
  EXPECT_EQ(DecodeBinary("583d1528", {4, 16}), std::string("\x58\x3d\x15\x28", 4));
  EXPECT_FALSE(DecodeBinary("not an id", {8}));
  EXPECT_FALSE(DecodeBinary("2694", {8}));  // hex of the wrong length
  EXPECT_FALSE(DecodeBinary("base64:type254:!!", {8}));
  EXPECT_EQ(HexOf(kId), "269422327221acd6");
}

TEST(DwcDecode, Ips) {
  EXPECT_EQ(IpToString(std::string("\x58\x3d\x15\x28", 4)), "88.61.21.40");
  EXPECT_EQ(IpToString(*DecodeBinary("20010db8000000000000000000000001", {4, 16})), "2001:db8::1");
  EXPECT_EQ(IpToString("xyz"), "0.0.0.0");
}

TEST(DwcDecode, DateTimesAreUtcWithOrWithoutFraction) {
  const int64_t t = 1796169580;  // 2026-12-01 23:59:40 UTC
  EXPECT_EQ(ParseUtcDateTime("2026-12-01 23:59:40"), t);
  EXPECT_EQ(ParseUtcDateTime("2026-12-01T23:59:40"), t);
  EXPECT_EQ(ParseUtcDateTime("2026-12-01 23:59:40.000000"), t);
  EXPECT_EQ(ParseUtcDateTime("2026-12-01 23:59:40.5"), t);
  EXPECT_EQ(ParseUtcDateTime("2026-12-01T23:59:40Z"), t);
  EXPECT_FALSE(ParseUtcDateTime("2026-12-01"));
  EXPECT_FALSE(ParseUtcDateTime("2026-13-01 00:00:00"));
  EXPECT_FALSE(ParseUtcDateTime("2026-12-01 23:59:40+02:00"));  // not UTC: refused, never shifted silently
}

TEST(DwcRawRow, KeepsUnknownColumnsAndNumberLiterals) {
  auto row = ParseRawRow(R"({"idvisit": 925, "revenue": 106.98, "name": "a\"b", "new_col": [1, 2], "n": null})", "t");
  ASSERT_TRUE(row.ok()) << row.error().ToString();
  EXPECT_EQ(row->Int("idvisit"), 925);
  EXPECT_EQ(row->Text("revenue"), "106.98");
  EXPECT_EQ(row->Text("name"), "a\"b");
  EXPECT_EQ(row->Text("new_col"), "[1, 2]");
  EXPECT_FALSE(row->Text("n"));
  EXPECT_FALSE(row->Text("absent"));
}

TEST(DwcRawRow, MalformedLineNamesWhere) {
  auto row = ParseRawRow(R"({"idvisit": 925,)", "file log_visit.jsonl line 7");
  ASSERT_FALSE(row.ok());
  EXPECT_NE(row.error().message().find("file log_visit.jsonl line 7"), std::string::npos);
  EXPECT_FALSE(ParseRawRow("[1]", "x").ok());
  EXPECT_FALSE(ParseRawRow("{} {}", "x").ok());
}

TEST(DwcRawStore, TableOfKeyLongestNameWins) {
  std::string name;
  EXPECT_EQ(TableOfKey("log_conversion_item/2026-12-01/part-0.jsonl.gz", &name), RawTable::kConversionItem);
  EXPECT_EQ(name, "log_conversion_item");
  EXPECT_EQ(TableOfKey("export/log_conversion_item.jsonl", nullptr), RawTable::kConversionItem);
  EXPECT_EQ(TableOfKey("export/log_conversion-0001.jsonl", nullptr), RawTable::kConversion);
  EXPECT_EQ(TableOfKey("site=1/log_visit_2026-12-01.jsonl.zst", nullptr), RawTable::kVisit);
  EXPECT_EQ(TableOfKey("matomo_log_link_visit_action.jsonl", nullptr), RawTable::kLinkVisitAction);
  EXPECT_EQ(TableOfKey("log_media_plays.jsonl", &name), RawTable::kOther);
  EXPECT_EQ(name, "log_media_plays");
  EXPECT_EQ(TableOfKey("readme.txt", &name), RawTable::kOther);
  EXPECT_EQ(name, "");
}

TEST(DwcRawStore, NewestRowWinsPerPrimaryKey) {
  RawStore store;
  auto add = [&](RawTable t, const char* json) {
    auto row = ParseRawRow(json, "t");
    ASSERT_TRUE(row.ok());
    ASSERT_TRUE(store.Add(t, *row, "t").ok());
  };
  add(RawTable::kVisit, R"({"idvisit": 1, "idsite": 1, "visit_total_actions": 1})");
  add(RawTable::kVisit, R"({"idvisit": 1, "idsite": 1, "visit_total_actions": 3})");
  add(RawTable::kConversion, R"({"idvisit": 1, "idgoal": -1, "buster": 0, "revenue": 5})");
  add(RawTable::kConversion, R"({"idvisit": 1, "idgoal": -1, "buster": 0, "revenue": 9})");
  store.Index();
  ASSERT_EQ(store.visits().size(), 1u);
  EXPECT_EQ(store.visits().at(1).Int("visit_total_actions"), 3);
  ASSERT_EQ(store.ConversionsOf(1).size(), 1u);
  EXPECT_EQ(store.ConversionsOf(1)[0]->Text("revenue"), "9");
  auto keyless = ParseRawRow(R"({"idsite": 1})", "t");
  Status s = store.Add(RawTable::kVisit, *keyless, "file v.jsonl line 3");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("file v.jsonl line 3"), std::string::npos);
}

TEST(DwcRawStore, RemoveTakesOutTheStoredVersionOfAKey) {
  // dwc load keeps only the rows of the days it rebuilds: a newer version it does not keep must take
  // the older, kept one out, so that the store equals the whole export filtered.
  RawStore store;
  auto row = [](const char* json) { return *ParseRawRow(json, "t"); };
  ASSERT_TRUE(store.Add(RawTable::kLinkVisitAction, row(R"({"idlink_va": 7, "idvisit": 1})"), "t").ok());
  store.Remove(RawTable::kLinkVisitAction, row(R"({"idlink_va": 7, "idvisit": 2})"));
  store.Remove(RawTable::kLinkVisitAction, row(R"({"idvisit": 2})"));  // keyless: nothing to remove
  store.Index();
  EXPECT_EQ(store.LinkAction(7), nullptr);
  EXPECT_TRUE(store.ActionsOf(1).empty());
  EXPECT_FALSE(RawStore::CheckKey(RawTable::kConversion, row(R"({"idvisit": 1})"), "f row 2").ok());
  EXPECT_TRUE(RawStore::CheckKey(RawTable::kConversion, row(R"({"idvisit": 1, "idgoal": 0})"), "f row 2").ok());
}

TEST(DwcLive, TextRulesOfLive) {
  EXPECT_EQ(HtmlSpecialCharsDecode("Quote &#039;single&#039; &amp; &quot;double&quot; &lt;tags&gt;"),
            "Quote 'single' & \"double\" <tags>");
  EXPECT_EQ(HtmlSpecialCharsDecode("&amp;lt;"), "&lt;");  // one pass, as PHP
  EXPECT_EQ(PhpUrlDecode("beste+jacke%21%"), "beste jacke!%");
  EXPECT_EQ(RebuildActionUrl("shop.example.com/a?b=1&amp;c=2", 2, ""), "https://shop.example.com/a?b=1&c=2");
  EXPECT_EQ(RebuildActionUrl("Example.COM/Path#", 1, ""), "http://www.example.com/Path");
  EXPECT_EQ(RebuildActionUrl("https://x.org/p", std::nullopt, ""), "https://x.org/p");
  EXPECT_EQ(RebuildActionUrl("shop.example.com/p", 0, "https://shop.example.com"), "https://shop.example.com/p");
  EXPECT_EQ(RebuildActionUrl("other.example.com/p", 0, "https://shop.example.com"), "http://other.example.com/p");
}

TEST(DwcLabels, FactsMatomoShows) {
  EXPECT_EQ(DeviceTypeLabel(0), "Desktop");
  EXPECT_EQ(DeviceTypeLabel(2), "Tablet");
  EXPECT_EQ(DeviceTypeLabel(std::nullopt), "Unknown");
  EXPECT_EQ(DeviceTypeLabel(99), "Unknown");
  EXPECT_EQ(DeviceBrandLabel(""), "Unknown");
  EXPECT_EQ(DeviceBrandLabel("AP"), "Apple");
  EXPECT_EQ(DeviceBrandLabel("ZZ"), "ZZ");  // not in the table: the code, documented
  EXPECT_EQ(DeviceModelLabel("generic desktop"), "Generic Desktop");
  EXPECT_EQ(DeviceModelLabel("iPhone"), "iPhone");
  EXPECT_EQ(OsLabel("IPA"), "iOS");
  EXPECT_EQ(BrowserLabel("PS"), "Microsoft Edge");
  EXPECT_EQ(ContinentCode("de"), "eur");
  EXPECT_EQ(ContinentCode("us"), "amn");
  EXPECT_EQ(ContinentCode("jp"), "asi");
  EXPECT_EQ(ContinentCode("xx"), "unk");
}

}  // namespace
}  // namespace metl::dwc
