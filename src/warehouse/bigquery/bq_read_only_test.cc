#include "warehouse/bigquery/bq_read_only.h"

#include <gtest/gtest.h>

namespace metl::warehouse::bq_engine {
namespace {

TEST(BqReadOnly, OneSelectOrWithQueryPasses) {
  for (const char* sql : {"SELECT 1", "  select count(*) FROM matomo_visits;  ", "WITH a AS (SELECT 1) SELECT * FROM a",
                          "-- comment\nSELECT ';' AS semi, \"x;y\", `we;ird` FROM t /* ; */ # ;",
                          "SELECT '''multi;\nline''' AS s", "/* lead */ SELECT 'it\\'s; fine'"}) {
    EXPECT_TRUE(CheckReadOnlyQuery(sql).ok()) << sql;
  }
}

TEST(BqReadOnly, WritesScriptsAndSecondStatementsAreRefused) {
  for (const char* sql : {"DELETE FROM matomo_visits WHERE TRUE", "INSERT INTO t VALUES (1)", "DROP TABLE t",
                          "SELECT 1; DELETE FROM t WHERE TRUE", "SELECT 1;; SELECT 2", "BEGIN SELECT 1; END",
                          "EXPORT DATA OPTIONS(uri='gs://x/*') AS SELECT 1", "CREATE TABLE t AS SELECT 1",
                          "MERGE t USING s ON TRUE WHEN MATCHED THEN DELETE", "CALL proc()", "", "  ;  ",
                          "SELECT 'unclosed", "(SELECT 1)", "SELECT 1 /* open"}) {
    Status st = CheckReadOnlyQuery(sql);
    EXPECT_FALSE(st.ok()) << sql;
    if (!st.ok()) {
      EXPECT_EQ(st.error().kind(), ErrorKind::kConfig) << sql;
    }
  }
}

}  // namespace
}  // namespace metl::warehouse::bq_engine
