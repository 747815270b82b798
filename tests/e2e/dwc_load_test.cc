// `matomo-etl dwc load` over the real Matomo 5.1.2 raw sample, on DuckDB and PostgreSQL: exactly
// once (a rerun, a re-delivered file and a lost file-ledger write change nothing), the newest file
// wins per primary key, every binary/datetime form of the export gives the same tables, and a
// malformed line fails its file alone, naming its key and line.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "core/base64.h"
#include "dwc_test_util.h"
#include "harness.h"
#include "landing/compressed_file.h"
#include "landing_fixture.h"
#include "warehouse/warehouse.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kCurated = {"matomo_visits", "matomo_actions", "matomo_custom_dimensions",
                                           "matomo_conversions", "matomo_ecommerce_items"};



// A copy of the sample's raw folder, every file plain and dated 2026-12-03 (older than what tests add).
void CopySample(const fs::path& to) {
  fs::create_directories(to);
  for (const auto& e : fs::directory_iterator(TestData("dwc-real-sample/raw"))) {
    std::string name = e.path().filename().string();
    name = name.substr(0, name.find(".jsonl")) + ".jsonl";
    WriteFileWithMtime(to / name, DecompressedFile(e.path()), 1796256000);
  }
}


class DwcLoad : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  void SetUp() override {
    url_ = GetParam().FreshUrl(tmp_);
    if (url_.empty()) return;
    export_ = tmp_.path() / "export";
    CopySample(export_);
  }
  ProcessResult Load(const fs::path& from, const std::string& url, const std::string& landing = "landing") {
    return RunEtl({"dwc", "load", "--from-dir", from.string(), "--landing", (tmp_.path() / landing).string(),
                   "--warehouse", url});
  }
  std::string Dump(const std::string& url) { return DumpTables(url, kCurated, {"extracted_at"}); }

  TempDir tmp_;
  std::string url_;
  fs::path export_;
};

TEST_P(DwcLoad, RerunAndRedeliveredFileChangeNothing) {
  ProcessResult first = Load(export_, url_);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits"), 164);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_etl_dwc_files"), 8);
  const std::string dump = DumpTables(url_, kCurated);
  const int64_t loaded_at = QueryInt(url_, "SELECT count(DISTINCT loaded_at) FROM matomo_etl_partitions");

  ProcessResult again = Load(export_, url_);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("0 new or changed"), std::string::npos) << again.out;
  // A re-delivered file: same key and bytes, a newer time. Nothing is rebuilt.
  WriteFileWithMtime(export_ / "log_conversion.jsonl", DecompressedFile(export_ / "log_conversion.jsonl"), 1796342400);
  ProcessResult redelivered = Load(export_, url_);
  ASSERT_EQ(redelivered.exit_code, 0) << redelivered.err;
  EXPECT_NE(redelivered.out.find("0 new or changed"), std::string::npos) << redelivered.out;
  EXPECT_EQ(DumpTables(url_, kCurated), dump);  // extracted_at included: nothing was reloaded
  EXPECT_EQ(QueryInt(url_, "SELECT count(DISTINCT loaded_at) FROM matomo_etl_partitions"), loaded_at);
}

TEST_P(DwcLoad, LostFileLedgerWriteIsRedoneWithoutChange) {
  // A run killed after its days loaded but before the file ledger was written: the next run reads the
  // files as new, rebuilds the same days, and the partition ledger's content hashes skip the reload.
  ASSERT_EQ(Load(export_, url_).exit_code, 0);
  const std::string dump = DumpTables(url_, kCurated);
  {
    auto wh = warehouse::OpenWarehouse(url_);
    ASSERT_TRUE(wh.ok());
    auto s = (*wh)->Connect();
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->Execute("DELETE FROM matomo_etl_dwc_files").ok());
  }
  ProcessResult rerun = Load(export_, url_);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_NE(rerun.out.find("8 new or changed"), std::string::npos) << rerun.out;
  EXPECT_NE(rerun.out.find("0 partitions"), std::string::npos) << rerun.out;  // all 4 unchanged: none loaded
  EXPECT_EQ(DumpTables(url_, kCurated), dump);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_etl_dwc_files"), 8);
}

TEST_P(DwcLoad, NewestFileWinsPerPrimaryKey) {
  ASSERT_EQ(Load(export_, url_).exit_code, 0);
  // A later export carries visit 926 again (Matomo updated it): a new referrer name and 2 actions.
  std::string visits = DecompressedFile(export_ / "log_visit.jsonl"), line;
  std::istringstream in(visits);
  while (std::getline(in, line)) {
    if (line.find("\"idvisit\": 926,") != std::string::npos) break;
  }
  ASSERT_NE(line.find("\"idvisit\": 926,"), std::string::npos);
  line = std::regex_replace(line, std::regex("\"referer_name\": \"[^\"]*\""), "\"referer_name\": \"updated-campaign\"");
  line = std::regex_replace(line, std::regex("\"visit_total_actions\": 1,"), "\"visit_total_actions\": 2,");
  fs::create_directories(export_ / "2026-12-04");
  WriteFileWithMtime(export_ / "2026-12-04" / "log_visit.jsonl", line + "\n", 1796342400);
  ProcessResult r = Load(export_, url_);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("1 new or changed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 days rebuilt"), std::string::npos) << r.out;
  Rows v = QueryWarehouse(url_, "SELECT referrer_name, actions FROM matomo_visits WHERE visit_id = 926");
  ASSERT_EQ(v.rows.size(), 1u);
  EXPECT_EQ(v.rows[0][0].value_or(""), "updated-campaign");
  EXPECT_EQ(v.rows[0][1].value_or(""), "2");
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits"), 164);
}

TEST_P(DwcLoad, EveryExportEncodingGivesTheSameTables) {
  ASSERT_EQ(Load(export_, url_).exit_code, 0);
  // The same rows as MySQL 8's JSON_OBJECT would write them: binary columns "base64:type254:..."
  // (IPs type15), DATETIMEs with a fraction; the link_visit_action file gzip-compressed without
  // an extension that says so.
  fs::path other = tmp_.path() / "export-mysql8";
  CopySample(other);
  std::string visits = DecompressedFile(other / "log_visit.jsonl"), out, line;
  std::istringstream in(visits);
  auto to_b64 = [](const std::string& hex) {
    std::string bytes;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return Base64Encode(bytes);
  };
  while (std::getline(in, line)) {
    std::smatch m;
    for (const char* col : {"idvisitor", "config_id", "location_ip"}) {
      std::regex re(std::string("\"") + col + "\": \"([0-9a-f]+)\"");
      if (std::regex_search(line, m, re)) {
        std::string type = std::string(col) == "location_ip" ? "15" : "254";
        line =
            m.prefix().str() + "\"" + col + "\": \"base64:type" + type + ":" + to_b64(m[1]) + "\"" + m.suffix().str();
      }
    }
    line = std::regex_replace(line, std::regex("(_time\": \"[0-9-]+ [0-9:]+)\""), "$1.000000\"");
    out += line + "\n";
  }
  WriteFileWithMtime(other / "log_visit.jsonl", out, 1796256000);
  {
    auto gz = landing::CompressedFileWriter::Create((other / "log_link_visit_action.data").string(),
                                                    landing::Compression::kGzip);
    ASSERT_TRUE(gz.ok());
    ASSERT_TRUE((*gz)->Write(DecompressedFile(other / "log_link_visit_action.jsonl")).ok());
    ASSERT_TRUE((*gz)->Finish().ok());
    fs::remove(other / "log_link_visit_action.jsonl");
  }
  TempDir second;
  std::string url2 = GetParam().FreshUrl(second);
  ASSERT_FALSE(url2.empty());
  ProcessResult r = Load(other, url2, "landing2");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(Dump(url2), Dump(url_));
}

TEST_P(DwcLoad, MalformedLineFailsItsFileAloneNamingKeyAndLine) {
  WriteFileWithMtime(export_ / "log_conversion_item-late.jsonl",
        "{\"idvisit\": 930, \"idorder\": \"0\", \"idaction_sku\": 137, \"quantity\": 5}\n{\"idvisit\": 931,\n",
        1796342400);
  ProcessResult r = Load(export_, url_);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("log_conversion_item-late.jsonl line 2"), std::string::npos) << r.err;
  // Everything else loaded; the bad file's first, valid row too was left out (the file is all or nothing).
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits"), 164);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_etl_dwc_files"), 8);
  EXPECT_EQ(QueryInt(url_, "SELECT coalesce(max(quantity), 0) FROM matomo_ecommerce_items WHERE visit_id = 930"), 1);
}

TEST_P(DwcLoad, NothingLandedYetSaysWhatLandsTheFiles) {
  // No --from-dir and no <landing>/dwc/: the hint names `dwc extract`, not a flag `dwc sync` lacks.
  ProcessResult r = RunEtl({"dwc", "load", "--landing", (tmp_.path() / "empty-landing").string(), "--warehouse", url_});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("nothing has landed in"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("dwc extract"), std::string::npos) << r.err;
}

TEST_P(DwcLoad, ChangedFileWithoutAVisitRemovesIt) {
  // A GDPR deletion applied to the export: visit 926 sits in a file of its own, which is then
  // re-delivered without it (a new ETag). No row names visit 926 any more, yet its day is rebuilt.
  std::string visits = DecompressedFile(export_ / "log_visit.jsonl"), rest, line, alone;
  std::istringstream in(visits);
  while (std::getline(in, line)) {
    if (line.find("\"idvisit\": 926,") != std::string::npos)
      alone = line + "\n";
    else
      rest += line + "\n";
  }
  ASSERT_FALSE(alone.empty());
  WriteFileWithMtime(export_ / "log_visit.jsonl", rest, 1796256000);
  WriteFileWithMtime(export_ / "log_visit-subject.jsonl", alone, 1796256000);
  ASSERT_EQ(Load(export_, url_).exit_code, 0);
  ASSERT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits WHERE visit_id = 926"), 1);
  WriteFileWithMtime(export_ / "log_visit-subject.jsonl", "\n", 1796342400);
  ProcessResult r = Load(export_, url_);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits WHERE visit_id = 926"), 0);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_visits WHERE visit_id = 926"), 0);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits"), 163);
}

TEST_P(DwcLoad, SwitchingASiteToDwcReplacesItsLivePartitions) {
  // Both sites first come from the Live API (the real Live answers of the same visits).
  const std::string landing = (tmp_.path() / "landing").string();
  for (int site : {1, 2}) {
    for (const char* date : {"2026-12-01", "2026-12-02"}) {
      LandJsonArray(landing, site, date, site == 1 ? "UTC" : "Europe/Berlin",
                    ReadFile(TestData("dwc-real-sample/live/live_s" + std::to_string(site) + "_" + date + ".json")));
    }
  }
  ProcessResult live = RunEtl({"load", "--landing", landing, "--warehouse", url_});
  ASSERT_EQ(live.exit_code, 0) << live.out << live.err;
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_etl_partitions WHERE source = 'live'"), 4);
  const std::string site1 = DumpTables(url_, {"matomo_raw_visits"});
  // Site 2 switches to the DWC: its days are replaced, site 1 stays Live's.
  ProcessResult dwc = RunEtl(
      {"dwc", "load", "--from-dir", export_.string(), "--landing", landing, "--warehouse", url_, "--dwc-sites", "2"});
  ASSERT_EQ(dwc.exit_code, 0) << dwc.out << dwc.err;
  Rows sources = QueryWarehouse(url_,
                                "SELECT site_id, source, count(*) FROM matomo_etl_partitions "
                                "GROUP BY site_id, source ORDER BY site_id");
  ASSERT_EQ(sources.rows.size(), 2u);
  EXPECT_EQ(sources.rows[0][0].value_or(""), "1");
  EXPECT_EQ(sources.rows[0][1].value_or(""), "live");
  EXPECT_EQ(sources.rows[1][0].value_or(""), "2");
  EXPECT_EQ(sources.rows[1][1].value_or(""), "dwc");
  EXPECT_EQ(sources.rows[1][2].value_or(""), "2");
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_visits WHERE site_id = 2"), 82);
  // Site 2's raw visits are now the DWC rendering (no Live-only fields such as serverDatePretty).
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_visits WHERE site_id = 2 AND " +
                               std::string(GetParam().engine == "postgres" ? "visit::text" : "CAST(visit AS VARCHAR)") +
                               " LIKE '%serverDatePretty%'"),
            0);
  EXPECT_EQ(QueryInt(url_, "SELECT count(*) FROM matomo_raw_visits WHERE site_id = 1 AND " +
                               std::string(GetParam().engine == "postgres" ? "visit::text" : "CAST(visit AS VARCHAR)") +
                               " LIKE '%serverDatePretty%'"),
            82);
  (void)site1;
}

INSTANTIATE_TEST_SUITE_P(, DwcLoad, ::testing::ValuesIn(DwcTargets()), TargetTestName);

}  // namespace
}  // namespace metl::e2e
