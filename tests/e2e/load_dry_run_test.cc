// `load --dry-run` on DuckDB: the landed partitions, each due or unchanged by the ledger (read through
// a read-only session), and nothing changed: a DuckDB file that does not exist is not created, one
// that does keeps its bytes. (BigQuery's plan: BigQueryDryRun in bigquery_test.cc.)
#include <gtest/gtest.h>

#include <filesystem>

#include "harness.h"
#include "landing_fixture.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

const char* kReference = METL_SOURCE_DIR "/tests/data/matomo-5.1.2/";

TEST(LoadDryRun, DuckDbListsDuePartitionsAndChangesNothing) {
  TempDir tmp;
  const std::string landing = (tmp.path() / "landing").string();
  LandJsonArray(landing, 1, "2026-11-25", "UTC",
                ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"));
  const std::filesystem::path db = tmp.path() / "matomo.duckdb";
  const std::string url = "duckdb:" + db.string();

  ProcessResult r = RunEtl({"load", "--dry-run", "--landing", landing, "--warehouse", url});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("site 1, 2026-11-25: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("would load (new)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("would load 1 of 1 landed partitions"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(db)) << "a dry run created the warehouse";

  r = RunEtl({"load", "--landing", landing, "--warehouse", url});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  LandJsonArray(landing, 2, "2026-11-25", "UTC",
                ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"));
  const std::string before = ReadFile(db);
  r = RunEtl({"load", "--dry-run", "--landing", landing, "--warehouse", url});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("site 1, 2026-11-25: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("unchanged, skipped"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("site 2, 2026-11-25: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("would load 1 of 2 landed partitions"), std::string::npos) << r.out;
  EXPECT_TRUE(ReadFile(db) == before) << "a dry run changed the DuckDB file";
  EXPECT_EQ(QueryInt(url, "SELECT count(DISTINCT site_id) FROM matomo_visits"), 1);
}

}  // namespace
}  // namespace metl::e2e
