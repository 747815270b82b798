// The raw DWC layer (matomo_raw_dwc_<table>, docs/dwc.md) through the real `matomo-etl dwc load`, on
// DuckDB and PostgreSQL: the real Matomo 5.1.2 sample and a simulated export land typed (binary ids
// decoded whatever their form, DATETIMEs as UTC instants), a rerun, a re-delivered file and a lost
// ledger write change nothing, a newer file's version of a row replaces the stored one (an older file
// arriving late does not), tables without a key drop whole-row duplicates, unknown columns and unfit
// values are kept, and a malformed line fails its file alone.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/base64.h"
#include "dwc_test_util.h"
#include "harness.h"
#include "landing/compressed_file.h"
#include "warehouse/warehouse.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kSampleTime = 1796256000;  // 2026-12-03: the sample's files
constexpr int64_t kLater = 1796342400;       // 2026-12-04
constexpr int64_t kEarlier = 1796169600;     // 2026-12-02

const std::vector<std::string> kRawTables = {
    "matomo_raw_dwc_log_visit", "matomo_raw_dwc_log_link_visit_action", "matomo_raw_dwc_log_action",
    "matomo_raw_dwc_log_conversion", "matomo_raw_dwc_log_conversion_item", "matomo_raw_dwc_site",
    "matomo_raw_dwc_goal"};



int64_t Lines(const std::string& text) {
  int64_t n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) n += !line.empty();
  return n;
}

std::string LineOf(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find(needle) != std::string::npos) return line;
  }
  ADD_FAILURE() << "no line with " << needle;
  return "";
}

std::string Replace(const std::string& line, const std::string& re, const std::string& with) {
  return std::regex_replace(line, std::regex(re), with);
}

class DwcRawLayer : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  void SetUp() override {
    url_ = GetParam().FreshUrl(tmp_);
    if (url_.empty()) GTEST_SKIP() << GetParam().engine << " is not available";
    export_ = tmp_.path() / "export";
    for (const auto& e : fs::directory_iterator(TestData("dwc-real-sample/raw"))) {
      std::string name = e.path().filename().string();
      name = name.substr(0, name.find(".jsonl")) + ".jsonl";
      WriteFileWithMtime(export_ / name, DecompressedFile(e.path()), kSampleTime);
    }
  }
  ProcessResult Load(const fs::path& from, const std::string& url, const std::string& landing = "landing") {
    return RunEtl({"dwc", "load", "--from-dir", from.string(), "--landing", (tmp_.path() / landing).string(),
                   "--warehouse", url});
  }
  std::string Text(const std::string& sql) {
    Rows r = QueryWarehouse(url_, sql);
    return r.rows.empty() || r.rows[0].empty() ? "<none>" : r.rows[0][0].value_or("<null>");
  }
  std::string Dump(const std::string& url, std::vector<std::string> skip = {}) {
    return DumpTables(url, kRawTables, skip);
  }

  TempDir tmp_;
  std::string url_;
  fs::path export_;
};

TEST_P(DwcRawLayer, RowsLandTypedWhateverTheExportEncoding) {
  ProcessResult r = Load(export_, url_);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("dwc raw layer: "), std::string::npos) << r.out;
  for (const char* table : {"log_visit", "log_link_visit_action", "log_action", "log_conversion",
                            "log_conversion_item", "site", "goal"}) {
    EXPECT_EQ(QueryInt(url_, std::string("SELECT count(*) FROM matomo_raw_dwc_") + table),
              Lines(DecompressedFile(export_ / (std::string(table) + ".jsonl"))))
        << table;
  }
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_dwc_log_visit"), 164);
  // Typed as the curated path reads the same rows: every visit's decoded visitor id and UTC instants.
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_dwc_log_visit r JOIN matomo_visits v ON "
                           "v.visit_id = r.idvisit AND v.visitor_id = r.idvisitor AND v.fingerprint = r.config_id "
                           "AND v.last_action_at = r.visit_last_action_time AND v.first_action_at = "
                           "r.visit_first_action_time AND v.site_id = r.idsite"),
            164);
  EXPECT_EQ(Text("SELECT location_ip FROM matomo_raw_dwc_log_visit WHERE idvisit = 925"), "88.61.21.40");  // 583d1528
  // Every pageview's time is the curated action's (both UTC instants).
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_actions a WHERE a.pageview_id IS NOT NULL AND EXISTS (SELECT "
                           "1 FROM matomo_raw_dwc_log_link_visit_action r WHERE r.idvisit = a.visit_id AND "
                           "r.server_time = a.occurred_at AND r.idpageview = a.pageview_id)"),
            QueryInt(url_, "SELECT count(*) FROM matomo_actions WHERE pageview_id IS NOT NULL"));
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_dwc_log_visit WHERE _dwc_extra IS NOT NULL"), 0);
  EXPECT_EQ(Text("SELECT CAST(timezone AS TEXT) FROM matomo_raw_dwc_site WHERE idsite = 2"), "Europe/Berlin");
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_etl_dwc_files"), 8);

  // The same rows as MySQL 8's JSON_OBJECT would write them: binary columns "base64:type254:..." (IPs
  // type15), DATETIMEs with a fraction: the same typed tables.
  fs::path other = tmp_.path() / "export-mysql8";
  fs::copy(export_, other);
  std::string visits = DecompressedFile(export_ / "log_visit.jsonl"), out;
  std::istringstream in(visits);
  auto to_b64 = [](const std::string& hex) {
    std::string bytes;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return Base64Encode(bytes);
  };
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    for (const char* col : {"idvisitor", "config_id", "location_ip"}) {
      if (std::regex_search(line, m, std::regex(std::string("\"") + col + "\": \"([0-9a-f]+)\""))) {
        line = m.prefix().str() + "\"" + col + "\": \"base64:type" + (std::string(col) == "location_ip" ? "15" : "254") +
               ":" + to_b64(m[1]) + "\"" + m.suffix().str();
      }
    }
    out += Replace(line, "(_time\": \"[0-9-]+) ([0-9:]+)\"", "$1T$2.000000\"") + "\n";
  }
  WriteFileWithMtime(other / "log_visit.jsonl", out, kSampleTime);
  TempDir second;
  std::string url2 = GetParam().FreshUrl(second);
  ProcessResult r2 = Load(other, url2, "landing2");
  ASSERT_EQ(r2.exit_code, 0) << r2.out << r2.err;
  EXPECT_EQ(Dump(url2, {"_dwc_file_time"}), Dump(url_, {"_dwc_file_time"}));
}

TEST_P(DwcRawLayer, RerunRedeliveredFileAndLostLedgerWriteChangeNothing) {
  ASSERT_EQ(Load(export_, url_).exit_code, 0);
  const std::string dump = Dump(url_);
  const std::string dump_rows = Dump(url_, {"_dwc_file_time"});
  ProcessResult again = Load(export_, url_);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("dwc raw layer: 0 rows"), std::string::npos) << again.out;
  // Re-delivered: same key and bytes, a newer time.
  WriteFileWithMtime(export_ / "log_visit.jsonl", DecompressedFile(export_ / "log_visit.jsonl"), kLater);
  ASSERT_EQ(Load(export_, url_).exit_code, 0);
  EXPECT_EQ(Dump(url_), dump);
  // A run killed after its curated loads, before the files' raw merges and ledger rows: redone the same.
  {
    auto wh = warehouse::OpenWarehouse(url_);
    ASSERT_TRUE(wh.ok());
    auto s = (*wh)->Connect();
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->Execute("DELETE FROM matomo_etl_dwc_files").ok());
  }
  ProcessResult redo = Load(export_, url_);
  ASSERT_EQ(redo.exit_code, 0) << redo.err;
  EXPECT_NE(redo.out.find("8 new or changed"), std::string::npos) << redo.out;
  // The same rows; only log_visit's file time is its re-delivery's now.
  EXPECT_EQ(Dump(url_, {"_dwc_file_time"}), dump_rows);
}

TEST_P(DwcRawLayer, NewestFileWinsPerPrimaryKeyNotTheLastToArrive) {
  ASSERT_EQ(Load(export_, url_).exit_code, 0);
  const std::string visit = LineOf(DecompressedFile(export_ / "log_visit.jsonl"), "\"idvisit\": 926,");
  auto with_referrer = [&](const std::string& name) {
    return Replace(visit, "\"referer_name\": (null|\"[^\"]*\")", "\"referer_name\": \"" + name + "\"") + "\n";
  };
  // Matomo updated visit 926: a later export carries it twice (the last line of a file wins).
  WriteFileWithMtime(export_ / "2026-12-04" / "log_visit.jsonl", with_referrer("first") + with_referrer("updated"), kLater);
  ProcessResult r = Load(export_, url_);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(Text("SELECT referer_name FROM matomo_raw_dwc_log_visit WHERE idvisit = 926"), "updated");
  EXPECT_EQ(Text("SELECT _dwc_file FROM matomo_raw_dwc_log_visit WHERE idvisit = 926"), "2026-12-04/log_visit.jsonl");
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_dwc_log_visit"), 164);
  // An older export arriving late does not win over it, in the raw layer or in the curated table.
  WriteFileWithMtime(export_ / "2026-12-02" / "log_visit.jsonl", with_referrer("stale"), kEarlier);
  r = Load(export_, url_);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(Text("SELECT referer_name FROM matomo_raw_dwc_log_visit WHERE idvisit = 926"), "updated");
  EXPECT_EQ(Text("SELECT referrer_name FROM matomo_visits WHERE visit_id = 926"), "updated");
  // The newer file re-delivered without the visit (a GDPR deletion): its row goes.
  WriteFileWithMtime(export_ / "2026-12-04" / "log_visit.jsonl", "\n", kLater + 60);
  ASSERT_EQ(Load(export_, url_).exit_code, 0);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_dwc_log_visit WHERE idvisit = 926"), 0);
}

TEST_P(DwcRawLayer, TablesWithoutAKeyDropWholeRowDuplicates) {
  const std::string sites = DecompressedFile(export_ / "site.jsonl");
  WriteFileWithMtime(export_ / "site-again.jsonl", sites, kLater);  // every row again: dropped
  const std::string form = R"({"idlogform": 1, "idsite": 1, "idvisit": 926, "idvisitor": "269422327221acd6", )"
                           R"("form_last_action_time": "2026-12-01 10:00:00", "num_views": 2})";
  WriteFileWithMtime(export_ / "log_form.jsonl", form + "\n" + form + "\n", kLater);  // not a curated table: raw only
  ProcessResult r = Load(export_, url_);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_dwc_site"), Lines(sites));
  EXPECT_EQ(Text("SELECT min(_dwc_file) FROM matomo_raw_dwc_site"), "site.jsonl");
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_dwc_log_form"), 1);
  EXPECT_EQ(Text("SELECT idvisitor FROM matomo_raw_dwc_log_form"), "269422327221acd6");
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_etl_dwc_files WHERE table_name = 'log_form'"), 1);
  // A changed row is a new row: both versions are kept (no key says they are one).
  WriteFileWithMtime(export_ / "site-renamed.jsonl",
        Replace(LineOf(sites, "\"idsite\": 1,"), "\"name\": \"[^\"]*\"", "\"name\": \"Renamed\"") + "\n", kLater + 60);
  ASSERT_EQ(Load(export_, url_).exit_code, 0);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_dwc_site"), Lines(sites) + 1);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_dwc_site WHERE idsite = 1"), 2);
}

TEST_P(DwcRawLayer, UnknownColumnsAndUnfitValuesAreKept) {
  const std::string form = R"({"idlogform": 2, "idsite": 1, "num_views": "several", "a_new_column": [1, 2]})";
  WriteFileWithMtime(export_ / "log_form.jsonl", form + "\n", kLater);
  const std::string visit = LineOf(DecompressedFile(export_ / "log_visit.jsonl"), "\"idvisit\": 926,");
  WriteFileWithMtime(export_ / "late" / "log_visit.jsonl", "{\"brand_new\": \"x\", " + visit.substr(1) + "\n", kLater);
  ProcessResult r = Load(export_, url_);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(Text("SELECT CAST(num_views AS TEXT) FROM matomo_raw_dwc_log_form"), "<null>");
  const std::string extra = Text("SELECT CAST(_dwc_extra AS TEXT) FROM matomo_raw_dwc_log_form");
  EXPECT_NE(extra.find("several"), std::string::npos) << extra;
  EXPECT_NE(extra.find("a_new_column"), std::string::npos) << extra;
  EXPECT_NE(Text("SELECT CAST(_dwc_extra AS TEXT) FROM matomo_raw_dwc_log_visit WHERE idvisit = 926").find("brand_new"),
            std::string::npos);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits WHERE visit_id = 926"), 1);
}

TEST_P(DwcRawLayer, MalformedLineFailsItsFileAlone) {
  WriteFileWithMtime(export_ / "log_form-bad.jsonl", "{\"idlogform\": 3}\n{\"idlogform\": \n", kLater);
  ProcessResult r = Load(export_, url_);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("log_form-bad.jsonl line 2"), std::string::npos) << r.err;
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_dwc_log_form"), 0);  // all or nothing
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_dwc_log_visit"), 164);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_etl_dwc_files"), 8);
}

TEST_P(DwcRawLayer, SimulatedExportInBase64AndGzipLandsAsTheCuratedTablesSeeIt) {
  fs::path out = tmp_.path() / "sim-export";
  {
    SimServer sim({"--sites", "2", "--visits-per-day", "40", "--from", "2026-11-20", "--to", "2026-11-25", "--now",
                   "2026-11-27 08:00:00", "--dwc-export", out.string(), "--dwc-compression", "gzip", "--dwc-binary",
                   "base64"});
  }
  auto start = std::chrono::steady_clock::now();
  ProcessResult r = Load(out, url_);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::printf("dwc load of the simulated export (%s): %.2f s\n", GetParam().engine.c_str(), seconds);
  const int64_t visits = QueryInt(url_, "SELECT count(*) FROM matomo_visits");
  ASSERT_GT(visits, 100);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_dwc_log_visit"), visits);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_dwc_log_visit r JOIN matomo_visits v ON "
                           "v.visit_id = r.idvisit AND v.visitor_id = r.idvisitor AND v.last_action_at = "
                           "r.visit_last_action_time"),
            visits);
  int64_t link_rows = 0;
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    if (e.is_regular_file() && e.path().string().find("log_link_visit_action") != std::string::npos) {
      link_rows += Lines(DecompressedFile(e.path()));
    }
  }
  ASSERT_GT(link_rows, visits);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_dwc_log_link_visit_action"), link_rows);
}


// Each file's merge looks its keys up and deletes its previous version by file: on PostgreSQL the keyed
// tables have a unique index on their primary key (the others on _dwc_row_hash) and an index on
// _dwc_file, and a warehouse made before them (the indexes dropped) gets them back on its next run.
TEST_P(DwcRawLayer, MergeKeysAreIndexedAndOldWarehousesGetTheIndexes) {
  ASSERT_EQ(Load(export_, url_).exit_code, 0);
  const bool pg = GetParam().engine == "postgres";
  if (!pg) {  // DuckDB joins by hash: no index is made (docs/dwc.md)
    EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM duckdb_indexes() WHERE table_name LIKE 'matomo_raw_dwc_%'"), 0);
    return;
  }
  const std::string indexes = pg ? "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename LIKE 'matomo_raw_dwc_%' AND "
                                   "(indexname LIKE '%_key_idx' OR indexname LIKE '%__dwc_file_idx')"
                                 : "SELECT count(*) FROM duckdb_indexes() WHERE table_name LIKE 'matomo_raw_dwc_%' AND "
                                   "(index_name LIKE '%_key_idx' OR index_name LIKE '%__dwc_file_idx')";
  EXPECT_EQ(QueryInt(url_, indexes), 2 * 20);
  const std::string definition =
      pg ? "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND "
              "indexname = 'matomo_raw_dwc_log_conversion_key_idx'"
         : "SELECT sql FROM duckdb_indexes() WHERE index_name = 'matomo_raw_dwc_log_conversion_key_idx'";
  std::string def = Text(definition);
  std::erase(def, '"');  // DuckDB keeps the statement as written, identifiers quoted
  EXPECT_NE(def.find("UNIQUE INDEX"), std::string::npos) << def;
  EXPECT_NE(def.find("(idvisit, idgoal, buster)"), std::string::npos) << def;
  // The index refuses a second row of a key (the merge never writes one).
  {
    auto wh = warehouse::OpenWarehouse(url_);
    ASSERT_TRUE(wh.ok());
    auto s = (*wh)->Connect();
    ASSERT_TRUE(s.ok());
    EXPECT_FALSE((*s)->Execute("INSERT INTO matomo_raw_dwc_log_visit SELECT * FROM matomo_raw_dwc_log_visit "
                               "WHERE idvisit = 926").ok());
    for (const char* table : {"log_visit", "log_conversion", "site"}) {
      const std::string name = std::string("matomo_raw_dwc_") + table;
      ASSERT_TRUE((*s)->Execute("DROP INDEX " + name + "_key_idx").ok()) << table;
      ASSERT_TRUE((*s)->Execute("DROP INDEX " + name + "__dwc_file_idx").ok()) << table;
    }
  }
  EXPECT_EQ(QueryInt(url_, indexes), 2 * 20 - 6);
  const std::string dump = Dump(url_);
  ProcessResult again = Load(export_, url_);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(QueryInt(url_, indexes), 2 * 20);
  EXPECT_EQ(Dump(url_), dump);
}

INSTANTIATE_TEST_SUITE_P(, DwcRawLayer, ::testing::ValuesIn(DwcTargets()), TargetTestName);

}  // namespace
}  // namespace metl::e2e
