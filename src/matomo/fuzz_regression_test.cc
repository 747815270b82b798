// Inputs found by the fuzz targets (src/matomo/classify_fuzz.cc), kept as regression tests.
#include <gtest/gtest.h>

#include <string>

#include "matomo/api.h"
#include "matomo/classify.h"

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

// classify_fuzz crash-2dad681d: a 429 whose body was Matomo's "requires 'view' access" error object
// was classified as a terminal token error. 429 and 5xx are transient whatever the body says.
TEST(FuzzRegression, OverloadStatusWinsOverAnAuthMessageInTheBody) {
  const std::string body =
      R"({"result":"error","message":"You can't access this resource as it requires 'view' access for the website id = 1."})";
  for (long status : {429L, 500L, 502L, 503L}) {
    http::HttpResponse r;
    r.status = status;
    r.body = body;
    Status s = ClassifyResponse(r);
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(s.error().transient()) << status;
  }
  http::HttpResponse ok_status;
  ok_status.status = 200;
  ok_status.body = body;
  EXPECT_EQ(ClassifyResponse(ok_status).error().kind(), ErrorKind::kConfig);  // unchanged: a token problem
}

}  // namespace
}  // namespace metl::matomo
