#include "models/funnel_spec.h"

#include <gtest/gtest.h>

namespace metl::models {
namespace {

TEST(FunnelSpec, ParsesEveryStepKind) {
  auto f = ParseFunnels(
      " Shop: url=*/product/* > event=Ecommerce/add_to_cart > goal=order ; Lead:event=Form > goal=3 > goal=any;");
  ASSERT_TRUE(f.ok()) << f.error().ToString();
  ASSERT_EQ(f->size(), 2u);
  const Funnel& shop = (*f)[0];
  EXPECT_EQ(shop.name, "Shop");
  ASSERT_EQ(shop.steps.size(), 3u);
  EXPECT_EQ(shop.steps[0].kind, FunnelStep::Kind::kUrl);
  EXPECT_EQ(shop.steps[0].pattern, "%/product/%");
  EXPECT_EQ(shop.steps[0].definition, "url=*/product/*");
  EXPECT_EQ(shop.steps[1].category, "Ecommerce");
  EXPECT_EQ(shop.steps[1].action, "add_to_cart");
  EXPECT_EQ(shop.steps[2].kind, FunnelStep::Kind::kOrder);
  const Funnel& lead = (*f)[1];
  EXPECT_EQ(lead.steps[0].category, "Form");
  EXPECT_EQ(lead.steps[0].action, "");
  EXPECT_EQ(lead.steps[1].kind, FunnelStep::Kind::kGoal);
  EXPECT_EQ(lead.steps[1].goal_id, 3);
  EXPECT_EQ(lead.steps[2].kind, FunnelStep::Kind::kAnyConversion);
}

TEST(FunnelSpec, EmptyMeansNoFunnel) {
  auto f = ParseFunnels("  ");
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->empty());
}

TEST(FunnelSpec, MistakesAreConfigErrorsNamingTheFunnel) {
  for (const char* bad : {"Shop url=/x", "Shop: page=/x", "Shop: url=", "Shop: goal=abc", "Shop: goal=0",
                          "Shop: url=/a > > url=/b", "Shop: url=/a; Shop: url=/b", ": url=/a", "Shop: event=/x"}) {
    auto f = ParseFunnels(bad);
    ASSERT_FALSE(f.ok()) << bad;
    EXPECT_EQ(f.error().kind(), ErrorKind::kConfig) << bad;
    EXPECT_FALSE(f.error().context().hint.empty()) << bad;
  }
  EXPECT_NE(ParseFunnels("Shop: page=/x").error().message().find("funnel \"Shop\""), std::string::npos);
}

}  // namespace
}  // namespace metl::models
