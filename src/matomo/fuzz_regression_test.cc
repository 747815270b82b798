// Inputs found by the fuzz targets (src/matomo/classify_fuzz.cc), kept as regression tests.
#include <gtest/gtest.h>

#include <string>

#include "matomo/api.h"

namespace metl::matomo {
namespace {

// classify_fuzz crash-9482f2f4: a lastActionTimestamp of 1.795e136 was cast to int64 (undefined
// behaviour). Now a number outside int64 or with a fraction is a malformed page (retried).
TEST(FuzzRegression, LivePageHugeFloatTimestampIsMalformedNotUndefined) {
  std::string huge = "1795" + std::string(133, '0');
  auto page = ParseLivePage(R"([{"idVisit":1827,"lastActionTimestamp":)" + huge + "}]");
  ASSERT_FALSE(page.ok());
  EXPECT_TRUE(page.error().transient());
  EXPECT_NE(page.error().message().find("lastActionTimestamp"), std::string::npos);
}

TEST(FuzzRegression, LivePageNonIntegralOrOutOfRangeIdsAreRejected) {
  for (const char* id : {"1.5", "9.3e18", "-9.3e18", "1e400"}) {
    auto page = ParseLivePage(std::string(R"([{"idVisit":)") + id + R"(,"lastActionTimestamp":1795000000}])");
    EXPECT_FALSE(page.ok()) << id;
  }
  auto ok = ParseLivePage(R"([{"idVisit":2.0e3,"lastActionTimestamp":1.795e9}])");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->visits[0].id_visit, 2000);
  EXPECT_EQ(ok->visits[0].last_action_ts, 1795000000);
}

}  // namespace
}  // namespace metl::matomo
