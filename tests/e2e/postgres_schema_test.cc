// The PostgreSQL side of the schema (issue 5): types a BI tool reads well, the (site_id, date) indexes,
// self-migration when the declared schema gains columns or tables, the `schema` URI parameter (any
// name), libpq parameters passed through, and no password in any output.
#include <gtest/gtest.h>

#include "harness.h"
#include "landing_fixture.h"
#include "postgres_server.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

const char* kReference = METL_SOURCE_DIR "/tests/data/matomo-5.1.2/";

class PostgresSchema : public ::testing::Test {
 protected:
  void SetUp() override {
    pg_ = TestPostgresServer();
    if (pg_.empty()) METL_NO_POSTGRES("no PostgreSQL server could be found or started");
    landing_ = (tmp_.path() / "landing").string();
    site1_ = LandJsonArray(landing_, 1, "2026-11-25", "UTC",
                           ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"));
  }
  // A schema named with a space and a capital: everything we send is a quoted identifier.
  std::string Url(const std::string& extra = "") {
    static int n = 0;
    return pg_ + "?schema=Odd%20Schema%20" + std::to_string(::getpid()) + "_" + std::to_string(n++) + extra;
  }
  std::string DataType(const std::string& url, const std::string& table, const std::string& column) {
    Rows r = QueryWarehouse(url,
                            "SELECT data_type, numeric_precision, numeric_scale FROM information_schema.columns "
                            "WHERE table_schema = current_schema() AND table_name = '" +
                                table + "' AND column_name = '" + column + "'");
    if (r.rows.empty()) return "missing";
    std::string t = r.rows[0][0].value_or("");
    if (t == "numeric") t += "(" + r.rows[0][1].value_or("") + "," + r.rows[0][2].value_or("") + ")";
    return t;
  }

  TempDir tmp_;
  std::string pg_, landing_;
  std::vector<std::string> site1_;
};

TEST_F(PostgresSchema, TablesUseTypesABiToolReadsWellAndAreIndexedBySiteAndDate) {
  std::string url = Url("&sslmode=disable&connect_timeout=5");  // libpq parameters pass through
  ProcessResult r = RunEtl({"load", "--landing", landing_, "--warehouse", url});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(QueryWarehouse(url, "SELECT current_schema()").rows.at(0).at(0).value_or(""),
            "Odd Schema " + std::to_string(::getpid()) + "_0");
  EXPECT_EQ(DataType(url, "matomo_visits", "visit_id"), "bigint");
  EXPECT_EQ(DataType(url, "matomo_visits", "visit_date"), "date");
  EXPECT_EQ(DataType(url, "matomo_visits", "last_action_at"), "timestamp with time zone");
  EXPECT_EQ(DataType(url, "matomo_visits", "last_action_local"), "timestamp without time zone");
  EXPECT_EQ(DataType(url, "matomo_visits", "revenue"), "numeric(18,6)");
  EXPECT_EQ(DataType(url, "matomo_visits", "is_bounce"), "boolean");
  EXPECT_EQ(DataType(url, "matomo_visits", "referrer_name"), "text");
  EXPECT_EQ(DataType(url, "matomo_raw_visits", "visit"), "jsonb");
  EXPECT_EQ(DataType(url, "matomo_daily_kpis", "revenue"), "numeric(38,6)") << "a day's sum never overflows";
  for (std::string t : {"matomo_visits", "matomo_actions", "matomo_conversions", "matomo_raw_visits",
                        "matomo_daily_kpis", "matomo_etl_partitions"}) {
    EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '" +
                                t + "' AND indexdef LIKE '%(site_id, %date)'"),
              1)
        << t;
  }
  // jsonb is queryable as such: the raw visit keeps every field, e.g. Matomo's own idVisit.
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_raw_visits WHERE (visit->>'idVisit')::bigint = visit_id"), 100);
}

TEST_F(PostgresSchema, MigratesWhenTheDeclaredSchemaGainsColumnsAndTables) {
  std::string url = Url();
  ASSERT_EQ(RunEtl({"load", "--landing", landing_, "--warehouse", url}).exit_code, 0);
  // An older warehouse: one column and one table fewer than declared now.
  QueryWarehouse(url, "ALTER TABLE matomo_visits DROP COLUMN exit_page_title");
  QueryWarehouse(url, "DROP TABLE matomo_goals");
  ASSERT_EQ(DataType(url, "matomo_visits", "exit_page_title"), "missing");
  ProcessResult r = RunEtl({"load", "--landing", landing_, "--warehouse", url});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(DataType(url, "matomo_visits", "exit_page_title"), "text");
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_goals"), 0);
  // Rows loaded before have no value until their partition is reloaded.
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_visits WHERE exit_page_title IS NOT NULL"), 0);
  r = RunEtl({"load", "--landing", landing_, "--warehouse", url, "--from", "2026-11-25", "--to", "2026-11-25"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_GT(QueryInt(url, "SELECT count(*) FROM matomo_visits WHERE exit_page_title IS NOT NULL"), 0);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_visits"), 100);
}

TEST_F(PostgresSchema, BadUrisAreConfigErrorsThatNeverShowThePassword) {
  std::string with_password = pg_;
  with_password.replace(with_password.find("://metl@"), 8, "://metl:s3cret-pw@");
  ProcessResult r = RunEtl({"load", "--landing", landing_, "--warehouse", with_password + "?schema=x&bogus=1"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("bogus"), std::string::npos) << r.out << r.err;
  EXPECT_EQ((r.out + r.err).find("s3cret-pw"), std::string::npos) << r.out << r.err;
  // A password in the URI is passed to libpq (the fixture trusts every login, so it simply works)...
  r = RunEtl(
      {"load", "--landing", landing_, "--warehouse", with_password + "?schema=pw_" + std::to_string(::getpid())});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ((r.out + r.err).find("s3cret-pw"), std::string::npos) << r.out << r.err;
  // ...and an unreachable server says what to check, also without the password.
  r = RunEtl(
      {"load", "--landing", landing_, "--warehouse", "postgres://metl:s3cret-pw@127.0.0.1:1/db?connect_timeout=2"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE((r.out + r.err).find("127.0.0.1"), std::string::npos) << r.out << r.err;
  EXPECT_EQ((r.out + r.err).find("s3cret-pw"), std::string::npos) << r.out << r.err;
}

}  // namespace
}  // namespace metl::e2e
