// A Live page holding invalid UTF-8 (issue 7): before, simdjson refused the whole page as malformed,
// so the day failed on every retry. Now the bytes are replaced by U+FFFD, counted, and the page parses.
#include <gtest/gtest.h>

#include <string>

#include "matomo/api.h"

namespace metl::matomo {
namespace {

TEST(LivePageUtf8, InvalidBytesAreReplacedVisiblyAndCounted) {
  std::string body = "[{\"idVisit\":7,\"lastActionTimestamp\":1795000000,\"pageTitle\":\"caf\xE9 \xFF\xFE ok\"}]";
  auto page = ParseLivePage(std::string(body));
  ASSERT_TRUE(page.ok()) << page.error().message();
  EXPECT_EQ(page->invalid_utf8_replaced, 3);
  ASSERT_EQ(page->visits.size(), 1u);
  EXPECT_EQ(page->visits[0].id_visit, 7);
  EXPECT_NE(std::string(page->visits[0].raw).find("caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD ok"), std::string::npos);
}

TEST(LivePageUtf8, ReplacementsAreCountedPerVisit) {
  std::string body = "[{\"idVisit\":1,\"lastActionTimestamp\":1795000000,\"t\":\"\xE9t\xE9\"},"
                     "{\"idVisit\":2,\"lastActionTimestamp\":1795000000,\"t\":\"ok\"},"
                     "{\"idVisit\":3,\"lastActionTimestamp\":1795000000,\"t\":\"\xFF\"}]";
  auto page = ParseLivePage(std::string(body));
  ASSERT_TRUE(page.ok()) << page.error().message();
  EXPECT_EQ(page->invalid_utf8_replaced, 3);
  ASSERT_EQ(page->visits.size(), 3u);
  EXPECT_EQ(page->visits[0].invalid_utf8_replaced, 2);
  EXPECT_EQ(page->visits[1].invalid_utf8_replaced, 0);
  EXPECT_EQ(page->visits[2].invalid_utf8_replaced, 1);
}

TEST(LivePageUtf8, ValidPagesAreByteExact) {
  std::string body = "[{\"idVisit\":8,\"lastActionTimestamp\":1795000000,\"t\":\"\xF0\x9F\x98\x80 \\u00e9\"}]";
  auto page = ParseLivePage(std::string(body));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->invalid_utf8_replaced, 0);
  EXPECT_EQ(std::string(page->visits[0].raw), body.substr(1, body.size() - 2));
}

}  // namespace
}  // namespace metl::matomo
