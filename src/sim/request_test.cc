#include "sim/request.h"

#include <gtest/gtest.h>

namespace metl::sim {
namespace {

TEST(SimRequest, DecodesFormEncoding) {
  EXPECT_EQ(UrlDecode("a+b%2Fc%3d%zz%4"), "a b/c=%zz%4");
  std::map<std::string, std::string> m;
  ParseFormInto("a=1&b=&c&a=2&=x&d=%26", m);
  EXPECT_EQ(m["a"], "1");  // the first occurrence wins
  EXPECT_EQ(m["b"], "");
  EXPECT_EQ(m["c"], "");
  EXPECT_EQ(m["d"], "&");
  EXPECT_EQ(m.count(""), 0u);
}

TEST(SimRequest, MergesQueryAndBodyWithQueryWinning) {
  auto r = ParseApiRequest("POST", "/index.php?module=API&method=Live.getLastVisitsDetails&idSite=1",
                           "idSite=2&period=day&token_auth=secret");
  EXPECT_EQ(r.Get("idSite", ""), "1");  // $_GET + $_POST
  EXPECT_EQ(r.Get("period", ""), "day");
  EXPECT_EQ(r.Get("missing", "fallback"), "fallback");
  EXPECT_FALSE(r.token_in_query);
  ASSERT_TRUE(r.token_in_body);
  EXPECT_EQ(*r.token_in_body, "secret");
  EXPECT_FALSE(r.Has("token_auth"));  // never in params (they get logged)
}

TEST(SimRequest, SeparatesTokenInQuery) {
  auto r = ParseApiRequest("GET", "/?module=API&token_auth=abc#frag", "");
  ASSERT_TRUE(r.token_in_query);
  EXPECT_EQ(*r.token_in_query, "abc");
  EXPECT_FALSE(r.token_in_body);
  EXPECT_FALSE(r.Has("token_auth"));
}

TEST(SimRequest, ParsesIntegersLikePhp) {
  auto r = ParseApiRequest("GET", "/?a=12&b=-1&c=x&d=7abc&e=", "");
  EXPECT_EQ(ParamInt(r, "a", 0), 12);
  EXPECT_EQ(ParamInt(r, "b", 0), -1);
  EXPECT_EQ(ParamInt(r, "c", 5), 5);
  EXPECT_EQ(ParamInt(r, "d", 0), 7);
  EXPECT_EQ(ParamInt(r, "e", 9), 9);
  EXPECT_EQ(ParamInt(r, "zz", 100), 100);
}

}  // namespace
}  // namespace metl::sim
