// docs/bi.md's PostgreSQL recipes run as written (issue 17): the superuser creates the loader's role,
// database and schema; the loader, no superuser, loads into them and grants the read-only BI login,
// which reads every table (through `matomo-etl sql`), later ones too, and cannot write. On a private server: roles are cluster-wide.
#include <gtest/gtest.h>

#include <filesystem>

#include "harness.h"
#include "landing_fixture.h"
#include "postgres_server.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

const char* kReference = METL_SOURCE_DIR "/tests/data/matomo-5.1.2/";

// The ```sql blocks of a Markdown file, in order.
std::vector<std::string> SqlBlocks(const std::string& md) {
  std::vector<std::string> blocks;
  for (size_t pos = md.find("```sql\n"); pos != std::string::npos; pos = md.find("```sql\n", pos + 1)) {
    size_t start = pos + 7, end = md.find("```", start);
    blocks.push_back(md.substr(start, end - start));
  }
  return blocks;
}

std::string Psql() {
  for (const char* p : {"/usr/bin/psql", "/usr/lib/postgresql/15/bin/psql"}) {
    if (std::filesystem::exists(p)) return p;
  }
  return "";
}

// `url` with its database replaced and a user put in front of the host.
std::string As(const std::string& server_url, const std::string& user, const std::string& db) {
  std::string host = server_url.substr(server_url.find('@') + 1);
  host = host.substr(0, host.find('/'));
  return "postgres://" + user + "@" + host + "/" + db;
}

TEST(PostgresRolesDoc, TheRecipesInBiMdWork) {
  const std::string psql = Psql();
  if (psql.empty()) GTEST_SKIP() << "no psql";
  PrivatePostgresServer server("bi-roles");
  if (server.url().empty()) METL_NO_POSTGRES("cannot start a private PostgreSQL server (binaries missing?)");
  const auto blocks = SqlBlocks(ReadFile(SourceDir() + "/docs/bi.md"));
  ASSERT_EQ(blocks.size(), 2u) << "docs/bi.md: the loader's recipe, then the BI login's";
  ASSERT_NE(blocks[0].find("CREATE ROLE etl"), std::string::npos) << blocks[0];
  ASSERT_NE(blocks[1].find("CREATE ROLE bi_reader"), std::string::npos) << blocks[1];
  TempDir tmp;
  auto run_psql = [&](const std::string& url, const std::string& sql) {
    WriteFile(tmp.path() / "script.sql", sql);
    return RunProcess({psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", (tmp.path() / "script.sql").string()});
  };

  // 1. As the superuser (the fixture's `metl`): the loader's role, database and schema.
  ProcessResult r = run_psql(server.url(), blocks[0]);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  // 2. The loader, not a superuser, loads into them.
  const std::string landing = (tmp.path() / "landing").string();
  LandJsonArray(landing, 1, "2026-11-25", "UTC", ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"));
  const std::string loader = As(server.url(), "etl", "analytics") + "?schema=matomo";
  EXPECT_EQ(QueryInt(loader, "SELECT count(*) FROM pg_roles WHERE rolname = 'etl' AND rolsuper"), 0);
  r = RunEtl({"load", "--landing", landing, "--warehouse", loader});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  // 3. The read-only login: created by the superuser; the grants by the loader, as the doc says.
  const size_t split = blocks[1].find("-- as the loader");
  ASSERT_NE(split, std::string::npos) << blocks[1];
  r = run_psql(As(server.url(), "metl", "analytics"), blocks[1].substr(0, split));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = run_psql(As(server.url(), "etl", "analytics"), blocks[1].substr(split));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string reader = As(server.url(), "bi_reader", "analytics") + "?schema=matomo";
  r = RunEtl({"sql", "--warehouse", reader, "--format", "csv",
              "SELECT (SELECT count(*) FROM matomo_visits) AS visits, (SELECT count(*) FROM matomo_daily_kpis) AS days"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "visits,days\r\n100,1\r\n");
  // search_path is set for the login: a BI tool's bare table names work.
  r = RunProcess({psql, "-X", "-At", "-d", As(server.url(), "bi_reader", "analytics"), "-c",
                  "SELECT count(*) FROM matomo_etl_partitions"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1\n");
  // ...and it cannot write, even outside `matomo-etl sql`'s read-only transaction.
  r = RunProcess({psql, "-X", "-d", As(server.url(), "bi_reader", "analytics"), "-c", "DELETE FROM matomo_visits"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("permission denied"), std::string::npos) << r.err;
  // A table the loader creates later is readable too (ALTER DEFAULT PRIVILEGES).
  r = run_psql(As(server.url(), "etl", "analytics"), "CREATE TABLE matomo.later_model AS SELECT 1 AS x;");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunEtl({"sql", "--warehouse", reader, "SELECT x FROM later_model", "--format", "csv"});
  EXPECT_EQ(r.out, "x\r\n1\r\n") << r.err;
}

}  // namespace
}  // namespace metl::e2e
