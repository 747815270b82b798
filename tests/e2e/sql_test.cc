// `matomo-etl sql`, on every warehouse target: one query printed as a table, CSV or JSON with the
// warehouse's own values; writes refused by the engine (the data unchanged afterwards); a bad query,
// a write, a missing warehouse each exit 2 with the engine's message and a hint; a missing DuckDB file
// or PostgreSQL schema is never created.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>

#include "harness.h"
#include "landing_fixture.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

const char* kReference = METL_SOURCE_DIR "/tests/data/matomo-5.1.2/";

class SqlCommand : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  void SetUp() override {
    landing_ = (tmp_.path() / "landing").string();
    url_ = GetParam().FreshUrl(tmp_);
    if (url_.empty()) return;
    LandJsonArray(landing_, 1, "2026-11-25", "UTC", ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"));
    LandJsonArray(landing_, 2, "2026-11-25", "America/New_York",
                  ReadFile(std::string(kReference) + "live_site2_newyork_day_limit100_offset0.json"));
    ProcessResult r = RunEtl({"load", "--landing", landing_, "--warehouse", url_});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  ProcessResult Sql(const std::string& sql, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"sql", "--warehouse", url_};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(sql);
    return RunEtl(args);
  }

  TempDir tmp_;
  std::string landing_, url_;
};

const char* kPerSite =
    "SELECT site_id, count(*) AS visits, coalesce(sum(revenue), 0) AS revenue, bool_or(visit_converted) AS converted, "
    "min(visit_date) AS first_day FROM matomo_visits GROUP BY site_id ORDER BY site_id";

TEST_P(SqlCommand, PrintsTheWarehousesRowsAsATable) {
  const int64_t site1 = QueryInt(url_, "SELECT count(*) FROM matomo_visits WHERE site_id = 1");
  const int64_t site2 = QueryInt(url_, "SELECT count(*) FROM matomo_visits WHERE site_id = 2");
  ProcessResult r = Sql(kPerSite);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.err, "");
  std::vector<std::string> lines;
  for (size_t pos = 0; pos < r.out.size();) {
    size_t nl = r.out.find('\n', pos);
    lines.push_back(r.out.substr(pos, nl - pos));
    pos = nl + 1;
  }
  ASSERT_EQ(lines.size(), 5u) << r.out;  // header, rule, 2 rows, count
  EXPECT_EQ(lines[0].rfind("site_id | visits | revenue", 0), 0u) << r.out;
  EXPECT_EQ(lines[1].find_first_not_of("-+"), std::string::npos) << r.out;
  // Aligned: every row has its column separators where the rule has its '+'.
  for (size_t pos = lines[1].find('+'); pos != std::string::npos; pos = lines[1].find('+', pos + 1)) {
    for (int l : {0, 2, 3}) EXPECT_EQ(lines[l].substr(pos, 1), "|") << "line " << l << " at " << pos << ":\n" << r.out;
  }
  EXPECT_NE(lines[2].find(" " + std::to_string(site1) + " "), std::string::npos) << r.out;
  EXPECT_NE(lines[3].find(" " + std::to_string(site2) + " "), std::string::npos) << r.out;
  EXPECT_EQ(lines[4], "(2 rows)");
}

TEST_P(SqlCommand, CsvAndJsonCarryTheSameValuesTyped) {
  Rows expected = QueryWarehouse(url_, kPerSite);
  ASSERT_EQ(expected.rows.size(), 2u);

  ProcessResult csv = Sql(kPerSite, {"--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.out << csv.err;
  std::string want = "site_id,visits,revenue,converted,first_day\r\n";
  for (const auto& row : expected.rows) {
    for (size_t c = 0; c < row.size(); ++c) want += (c ? "," : "") + row[c].value_or("");
    want += "\r\n";
  }
  EXPECT_EQ(csv.out, want);

  ProcessResult json = Sql(kPerSite, {"--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.out << json.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json.out).get(doc), simdjson::SUCCESS) << json.out;
  simdjson::dom::array rows;
  ASSERT_EQ(doc.get_array().get(rows), simdjson::SUCCESS) << json.out;
  ASSERT_EQ(rows.size(), 2u);
  size_t i = 0;
  for (simdjson::dom::element row : rows) {
    const auto& want_row = expected.rows[i++];
    int64_t site = 0, visits = 0;
    ASSERT_EQ(row["site_id"].get_int64().get(site), simdjson::SUCCESS) << "site_id is a JSON number: " << json.out;
    ASSERT_EQ(row["visits"].get_int64().get(visits), simdjson::SUCCESS) << json.out;
    EXPECT_EQ(std::to_string(site), *want_row[0]);
    EXPECT_EQ(std::to_string(visits), *want_row[1]);
    EXPECT_TRUE(row["revenue"].is_number()) << json.out;
    bool converted = false;
    ASSERT_EQ(row["converted"].get_bool().get(converted), simdjson::SUCCESS) << json.out;
    EXPECT_EQ(converted ? "true" : "false", *want_row[3]);
    std::string_view day;
    ASSERT_EQ(row["first_day"].get_string().get(day), simdjson::SUCCESS) << "a date is text: " << json.out;
    EXPECT_EQ(std::string(day), *want_row[4]);
  }

  // NULL is null in JSON, empty in CSV, NULL in the table.
  json = Sql("SELECT CAST(NULL AS VARCHAR) AS nothing", {"--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out, "[\n{\"nothing\":null}\n]\n");
  csv = Sql("SELECT CAST(NULL AS VARCHAR) AS nothing, 'a,\"b\"' AS quoted", {"--format", "csv"});
  EXPECT_EQ(csv.out, "nothing,quoted\r\n,\"a,\"\"b\"\"\"\r\n");
}

TEST_P(SqlCommand, RefusesEveryWriteAndChangesNothing) {
  const std::string before = DumpTables(url_, {"matomo_visits", "matomo_etl_partitions"});
  for (const std::string write :
       {"DELETE FROM matomo_visits", "UPDATE matomo_visits SET revenue = 0", "DROP TABLE matomo_visits",
        "CREATE TABLE sneaky AS SELECT 1 AS x", "INSERT INTO matomo_etl_partitions SELECT * FROM matomo_etl_partitions",
        "SELECT 1; DELETE FROM matomo_visits"}) {
    SCOPED_TRACE(write);
    ProcessResult r = Sql(write);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("error: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("read-only"), std::string::npos) << "the hint says why: " << r.err;
  }
  EXPECT_EQ(DumpTables(url_, {"matomo_visits", "matomo_etl_partitions"}), before);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits WHERE site_id = 1") > 0, true);
}

TEST_P(SqlCommand, ABadQueryExits2WithTheEnginesMessage) {
  ProcessResult r = Sql("SELECT no_such_column FROM matomo_visits");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("no_such_column"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("docs/schema.md"), std::string::npos) << r.err;

  r = Sql("SELEC 1");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("syntax"), std::string::npos) << r.err;

  r = RunEtl({"sql", "--warehouse", url_});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("no SQL statement"), std::string::npos) << r.err;

  r = Sql("SELECT 1", {"--format", "xml"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
}

TEST_P(SqlCommand, AMissingWarehouseIsSaidAndNotCreated) {
  std::string missing;
  if (GetParam().engine == "duckdb") {
    std::filesystem::path file = tmp_.path() / "nowhere" / "matomo.duckdb";
    missing = "duckdb:" + file.string();
    ProcessResult r = RunEtl({"sql", "--warehouse", missing, "SELECT 1"});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("no DuckDB warehouse at " + file.string()), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(file.parent_path())) << "the folder was created";
  } else {
    missing = url_.substr(0, url_.find("schema=")) + "schema=never_loaded_here";
    ProcessResult r = RunEtl({"sql", "--warehouse", missing, "SELECT 1"});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("no schema \"never_loaded_here\""), std::string::npos) << r.err;
    EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM pg_namespace WHERE nspname = 'never_loaded_here'"), 0);
  }
}

// docs/schema.md and docs/operations.md say what the engines hold: matomo_raw_visits is a table
// (the schema docs once called it a view over the landing zone on DuckDB).
TEST_P(SqlCommand, RawVisitsIsATableAsTheDocsSay) {
  ProcessResult r = Sql("SELECT table_type FROM information_schema.tables WHERE table_name = 'matomo_raw_visits' "
                        "AND table_schema = current_schema()",
                        {"--format", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "table_type\r\nBASE TABLE\r\n");
  const std::string schema_md = ReadFile(SourceDir() + "/docs/schema.md");
  EXPECT_NE(schema_md.find("`matomo_raw_visits` is a table on every engine"), std::string::npos);
  EXPECT_EQ(schema_md.find("view over the landing zone where"), std::string::npos);
  EXPECT_NE(ReadFile(SourceDir() + "/docs/operations.md").find("`matomo_raw_visits` is a table"), std::string::npos);
}

// DuckDB and PostgreSQL only: `sql` refuses BigQuery (it cannot make a BigQuery job read-only yet).
std::vector<WarehouseTarget> DuckDbAndPostgres() {
  std::vector<WarehouseTarget> out;
  for (const auto& t : WarehouseTargets()) {
    if (t.engine == "duckdb" || t.engine == "postgres") out.push_back(t);
  }
  return out;
}
INSTANTIATE_TEST_SUITE_P(, SqlCommand, ::testing::ValuesIn(DuckDbAndPostgres()), TargetTestName);

// DuckDB specifics: the query reaches no other file (COPY ... TO, ATTACH), and a reader may open the
// file while another reader has it open.
TEST(SqlCommandDuckDb, ReachesNoOtherFile) {
  TempDir tmp;
  std::string landing = (tmp.path() / "landing").string();
  std::string url = "duckdb:" + (tmp.path() / "w.duckdb").string();
  LandJsonArray(landing, 1, "2026-11-25", "UTC", ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"));
  ASSERT_EQ(RunEtl({"load", "--landing", landing, "--warehouse", url}).exit_code, 0);
  ProcessResult r = RunEtl({"sql", "--warehouse", url, "SELECT count(*) AS n FROM matomo_visits"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;  // reading works; only the other files are out of reach
  std::filesystem::path out = tmp.path() / "copied.csv";
  r = RunEtl({"sql", "--warehouse", url, "COPY (SELECT * FROM matomo_visits) TO '" + out.string() + "'"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  std::filesystem::path other = tmp.path() / "other.duckdb";
  r = RunEtl({"sql", "--warehouse", url, "ATTACH '" + other.string() + "' AS other"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_FALSE(std::filesystem::exists(other));
}

}  // namespace
}  // namespace metl::e2e
