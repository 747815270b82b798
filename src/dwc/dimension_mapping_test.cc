#include "dwc/dimension_mapping.h"

#include <gtest/gtest.h>


namespace metl::dwc {
namespace {

TEST(DwcDimensionMapping, ParsesTheRealApiAnswer) {
  // Matomo 5.1.2's answer for site 1 (the reference raw sample's
  // api/CustomDimensions.getConfiguredCustomDimensions_s1.json), the second dimension made inactive.
  const std::string body =
      R"([{"idcustomdimension":"1","idsite":"1","name":"membership","index":"1","scope":"visit","active":true,)"
      R"("extractions":[],"case_sensitive":true},{"idcustomdimension":"2","idsite":"1","name":"page_type",)"
      R"("index":"1","scope":"action","active":false,"extractions":[{"dimension":"url","pattern":"x"}],)"
      R"("case_sensitive":true}])";
  auto dims = ParseConfiguredCustomDimensions(body, 1);
  ASSERT_TRUE(dims.ok()) << dims.error().ToString();
  ASSERT_EQ(dims->size(), 2u);
  EXPECT_EQ((*dims)[0].id, 1);
  EXPECT_EQ((*dims)[0].index, 1);
  EXPECT_EQ((*dims)[0].scope, "visit");
  EXPECT_TRUE((*dims)[0].active);
  EXPECT_EQ((*dims)[1].id, 2);
  EXPECT_EQ((*dims)[1].scope, "action");
  EXPECT_FALSE((*dims)[1].active);
  EXPECT_TRUE(ParseConfiguredCustomDimensions("[]", 3)->empty());
  EXPECT_FALSE(ParseConfiguredCustomDimensions(R"({"result":"error"})", 1).ok());
  EXPECT_FALSE(ParseConfiguredCustomDimensions(R"([{"idsite":"1","scope":"visit"}])", 1).ok());
}

TEST(DwcDimensionMapping, ParsesTheOption) {
  auto dims = ParseDimensionOption(" site=1 id=1 scope=visit index=1;site=1  id=2 scope=action index=3 active=0 ; ");
  ASSERT_TRUE(dims.ok()) << dims.error().ToString();
  ASSERT_EQ(dims->size(), 2u);
  EXPECT_EQ((*dims)[1].site_id, 1);
  EXPECT_EQ((*dims)[1].id, 2);
  EXPECT_EQ((*dims)[1].index, 3);
  EXPECT_EQ((*dims)[1].scope, "action");
  EXPECT_FALSE((*dims)[1].active);
  EXPECT_TRUE(ParseDimensionOption("")->empty());
  for (const char* bad : {"site=1 id=1 scope=visit", "site=1 id=1 scope=page index=1", "site=x id=1 scope=visit index=1",
                          "site=1 id=1 scope=visit index=1 colour=red", "site=1 id=1 id=2 scope=visit index=1",
                          "site=1 id=1 scope=visit index=1; site=1 id=1 scope=action index=2", "site=1 id=1 visit"}) {
    auto r = ParseDimensionOption(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind(), ErrorKind::kConfig) << bad;
    EXPECT_NE(r.error().message().find("dwc_custom_dimensions: '"), std::string::npos) << r.error().message();
  }
}

TEST(DwcDimensionMapping, UnmappedColumnsPerSiteAndScope) {
  RawStore store;
  auto add = [&](RawTable table, const std::string& json) {
    auto row = ParseRawRow(json, "test");
    ASSERT_TRUE(row.ok());
    ASSERT_TRUE(store.Add(table, std::move(*row), "test").ok());
  };
  add(RawTable::kVisit, R"({"idvisit":1,"idsite":1,"custom_dimension_1":"gold","custom_dimension_2":null})");
  add(RawTable::kVisit, R"({"idvisit":2,"idsite":2,"custom_dimension_3":"x"})");
  add(RawTable::kLinkVisitAction, R"({"idlink_va":5,"idvisit":1,"idsite":1,"custom_dimension_1":"home"})");
  store.AddCustomDimension({1, 7, 1, "visit", true});
  store.Index();
  auto unmapped = UnmappedDimensionColumns(store, {1, 2});
  ASSERT_EQ(unmapped.size(), 2u);
  EXPECT_EQ(unmapped[1], (std::set<std::string>{"log_link_visit_action.custom_dimension_1"}));
  EXPECT_EQ(unmapped[2], (std::set<std::string>{"log_visit.custom_dimension_3"}));
  // Another source replaces a site's mapping as a whole.
  store.SetCustomDimensions(1, {{0, 8, 1, "action", true}});
  unmapped = UnmappedDimensionColumns(store, {1});
  EXPECT_EQ(unmapped[1], (std::set<std::string>{"log_visit.custom_dimension_1"}));
  ASSERT_EQ(store.CustomDimensions(1).size(), 1u);
  EXPECT_EQ(store.CustomDimensions(1)[0].site_id, 1);
}

}  // namespace
}  // namespace metl::dwc
