// `verify` after matomo_daily_kpis was dropped (docs/operations.md: safe to drop) rebuilds the model
// before comparing, on every warehouse engine (issue 17, defect 5). It compared Matomo's figures
// with an empty table: every figure 0, some differences "explained by truncated visits".
#include <gtest/gtest.h>

#include "harness.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

constexpr const char* kNow = "2026-11-27 08:00:00";

class VerifyDroppedModel : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  VerifyDroppedModel() : sim_({"--sites", "2", "--visits-per-day", "30", "--now", kNow}) {}
  void SetUp() override { url_ = GetParam().FreshUrl(tmp_); }
  ProcessResult Verify() {
    return RunEtl({"verify", "--url", sim_.url(), "--warehouse", url_}, {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  }
  SimServer sim_;
  TempDir tmp_;
  std::string url_;
};

TEST_P(VerifyDroppedModel, RebuildsTheModelBeforeComparing) {
  ProcessResult r = RunEtl({"sync", "--url", sim_.url(), "--landing", (tmp_.path() / "landing").string(), "--warehouse",
                            url_, "--from", "2026-11-22", "--to", "2026-11-24", "--now", kNow},
                           {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string kpis = DumpTables(url_, {"matomo_daily_kpis"});
  r = Verify();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string verified = r.out;

  for (const char* how : {"DROP TABLE matomo_daily_kpis", "DELETE FROM matomo_daily_kpis WHERE TRUE"}) {
    SCOPED_TRACE(how);
    QueryWarehouse(url_, how);
    r = Verify();
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.out, verified);  // the same report as with the model in place: no zeros, no "explained"
    EXPECT_NE(r.err.find("rebuilding it"), std::string::npos) << r.err;
    EXPECT_EQ(DumpTables(url_, {"matomo_daily_kpis"}), kpis);
  }
}

METL_INSTANTIATE_WAREHOUSE_SUITE(VerifyDroppedModel);

}  // namespace
}  // namespace metl::e2e
