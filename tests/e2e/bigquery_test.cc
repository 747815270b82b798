// `matomo-etl load` into BigQuery end to end (issue 13): the real binary against google-fake (its
// token endpoint checks the JWT signed with a throwaway key; its BigQuery module keeps the rows in
// DuckDB), compared with a DuckDB warehouse loaded from the same landing zone: the same tables and
// numbers, an idempotent rerun that loads nothing, files over the fake's multipart limit through the
// resumable media upload, and faults (HTTP 503 with Retry-After, backendError inside a load job, a
// transaction cancelled by a concurrent one, a kill mid-load, upload chunks cut or refused) after
// which nothing is lost or duplicated.
#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "harness.h"
#include "landing_fixture.h"
#include "normalize/schema.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

const char* kReference = METL_SOURCE_DIR "/tests/data/matomo-5.1.2/";

const std::vector<std::string> kTables = {
    "matomo_visits", "matomo_actions", "matomo_custom_dimensions", "matomo_conversions", "matomo_ecommerce_items",
    "matomo_raw_visits", "matomo_daily_kpis", "matomo_etl_partitions",
    // the analysis tables (the same SQL on every engine)
    "matomo_dates", "matomo_channels_daily", "matomo_attribution", "matomo_cohorts", "matomo_funnels"};

// google-fake on a free port with a throwaway key it trusts; this process and the binaries it starts
// reach it through GOOGLE_APPLICATION_CREDENTIALS and BIGQUERY_EMULATOR_HOST.
class GoogleFake {
 public:
  explicit GoogleFake(const TempDir& tmp, const std::vector<std::string>& extra = {})
      : key_((tmp.path() / "sa-key.json").string()) {
    std::vector<std::string> argv{GFAKE_BIN_PATH, "--port", "0", "--write-test-key", key_, "--bucket", "stage:EU"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_ = std::make_unique<BackgroundProcess>(argv);
    url_ = process_->ReadFirstLine(30);
    host_ = url_.substr(url_.find("://") + 3);
    while (!host_.empty() && host_.back() == '/') host_.pop_back();
    setenv("GOOGLE_APPLICATION_CREDENTIALS", key_.c_str(), 1);
    setenv("BIGQUERY_EMULATOR_HOST", host_.c_str(), 1);
    setenv("STORAGE_EMULATOR_HOST", host_.c_str(), 1);
  }
  ~GoogleFake() {
    unsetenv("STORAGE_EMULATOR_HOST");
    unsetenv("GOOGLE_APPLICATION_CREDENTIALS");
    unsetenv("BIGQUERY_EMULATOR_HOST");
  }
  bool ok() const { return !host_.empty(); }
  std::string Stats() { return HttpGet("http://" + host_ + "/_fake/bigquery/stats").body; }
  int64_t Stat(const std::string& name) {
    std::string s = Stats();
    size_t at = s.find("\"" + name + "\":");
    return at == std::string::npos ? -1 : std::atoll(s.c_str() + at + name.size() + 3);
  }
  void Fault(const std::string& json) {
    // the control route takes JSON; HttpPost sends a form body, which the route reads as text
    ProcessResult r = RunProcess(
        {"/usr/bin/curl", "-s", "-X", "POST", "--data-binary", json, "http://" + host_ + "/_fake/bigquery/faults"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(r.out, "{}") << "the fake did not take the fault " << json;
  }
  BackgroundProcess& process() { return *process_; }

 private:
  std::string key_, url_, host_;
  std::unique_ptr<BackgroundProcess> process_;
};

// A table's rows as sorted text lines, values normalized where two engines may spell one value
// differently: decimals without trailing zeros, doubles by value, raw visits as canonical JSON is not
// needed (STRING keeps the bytes).
std::string Canonical(const std::string& url, const std::string& table) {
  const TableDef* def = FindTable(table);
  Rows r = QueryWarehouse(url, "SELECT * FROM " + table);
  std::vector<std::string> lines;
  for (const auto& row : r.rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      if (r.columns[c] == "loaded_at") continue;
      std::string v = row[c].value_or("\\N");
      LogicalType type = LogicalType::kText;
      for (const ColumnDef& col : def->columns) {
        if (col.name == r.columns[c]) type = col.type;
      }
      if (row[c] && (type == LogicalType::kDecimal || type == LogicalType::kWideDecimal) &&
          v.find('.') != std::string::npos) {
        while (v.back() == '0') v.pop_back();
        if (v.back() == '.') v.pop_back();
      }
      if (row[c] && type == LogicalType::kDouble) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", std::strtod(v.c_str(), nullptr));
        v = buf;
      }
      line += r.columns[c] + "=" + v + "\t";
    }
    lines.push_back(std::move(line));
  }
  std::sort(lines.begin(), lines.end());
  std::string out = table + " (" + std::to_string(lines.size()) + " rows)\n";
  for (const auto& l : lines) out += l + "\n";
  return out;
}

class BigQueryLoad : public ::testing::Test {
 protected:
  virtual std::vector<std::string> FakeArgs() { return {}; }
  void SetUp() override {
    fake_ = std::make_unique<GoogleFake>(tmp_, FakeArgs());
    ASSERT_TRUE(fake_->ok()) << fake_->process().Stderr();
    landing_ = (tmp_.path() / "landing").string();
    LandJsonArray(landing_, 1, "2026-11-25", "UTC",
                  ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"));
    LandJsonArray(landing_, 2, "2026-11-25", "America/New_York",
                  ReadFile(std::string(kReference) + "live_site2_newyork_day_limit100_offset0.json"));
    duck_ = WarehouseTarget{"duckdb", ""}.FreshUrl(tmp_);
    ProcessResult r = RunEtl({"load", "--landing", landing_, "--warehouse", duck_});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  ProcessResult Load(const std::string& dataset = "matomo") {
    return RunEtl({"load", "--landing", landing_, "--warehouse", Url(dataset)});
  }
  static std::string Url(const std::string& dataset = "matomo") {
    return "bigquery://metl-test-project/" + dataset + "?location=EU";
  }
  void ExpectSameAsDuckDb(const std::string& url) {
    for (const std::string& t : kTables) {
      std::string duck = Canonical(duck_, t);
      EXPECT_EQ(duck.find(t + " (0 rows)"), std::string::npos) << "an empty table proves nothing";
      EXPECT_EQ(Canonical(url, t), duck) << t;
    }
  }

  TempDir tmp_;
  std::unique_ptr<GoogleFake> fake_;
  std::string landing_, duck_;
};

TEST_F(BigQueryLoad, SameTablesAndNumbersAsDuckDbAndARerunLoadsNothing) {
  ProcessResult r = Load();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("loaded 2 partitions"), std::string::npos) << r.out;
  ExpectSameAsDuckDb(Url());
  // one group: one load job per table with rows (6 curated tables), one publishing transaction
  EXPECT_EQ(fake_->Stat("load_jobs"), 6) << fake_->Stats();
  const std::string before = DumpTables(Url(), kTables, {"loaded_at"});
  const int64_t jobs = fake_->Stat("load_jobs");
  r = Load();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(fake_->Stat("load_jobs"), jobs) << "a rerun of unchanged partitions loads nothing";
  EXPECT_EQ(DumpTables(Url(), kTables, {"loaded_at"}), before);
}

TEST_F(BigQueryLoad, FilesStagedInGcsLoadTheSameTables) {
  const std::string url = "bigquery://metl-test-project/staged?location=EU&staging=gs://stage/bq-staging";
  ProcessResult r = RunEtl({"load", "--landing", landing_, "--warehouse", url});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ExpectSameAsDuckDb(url);
  EXPECT_EQ(fake_->Stat("load_jobs"), 6) << fake_->Stats();
}

TEST_F(BigQueryLoad, FaultsLoseAndDuplicateNothing) {
  fake_->Fault(R"({"kind":"http","status":503,"reason":"backendError","retry_after":1,"count":2,"api":"jobs.insert"})");
  fake_->Fault(R"({"kind":"http","status":429,"reason":"rateLimitExceeded","count":1,"api":"upload"})");
  fake_->Fault(R"({"kind":"job_backend_error","job_type":"LOAD","count":1})");
  fake_->Fault(R"({"kind":"transaction_conflict","count":2})");
  ProcessResult r = Load();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_GE(fake_->Stat("http_faults"), 3) << fake_->Stats();
  EXPECT_EQ(fake_->Stat("cancelled_transactions"), 2) << fake_->Stats();
  ExpectSameAsDuckDb(Url());
}

TEST_F(BigQueryLoad, KilledMidLoadThenRerunEqualsOneCleanRun) {
  // The publishing transaction's insert is answered 503 with Retry-After: 20, so the load sits in its
  // wait after every load job went through: killed there, then run again.
  fake_->Fault(
      R"({"kind":"http","status":503,"reason":"backendError","retry_after":20,"count":1,"api":"jobs.insert"})");
  BackgroundProcess load({EtlBin(), "load", "--landing", landing_, "--warehouse", Url()});
  bool waiting = false;
  for (int i = 0; i < 600 && !waiting; ++i) {
    waiting = fake_->Stat("http_faults") >= 1;
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(waiting) << load.Stderr();
  load.Signal(SIGKILL);
  load.Wait();
  EXPECT_EQ(QueryInt(Url(), "SELECT count(*) FROM matomo_visits"), 0) << "nothing published before the kill";
  ProcessResult r = Load();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ExpectSameAsDuckDb(Url());
}

// No gs:// staging: every file goes up with its load job through BigQuery's resumable media upload,
// here in 256 KiB chunks (`upload_chunk_kib=256`), while the fake refuses any multipart request over
// 256 KiB (HTTP 413). The raw visits file alone is larger than that.
class BigQueryResumable : public BigQueryLoad {
 protected:
  std::vector<std::string> FakeArgs() override { return {"--bq-max-multipart", "262144"}; }
  static std::string ChunkedUrl() { return Url("chunked") + "&upload_chunk_kib=256"; }
  ProcessResult LoadChunked() { return RunEtl({"load", "--landing", landing_, "--warehouse", ChunkedUrl()}); }
  // Every load job inserted once: 6 tables with rows, one job each.
  void ExpectLoadedOnce() {
    EXPECT_EQ(fake_->Stat("load_jobs"), 6) << fake_->Stats();
    EXPECT_EQ(fake_->Stat("multipart_uploads"), 0) << fake_->Stats();
    ExpectSameAsDuckDb(ChunkedUrl());
  }
};

TEST_F(BigQueryResumable, FilesOverTheMultipartLimitLoadInChunks) {
  ProcessResult r = LoadChunked();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ExpectLoadedOnce();
  EXPECT_EQ(fake_->Stat("upload_sessions"), 6) << fake_->Stats();
  EXPECT_GE(fake_->Stat("upload_chunks"), 9) << "the larger files took several chunks: " << fake_->Stats();
  EXPECT_GT(fake_->Stat("upload_bytes"), 3 * 262144) << fake_->Stats();
  EXPECT_EQ(fake_->Stat("upload_status_queries"), 0) << "no fault, no status query: " << fake_->Stats();
}

TEST_F(BigQueryResumable, ChunksCutMidWayResumeFromWhatBigQueryConfirmedAndLoadOnce) {
  // Two chunks cut half-way (whole quanta kept, the connection dropped without an answer), then one
  // stored whole whose answer is lost (if it was a file's last chunk, the job exists already).
  fake_->Fault(R"({"kind":"cut_upload","count":2})");
  fake_->Fault(R"({"kind":"cut_upload","count":1,"after_storing":true})");
  ProcessResult r = LoadChunked();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(fake_->Stat("cut_uploads"), 3) << fake_->Stats();
  EXPECT_GE(fake_->Stat("upload_status_queries"), 3) << "each cut is followed by a status query: " << fake_->Stats();
  ExpectLoadedOnce();
}

TEST_F(BigQueryResumable, A503OnAChunkIsRetriedFromWhatBigQueryConfirmed) {
  // The first chunk is answered 503, so is the status query that follows it; the next status query
  // says where to resume. The start of a session is answered 429 once.
  fake_->Fault(R"({"kind":"http","status":503,"reason":"backendError","count":2,"api":"upload.chunk"})");
  fake_->Fault(R"({"kind":"http","status":429,"reason":"rateLimitExceeded","count":1,"api":"upload"})");
  ProcessResult r = LoadChunked();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(fake_->Stat("http_faults"), 3) << fake_->Stats();
  EXPECT_EQ(fake_->Stat("upload_status_queries"), 1) << fake_->Stats();
  ExpectLoadedOnce();
}

// Every token the fake issues is refused after 15 API calls (a token expiring mid-run): the tool
// fetches a new one on the 401 and goes on.
class BigQueryTokenExpiry : public BigQueryLoad {
  std::vector<std::string> FakeArgs() override { return {"--revoke-token-after", "15"}; }
};

TEST_F(BigQueryTokenExpiry, ATokenExpiringMidRunIsReplacedAndTheLoadCompletes) {
  ProcessResult r = Load();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("fetching a new access token"), std::string::npos) << "no token expired: " << r.err;
  ExpectSameAsDuckDb(Url());
}

// `matomo-etl sql` on BigQuery: the query runs as a query job and prints what DuckDB prints for the
// same rows, in every format; a write is refused before anything is sent.
TEST_F(BigQueryLoad, SqlRunsAQueryJobAndRefusesWrites) {
  ProcessResult r = Load();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string query =
      "SELECT site_id, count(*) AS visits, sum(pageviews) AS pageviews, min(visit_date) AS first_day "
      "FROM matomo_visits GROUP BY site_id ORDER BY site_id";
  for (const char* format : {"csv", "json", "table"}) {
    ProcessResult bq = RunEtl({"sql", "--warehouse", Url(), "--format", format, query});
    ASSERT_EQ(bq.exit_code, 0) << bq.out << bq.err;
    ProcessResult duck = RunEtl({"sql", "--warehouse", duck_, "--format", format, query});
    ASSERT_EQ(duck.exit_code, 0) << duck.err;
    EXPECT_EQ(bq.out, duck.out) << format;
    EXPECT_NE(bq.out.find("2026-11-25"), std::string::npos) << bq.out;
  }
  const int64_t jobs = fake_->Stat("jobs");
  const int64_t visits = QueryInt(Url(), "SELECT count(*) FROM matomo_visits");
  for (const char* write : {"DELETE FROM matomo_visits WHERE TRUE", "SELECT 1; DELETE FROM matomo_visits WHERE TRUE",
                            "DROP TABLE matomo_visits"}) {
    r = RunEtl({"sql", "--warehouse", Url(), write});
    EXPECT_EQ(r.exit_code, 2) << write << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find("one SELECT"), std::string::npos) << r.err;
  }
  EXPECT_EQ(fake_->Stat("jobs"), jobs + 1) << "a refused statement reached BigQuery";  // +1: the count above
  EXPECT_EQ(QueryInt(Url(), "SELECT count(*) FROM matomo_visits"), visits);
}

// `load --dry-run` prints the plan from the landed partitions (files, rows and bytes per table, the
// staging tables, the load jobs and the publishing transaction, the bq / gcloud storage commands) and
// sends nothing: the fake's request log stays empty, no job ran, and a real load afterwards still
// finds no dataset to start from.
class BigQueryDryRun : public BigQueryLoad {
 protected:
  std::vector<std::string> FakeArgs() override { return {"--request-log", RequestLog()}; }
  std::string RequestLog() const { return (tmp_.path() / "requests.jsonl").string(); }
  // The logged requests apart from the test's own to the fake's control routes (/_fake/...).
  std::string ToolRequests() const {
    std::string out, line;
    std::istringstream in(ReadFile(RequestLog()));
    while (std::getline(in, line)) {
      if (line.find("\"path\":\"/_fake/") == std::string::npos) out += line + "\n";
    }
    return out;
  }
};

TEST_F(BigQueryDryRun, PrintsThePlanAndSendsNothing) {
  const std::string url = "bigquery://metl-test-project/planned?location=EU";
  ProcessResult r = RunEtl({"load", "--dry-run", "--landing", landing_, "--warehouse", url});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string visits = std::to_string(QueryInt(duck_, "SELECT count(*) FROM matomo_visits"));
  const std::string actions = std::to_string(QueryInt(duck_, "SELECT count(*) FROM matomo_actions"));
  for (const std::string& want :
       {std::string("bq --project_id=metl-test-project --location=EU mk --dataset metl-test-project:planned"),
        std::string("group 1: 2 partition(s)"), "  matomo_visits: " + visits + " rows, ",
        "  matomo_actions: " + actions + " rows, ", std::string("_load_matomo_visits_a1 (WRITE_TRUNCATE"),
        std::string(" load --job_id=metl_"), std::string("--source_format=NEWLINE_DELIMITED_JSON --replace"),
        std::string("upload with the load job (POST /upload/bigquery/v2/projects/metl-test-project/jobs"),
        std::string("_publish_a1, one multi-statement transaction"), std::string("      BEGIN TRANSACTION;"),
        std::string("      COMMIT TRANSACTION;"), std::string("DELETE FROM `matomo_etl_partitions` WHERE"),
        std::string("dry run: would load 2 partitions")}) {
    EXPECT_NE(r.out.find(want), std::string::npos) << "missing: " << want << "\n" << r.out;
  }
  // Bytes are the NDJSON file's real size: a number above zero for each table with rows.
  size_t at = r.out.find("  matomo_visits: " + visits + " rows, ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_GT(std::atoll(r.out.c_str() + at + 17 + visits.size() + 7), 1000) << r.out.substr(at, 80);
  EXPECT_NE(r.err.find("would load"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("\"loaded\""), std::string::npos) << r.err;

  // Nothing reached the fake: not a token request, not a GET.
  EXPECT_EQ(ToolRequests(), "");
  EXPECT_EQ(fake_->Stat("jobs"), 0) << fake_->Stats();

  // With a gs:// staging area: the upload and the gcloud storage command, still nothing sent.
  r = RunEtl({"load", "--dry-run", "--landing", landing_, "--warehouse", url + "&staging=gs://stage/bq"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("gcloud storage cp matomo_visits.ndjson gs://stage/bq/_metl_stage_metl_"), std::string::npos)
      << r.out;
  EXPECT_EQ(ToolRequests(), "");

  // The dataset the plan named does not exist: a real load creates it now (the fake logs the 404).
  r = RunEtl({"load", "--landing", landing_, "--warehouse", url});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(ReadFile(RequestLog())
                .find("\"method\":\"GET\",\"path\":\"/bigquery/v2/projects/metl-test-project/datasets/"
                      "planned\",\"query\":\"\",\"status\":404"),
            std::string::npos);
}

}  // namespace
}  // namespace metl::e2e
