#include "gfake/bigquery_sql.h"

#include <gtest/gtest.h>

namespace metl::gfake {
namespace {

std::string T(std::string_view sql) {
  auto r = TranslateToDuckDb(sql, "proj");
  return r.ok() ? *r : "ERROR " + r.error().message();
}

TEST(BigQuerySql, BacktickNamesBecomeSchemaQualifiedDuckDbNames) {
  EXPECT_EQ(T("SELECT * FROM `proj.ds.t`"), "SELECT * FROM \"ds\".\"t\"");
  EXPECT_EQ(T("SELECT * FROM `ds.t`"), "SELECT * FROM \"ds\".\"t\"");
  EXPECT_EQ(T("SELECT `date` FROM ds.t"), "SELECT \"date\" FROM ds.t");
  EXPECT_EQ(T("SELECT * FROM `other.ds.t`"), "ERROR notFound: Not found: Project other");
}

TEST(BigQuerySql, StringLiteralsUseGoogleSqlEscapesAndDoubleQuotes) {
  EXPECT_EQ(T(R"(SELECT 'it\'s', "a\"b", 'x\\y')"), "SELECT 'it''s', 'a\"b', 'x\\y'");
  EXPECT_EQ(T("SELECT 'unterminated"), "ERROR invalidQuery: Unclosed string literal");
  EXPECT_EQ(T(R"(SELECT '\q')"), "ERROR invalidQuery: Illegal escape sequence: \\q");
}

TEST(BigQuerySql, TypesMapToDuckDbs) {
  EXPECT_EQ(T("CAST(x AS INT64), CAST(y AS STRING), CAST(z AS FLOAT64), CAST(b AS BOOL)"),
            "CAST(x AS BIGINT), CAST(y AS VARCHAR), CAST(z AS DOUBLE), CAST(b AS BOOLEAN)");
  EXPECT_EQ(T("CAST(m AS NUMERIC), CAST(m AS NUMERIC(18, 6)), CAST(s AS BIGNUMERIC)"),
            "CAST(m AS DECIMAL(38,9)), CAST(m AS DECIMAL(18, 6)), CAST(s AS DECIMAL(38,6))");
  EXPECT_EQ(T("TIMESTAMP '2026-01-01 00:00:00+00', DATETIME '2026-01-01 10:00:00'"),
            "TIMESTAMPTZ '2026-01-01 00:00:00+00', TIMESTAMP '2026-01-01 10:00:00'");
  EXPECT_EQ(T("SELECT TIMESTAMP_MICROS(1) # comment"), "SELECT TIMESTAMP_MICROS(1) -- comment");
  EXPECT_EQ(T("CREATE TABLE d.t (a INT64, `b` STRING)"), "CREATE TABLE d.t (a BIGINT, \"b\" VARCHAR)");
}

TEST(BigQuerySql, TypeNamesUsedAsColumnNamesStayNames) {
  // regression: the ledger's `bytes` column became BLOB in a SELECT list
  EXPECT_EQ(T("SELECT visits, bytes, date, timestamp FROM t WHERE date > DATE '2026-01-01'"),
            "SELECT visits, bytes, date, timestamp FROM t WHERE date > DATE '2026-01-01'");
}

TEST(BigQuerySql, ScriptAnalysisFindsTransactionsAndMutatedTables) {
  ScriptInfo info = AnalyzeScript(
      "BEGIN TRANSACTION;\nDELETE FROM `p.ds.visits` WHERE site_id = 1;\n"
      "INSERT INTO `p.ds.visits` SELECT * FROM `p.ds.stage`;\nUPDATE ds.ledger SET x = 1 WHERE true;\n"
      "COMMIT TRANSACTION;");
  EXPECT_TRUE(info.transaction);
  EXPECT_FALSE(info.ddl_in_transaction);
  EXPECT_EQ(info.mutated_tables, (std::set<std::string>{"ds.visits", "ds.ledger"}));
  EXPECT_EQ(info.StatementType(), "SCRIPT");
  EXPECT_EQ(AnalyzeScript("SELECT 1").StatementType(), "SELECT");
  EXPECT_EQ(AnalyzeScript("DROP TABLE `p.ds.x`").StatementType(), "DROP_TABLE");
  EXPECT_TRUE(AnalyzeScript("BEGIN TRANSACTION; CREATE TABLE ds.x (a INT64); COMMIT TRANSACTION;").ddl_in_transaction);
  EXPECT_FALSE(
      AnalyzeScript("BEGIN TRANSACTION; CREATE TEMP TABLE x (a INT64); COMMIT TRANSACTION;").ddl_in_transaction);
  // DELETE and UPDATE without WHERE: GoogleSQL refuses them (a WHERE inside a subquery does not count)
  EXPECT_EQ(AnalyzeScript("DELETE FROM ds.t").dml_without_where, "DELETE");
  EXPECT_EQ(AnalyzeScript("DELETE ds.t WHERE TRUE; UPDATE ds.t SET a = (SELECT 1 FROM x WHERE y)").dml_without_where,
            "UPDATE");
  EXPECT_EQ(AnalyzeScript("DELETE FROM ds.t WHERE a IN (SELECT a FROM ds.u); UPDATE ds.t SET a = 1 WHERE TRUE")
                .dml_without_where,
            "");
  // UNION needs ALL or DISTINCT in GoogleSQL
  EXPECT_TRUE(AnalyzeScript("SELECT 1 UNION SELECT 2").bare_union);
  EXPECT_FALSE(AnalyzeScript("SELECT 1 UNION ALL SELECT 2 UNION DISTINCT SELECT 3").bare_union);
  // a ';' inside a string does not end the statement
  EXPECT_EQ(AnalyzeScript("SELECT ';'").statement_types.size(), 1u);
}

}  // namespace
}  // namespace metl::gfake
