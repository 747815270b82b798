// Round-trip exactness (issue 7): visits whose titles, URLs, event names, dimensions and SKUs hold
// quotes, backslashes, newlines, tabs, control characters, emoji, right-to-left text, NaN-like
// strings and 1 MB strings; numbers at the int64 limits, floats with exponents, revenues with many
// decimals; a visit with 10,000 actions. Served by matomo-sim --replay, synced over HTTP into every
// warehouse engine, and read back equal.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "harness.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;
constexpr const char* kNow = "2026-11-27 08:00:00";
constexpr int64_t kDayStart = 1795564800;  // 2026-11-25 00:00:00 UTC

// JSON string literal of UTF-8 text (the escapes Matomo's PHP json_encode uses).
std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '/': out += "\\/"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

const std::vector<std::string>& HostileTexts() {
  static const std::vector<std::string> texts = {
      "She said \"hi\" and 'bye'",
      "C:\\path\\to\\file \\\\server\\share \\u0041 not an escape",
      "line one\nline two\r\nline three",
      "col1\tcol2\t\tcol4",
      std::string("ctl \x01\x02\x1f\x7f end"),
      "emoji \xF0\x9F\x98\x80 \xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB flags \xF0\x9F\x87\xA9\xF0\x9F\x87\xAA",
      "rtl \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xD8\xA7\xD9\x84\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A\xD8\xA9 \xE2\x80\x8F mixed",
      "NaN",
      "-Infinity",
      "null",
      "1e309",
      "SELECT 1; DROP TABLE matomo_visits; --",
      "\\N",
      "\\.",
      std::string(1 << 20, 'x') + "END",
  };
  return texts;
}

// One visit with one pageview per hostile text, an event and an order with an item.
std::string Visit(int64_t id, int64_t ts, const std::string& text, int extra_pageviews = 0) {
  std::string actions;
  auto add = [&](const std::string& a) { actions += (actions.empty() ? "" : ",") + a; };
  add(R"({"type":"action","url":)" + JsonString("https://shop.example.com/p?q=" + text) + R"(,"pageTitle":)" +
      JsonString(text) + R"(,"pageIdAction":1,"idpageview":"a1","pageviewPosition":1,"timestamp":)" +
      std::to_string(ts) + R"(,"dimension2":)" + JsonString(text) + "}");
  add(R"({"type":"event","url":"https:\/\/shop.example.com\/","eventCategory":)" + JsonString(text) +
      R"(,"eventAction":"a","eventName":)" + JsonString(text) + R"(,"eventValue":1.5e-7,"timestamp":)" +
      std::to_string(ts + 1) + "}");
  add(R"({"type":"ecommerceOrder","orderId":)" + JsonString(text) +
      R"(,"revenue":"12345678901.123456","revenueSubTotal":1.0e2,"revenueTax":"0.000001","revenueShipping":0,)"
      R"("revenueDiscount":"19.999999","items":1,"timestamp":)" +
      std::to_string(ts + 2) + R"(,"itemDetails":[{"itemSKU":)" + JsonString(text) + R"(,"itemName":)" +
      JsonString(text) + R"(,"itemCategory":"c","price":"9.99","quantity":9223372036854775807}]})");
  for (int i = 0; i < extra_pageviews; ++i) {
    add(R"({"type":"action","url":"https:\/\/shop.example.com\/)" + std::to_string(i) +
        R"(","pageTitle":"p","pageviewPosition":)" + std::to_string(i + 2) + R"(,"timestamp":)" +
        std::to_string(ts + 3) + "}");
  }
  int64_t actions_count = 3 + extra_pageviews;
  return R"({"idSite":1,"idVisit":)" + std::to_string(id) + R"(,"visitorId":"00000000000000aa","visitIp":"::1",)"
         R"("serverDate":"2026-11-25","firstActionTimestamp":)" + std::to_string(ts) + R"(,"lastActionTimestamp":)" +
         std::to_string(ts + 3) + R"(,"serverTimestamp":)" + std::to_string(ts + 3) +
         R"(,"visitDuration":3,"actions":)" + std::to_string(actions_count) +
         R"(,"visitConverted":1,"goalConversions":1,"userId":)" + JsonString(text) +
         R"(,"referrerType":"website","referrerName":"r","referrerUrl":)" + JsonString("https://r.example/" + text) +
         R"(,"referrerKeyword":)" + JsonString(text) + R"(,"dimension1":)" + JsonString(text) +
         R"(,"visitCount":9223372036854775807,"daysSinceFirstVisit":-9223372036854775808,"actionDetails":[)" + actions +
         "]}";
}

class HostileRoundTrip : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  void SetUp() override { url_ = GetParam().FreshUrl(tmp_); }
  TempDir tmp_;
  std::string url_;
};

TEST_P(HostileRoundTrip, EveryHostileValueReadsBackEqual) {
  fs::path replay = tmp_.path() / "replay";
  fs::create_directories(replay / "site=1");
  fs::copy_file(TestData("replay/sites.json"), replay / "sites.json");
  const auto& texts = HostileTexts();
  std::string lines;
  for (size_t i = 0; i < texts.size(); ++i) lines += Visit(1000 + i, kDayStart + 3600 + 60 * i, texts[i]) + "\n";
  lines += Visit(5000, kDayStart + 7200, "many actions", 10000 - 3) + "\n";
  WriteFile(replay / "site=1" / "date=2026-11-25.jsonl", lines);

  SimServer sim({"--replay", replay.string(), "--now", kNow});
  std::string landing = (tmp_.path() / "landing").string();
  ProcessResult r = RunEtl({"sync", "--url", sim.url(), "--landing", landing, "--warehouse", url_, "--site", "1",
                            "--from", "2026-11-25", "--to", "2026-11-25", "--now", kNow},
                           {{"MATOMO_TOKEN_AUTH", SimServer::kToken}}, "", 600);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err.substr(0, 4000);

  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits"), static_cast<int64_t>(texts.size()) + 1);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_actions WHERE visit_id = 5000"), 10000);
  // visitCount at INT64_MAX does not fit the 32-bit visit_count: NULL in every engine (DuckDB used to
  // truncate it silently, PostgreSQL to fail the partition); the raw visit keeps the exact value.
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits WHERE visit_count IS NULL AND "
                           "days_since_first_visit IS NULL"),
            static_cast<int64_t>(texts.size()) + 1);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_visits WHERE CAST(visit AS VARCHAR) LIKE "
                           "'%9223372036854775807%'"),
            static_cast<int64_t>(texts.size()) + 1);
  for (size_t i = 0; i < texts.size(); ++i) {
    SCOPED_TRACE("text #" + std::to_string(i));
    std::string id = std::to_string(1000 + i);
    auto one = [&](const std::string& sql) -> std::string {
      Rows rows = QueryWarehouse(url_, sql);
      if (rows.rows.size() != 1 || !rows.rows[0][0]) return "<" + std::to_string(rows.rows.size()) + " rows or NULL>";
      return *rows.rows[0][0];
    };
    EXPECT_EQ(one("SELECT page_title FROM matomo_actions WHERE action_type_raw = 'action' AND visit_id = " + id),
              texts[i]);
    EXPECT_EQ(one("SELECT url FROM matomo_actions WHERE action_type_raw = 'action' AND visit_id = " + id),
              "https://shop.example.com/p?q=" + texts[i]);
    EXPECT_EQ(one("SELECT event_name FROM matomo_actions WHERE action_type_raw = 'event' AND visit_id = " + id),
              texts[i]);
    EXPECT_EQ(one("SELECT event_category FROM matomo_actions WHERE action_type_raw = 'event' AND visit_id = " + id),
              texts[i]);
    EXPECT_EQ(one("SELECT sku FROM matomo_ecommerce_items WHERE visit_id = " + id), texts[i]);
    EXPECT_EQ(one("SELECT value FROM matomo_custom_dimensions WHERE scope = 'visit' AND visit_id = " + id), texts[i]);
    EXPECT_EQ(one("SELECT referrer_keyword FROM matomo_visits WHERE visit_id = " + id), texts[i]);
    EXPECT_EQ(one("SELECT user_id FROM matomo_visits WHERE visit_id = " + id), texts[i]);
    // Money is exact decimal; bigints keep their limits; tiny floats keep their exponent.
    EXPECT_EQ(one("SELECT CAST(revenue AS VARCHAR) FROM matomo_conversions WHERE visit_id = " + id),
              "12345678901.123456");
    EXPECT_EQ(one("SELECT CAST(revenue_discount AS VARCHAR) FROM matomo_conversions WHERE visit_id = " + id),
              "19.999999");
    EXPECT_EQ(one("SELECT CAST(quantity AS VARCHAR) FROM matomo_ecommerce_items WHERE visit_id = " + id),
              "9223372036854775807");
    EXPECT_EQ(one("SELECT count(*) FROM matomo_actions WHERE event_value = 1.5e-7 AND visit_id = " + id), "1");
  }
  // The raw JSON keeps every byte of the 1 MB string.
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_visits WHERE visit_id = 1014 AND "
                           "length(CAST(visit AS VARCHAR)) > 3000000"),
            1);
}

METL_INSTANTIATE_WAREHOUSE_SUITE(HostileRoundTrip);

}  // namespace
}  // namespace metl::e2e
