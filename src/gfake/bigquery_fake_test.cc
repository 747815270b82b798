// The BigQuery fake over real HTTP on 127.0.0.1 (cpp-httplib's client as the test's HTTP client).
#include "gfake/bigquery_fake.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

namespace metl::gfake {
namespace {

class BigQueryFakeTest : public ::testing::Test {
 protected:
  virtual BigQueryFakeOptions Options() { return {}; }
  void SetUp() override {
    BigQueryFakeOptions options = Options();
    options.token_ok = [](std::string_view t) { return t == "good-token"; };
    fake_ = RegisterBigQueryRoutes(server_, std::move(options));
    server_.set_tcp_nodelay(true);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void TearDown() override {
    server_.stop();
    thread_.join();
  }
  httplib::Result Send(const std::string& method, const std::string& path, const std::string& body = "",
                       const std::string& token = "good-token", httplib::Headers headers = {},
                       const std::string& content_type = "application/json") {
    httplib::Client c("127.0.0.1", port_);
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    if (method == "GET") return c.Get(path, headers);
    if (method == "DELETE") return c.Delete(path, headers);
    if (method == "PUT") return c.Put(path, headers, body, content_type);
    return c.Post(path, headers, body, content_type);
  }
  std::string JobState(const std::string& id) {
    auto r = Send("GET", "/bigquery/v2/projects/p/jobs/" + id);
    std::string b = r->body;
    size_t s = b.find("\"state\":\"");
    return s == std::string::npos ? b : b.substr(s + 9, b.find('"', s + 9) - s - 9);
  }
  void Dataset(const std::string& location = "EU") {
    auto r = Send("POST", "/bigquery/v2/projects/p/datasets",
                  R"({"datasetReference":{"projectId":"p","datasetId":"d"},"location":")" + location + "\"}");
    ASSERT_EQ(r->status, 200) << r->body;
  }
  std::string LoadJob(const std::string& id, const std::string& table) {
    return R"({"jobReference":{"projectId":"p","jobId":")" + id + R"(","location":"EU"},"configuration":{"load":{
      "destinationTable":{"projectId":"p","datasetId":"d","tableId":")" +
           table + R"("},
      "sourceFormat":"NEWLINE_DELIMITED_JSON","writeDisposition":"WRITE_APPEND","createDisposition":"CREATE_IF_NEEDED",
      "schema":{"fields":[{"name":"site_id","type":"INTEGER","mode":"REQUIRED","description":"the site"},
        {"name":"day","type":"DATE"},{"name":"seen_at","type":"TIMESTAMP"},{"name":"money","type":"NUMERIC","precision":"18","scale":"6"}]}}}})";
  }
  httplib::Result Multipart(const std::string& job, const std::string& data) {
    std::string body = "--XX\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n" + job +
                       "\r\n--XX\r\nContent-Type: application/octet-stream\r\n\r\n" + data + "\r\n--XX--\r\n";
    return Send("POST", "/upload/bigquery/v2/projects/p/jobs?uploadType=multipart", body, "good-token", {},
                "multipart/related; boundary=XX");
  }
  httplib::Result Query(const std::string& id, const std::string& sql) {
    std::string escaped;
    for (char c : sql) {
      if (c == '"' || c == '\\') escaped += '\\';
      if (c == '\n') {
        escaped += "\\n";
        continue;
      }
      escaped += c;
    }
    return Send("POST", "/bigquery/v2/projects/p/jobs",
                R"({"jobReference":{"projectId":"p","jobId":")" + id +
                    R"(","location":"EU"},"configuration":{"query":{"query":")" + escaped +
                    R"(","useLegacySql":false}}})");
  }
  std::string Results(const std::string& id, bool int64_ts = true) {
    std::string path = "/bigquery/v2/projects/p/queries/" + id + "?location=EU";
    if (int64_ts) path += "&formatOptions.useInt64Timestamp=true";
    for (int i = 0; i < 5; ++i) {
      auto r = Send("GET", path);
      if (r->body.find("\"jobComplete\":false") == std::string::npos) return std::to_string(r->status) + " " + r->body;
    }
    return "never complete";
  }

  httplib::Server server_;
  std::shared_ptr<BigQueryFake> fake_;
  int port_ = 0;
  std::thread thread_;
};

TEST_F(BigQueryFakeTest, RequestsNeedATokenTheFakeIssued) {
  EXPECT_EQ(Send("GET", "/bigquery/v2/projects/p/datasets/d", "", "")->status, 401);
  EXPECT_EQ(Send("GET", "/bigquery/v2/projects/p/datasets/d", "", "forged")->status, 401);
  EXPECT_EQ(Send("GET", "/bigquery/v2/projects/p/datasets/d")->status, 404);
}

TEST_F(BigQueryFakeTest, DatasetsKeepTheirLocationAndAreCreatedOnce) {
  Dataset("EU");
  auto r = Send("GET", "/bigquery/v2/projects/p/datasets/d");
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("\"location\":\"EU\""), std::string::npos);
  auto again =
      Send("POST", "/bigquery/v2/projects/p/datasets", R"({"datasetReference":{"projectId":"p","datasetId":"d"}})");
  EXPECT_EQ(again->status, 409);
  EXPECT_NE(again->body.find("\"reason\":\"duplicate\""), std::string::npos);
}

TEST_F(BigQueryFakeTest, TablesKeepDescriptionsPartitioningClusteringAndExpiration) {
  Dataset();
  auto r = Send("POST", "/bigquery/v2/projects/p/datasets/d/tables", R"({
    "tableReference":{"projectId":"p","datasetId":"d","tableId":"visits"},
    "schema":{"fields":[{"name":"site_id","type":"INTEGER","mode":"REQUIRED","description":"Matomo's idSite"},
                        {"name":"visit_date","type":"DATE","mode":"REQUIRED"}]},
    "timePartitioning":{"type":"DAY","field":"visit_date"},"clustering":{"fields":["site_id"]},
    "expirationTime":"99999999999999"})");
  ASSERT_EQ(r->status, 200) << r->body;
  auto got = Send("GET", "/bigquery/v2/projects/p/datasets/d/tables/visits");
  ASSERT_EQ(got->status, 200);
  for (const char* want :
       {"\"description\":\"Matomo's idSite\"", "\"timePartitioning\":{\"type\":\"DAY\",\"field\":\"visit_date\"}",
        "\"clustering\":{\"fields\":[\"site_id\"]}", "\"expirationTime\":\"99999999999999\""}) {
    EXPECT_NE(got->body.find(want), std::string::npos) << want << " in " << got->body;
  }
  // partitioning on a STRING field, an unknown body field, an expired table
  auto bad = Send("POST", "/bigquery/v2/projects/p/datasets/d/tables", R"({
    "tableReference":{"projectId":"p","datasetId":"d","tableId":"t2"},
    "schema":{"fields":[{"name":"s","type":"STRING"}]},"timePartitioning":{"type":"DAY","field":"s"}})");
  EXPECT_EQ(bad->status, 400);
  auto unknown = Send("POST", "/bigquery/v2/projects/p/datasets/d/tables", R"({
    "tableReference":{"projectId":"p","datasetId":"d","tableId":"t3"},"partitionin":{}})");
  if (GetBigQueryStats(*fake_).discovery_checked) {
    EXPECT_EQ(unknown->status, 400);
    EXPECT_NE(unknown->body.find("Table.partitionin: no such field"), std::string::npos) << unknown->body;
  }
  ASSERT_EQ(Send("POST", "/bigquery/v2/projects/p/datasets/d/tables", R"({
    "tableReference":{"projectId":"p","datasetId":"d","tableId":"old"},
    "schema":{"fields":[{"name":"s","type":"STRING"}]},"expirationTime":"1000"})")
                ->status,
            200);
  EXPECT_EQ(Send("GET", "/bigquery/v2/projects/p/datasets/d/tables/old")->status, 404);
  EXPECT_EQ(Send("DELETE", "/bigquery/v2/projects/p/datasets/d/tables/visits")->status, 204);
  EXPECT_EQ(Send("GET", "/bigquery/v2/projects/p/datasets/d/tables/visits")->status, 404);
}

TEST_F(BigQueryFakeTest, LoadJobsGoPendingRunningDoneAndAJobIdIsUsedOnce) {
  Dataset();
  auto r = Multipart(LoadJob("load1", "t"),
                     R"({"site_id":1,"day":"2026-11-25","seen_at":"2026-11-25T10:00:00.5Z","money":"12.500000"})"
                     "\n"
                     R"({"site_id":2,"day":"2026-11-25","seen_at":null,"money":null})"
                     "\n");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find("\"state\":\"PENDING\""), std::string::npos);
  EXPECT_EQ(JobState("load1?location=EU"), "RUNNING");
  EXPECT_EQ(JobState("load1?location=EU"), "DONE");
  auto done = Send("GET", "/bigquery/v2/projects/p/jobs/load1?location=EU");
  EXPECT_EQ(done->body.find("errorResult"), std::string::npos) << done->body;
  EXPECT_NE(done->body.find("\"outputRows\":\"2\""), std::string::npos) << done->body;
  auto dup = Multipart(LoadJob("load1", "t"), "{\"site_id\":3}\n");
  EXPECT_EQ(dup->status, 409);
  ASSERT_EQ(Query("q1", "SELECT site_id, day, seen_at, money FROM `p.d.t` ORDER BY site_id")->status, 200);
  std::string rows = Results("q1");
  EXPECT_NE(rows.find(R"({"f":[{"v":"1"},{"v":"2026-11-25"},{"v":"1795600800500000"},{"v":"12.5"}]})"),
            std::string::npos)
      << rows;
  EXPECT_NE(rows.find(R"({"f":[{"v":"2"},{"v":"2026-11-25"},{"v":null},{"v":null}]})"), std::string::npos) << rows;
}

TEST_F(BigQueryFakeTest, ALoadWithAnUnknownFieldOrAMissingRequiredValueFails) {
  Dataset();
  ASSERT_EQ(Multipart(LoadJob("l1", "t"), "{\"site_id\":1,\"dya\":\"2026-11-25\"}\n")->status, 200);
  JobState("l1?location=EU");
  auto r = Send("GET", "/bigquery/v2/projects/p/jobs/l1?location=EU");
  EXPECT_NE(r->body.find("\"errorResult\":{\"reason\":\"invalid\""), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("No such field: dya"), std::string::npos) << r->body;
  ASSERT_EQ(Multipart(LoadJob("l2", "t"), "{\"day\":\"2026-11-25\"}\n")->status, 200);
  JobState("l2?location=EU");
  EXPECT_NE(Send("GET", "/bigquery/v2/projects/p/jobs/l2?location=EU")->body.find("errorResult"), std::string::npos);
}

TEST_F(BigQueryFakeTest, AJobInAnotherLocationThanItsDatasetIsNotFound) {
  Dataset("US");
  ASSERT_EQ(Multipart(LoadJob("l1", "t"), "{\"site_id\":1}\n")->status, 200);
  JobState("l1?location=EU");
  auto r = Send("GET", "/bigquery/v2/projects/p/jobs/l1?location=EU");
  EXPECT_NE(r->body.find("was not found in location EU"), std::string::npos) << r->body;
}

TEST_F(BigQueryFakeTest, TransactionsCommitOrRollBackWhole) {
  Dataset();
  ASSERT_EQ(Multipart(LoadJob("l1", "t"), "{\"site_id\":1}\n{\"site_id\":2}\n")->status, 200);
  JobState("l1?location=EU");
  JobState("l1?location=EU");
  Query("tx1",
        "BEGIN TRANSACTION;\nDELETE FROM `p.d.t` WHERE site_id = 1;\nINSERT INTO `p.d.t` (site_id) VALUES (3);\n"
        "COMMIT TRANSACTION;");
  EXPECT_EQ(Results("tx1").substr(0, 3), "200");
  // fails half-way: nothing of it stays
  Query("tx2",
        "BEGIN TRANSACTION;\nDELETE FROM `p.d.t` WHERE site_id = 2;\nINSERT INTO `p.d.t` (site_id) VALUES (NULL);\n"
        "COMMIT TRANSACTION;");
  EXPECT_EQ(Results("tx2").substr(0, 3), "400");
  // DDL on a permanent table inside a transaction is refused, as BigQuery does
  Query("tx3", "BEGIN TRANSACTION;\nDROP TABLE `p.d.t`;\nCOMMIT TRANSACTION;");
  EXPECT_NE(Results("tx3").find("Transactions do not support DDL"), std::string::npos);
  Query("s", "SELECT site_id FROM `p.d.t` ORDER BY site_id");
  std::string rows = Results("s");
  EXPECT_NE(rows.find(R"("rows":[{"f":[{"v":"2"}]},{"f":[{"v":"3"}]}])"), std::string::npos) << rows;
}

TEST_F(BigQueryFakeTest, ASecondTransactionOnATableARunningOneMutatesIsCancelled) {
  Dataset();
  ASSERT_EQ(Multipart(LoadJob("l1", "t"), "{\"site_id\":1}\n")->status, 200);
  JobState("l1?location=EU");
  JobState("l1?location=EU");
  const std::string tx = "BEGIN TRANSACTION;\nDELETE FROM `p.d.t` WHERE site_id = 1;\nCOMMIT TRANSACTION;";
  Query("a", tx);
  Query("b", tx);
  EXPECT_EQ(JobState("a?location=EU"), "RUNNING");  // a holds the table
  EXPECT_EQ(JobState("b?location=EU"), "RUNNING");
  EXPECT_EQ(JobState("a?location=EU"), "DONE");
  EXPECT_EQ(JobState("b?location=EU"), "DONE");
  auto b = Send("GET", "/bigquery/v2/projects/p/jobs/b?location=EU");
  EXPECT_NE(b->body.find("Transaction is aborted due to concurrent update against table p:d.t"), std::string::npos)
      << b->body;
  EXPECT_EQ(Send("GET", "/bigquery/v2/projects/p/jobs/a?location=EU")->body.find("errorResult"), std::string::npos);
  EXPECT_EQ(GetBigQueryStats(*fake_).cancelled_transactions, 1);
}

class BigQueryFakeQuotaTest : public BigQueryFakeTest {
  BigQueryFakeOptions Options() override {
    BigQueryFakeOptions options;
    options.load_jobs_per_table_per_day = 2;
    return options;
  }
};

TEST_F(BigQueryFakeQuotaTest, LoadJobsPerTablePerDayAreAQuota) {
  Dataset();
  for (const char* id : {"a", "b", "c"}) ASSERT_EQ(Multipart(LoadJob(id, "t"), "{\"site_id\":1}\n")->status, 200);
  JobState("c?location=EU");
  JobState("c?location=EU");
  EXPECT_NE(Send("GET", "/bigquery/v2/projects/p/jobs/c?location=EU")->body.find("\"reason\":\"quotaExceeded\""),
            std::string::npos);
  EXPECT_EQ(LoadJobsToday(*fake_, "p", "d.t"), 3);  // failed jobs count too
}

TEST_F(BigQueryFakeTest, InjectedFaults) {
  Dataset();
  InjectBigQueryFault(*fake_, BigQueryFault{BigQueryFault::Kind::kHttp, 1, 503, "backendError", 2, "jobs.insert"});
  auto r = Multipart(LoadJob("l1", "t"), "{\"site_id\":1}\n");  // the upload API is not jobs.insert
  ASSERT_EQ(r->status, 200);
  r = Query("q", "SELECT 1");
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->get_header_value("Retry-After"), "2");
  EXPECT_EQ(Query("q", "SELECT 1")->status, 200);
  BigQueryFault job_fault;
  job_fault.kind = BigQueryFault::Kind::kJobBackendError;
  job_fault.job_type = "QUERY";
  InjectBigQueryFault(*fake_, job_fault);
  Query("q2", "SELECT 1");
  JobState("q2?location=EU");
  EXPECT_NE(Send("GET", "/bigquery/v2/projects/p/jobs/q2?location=EU")->body.find("\"reason\":\"backendError\""),
            std::string::npos);
}

TEST_F(BigQueryFakeTest, ResumableUploadsTakeChunksOfMultiplesOf256KiB) {
  Dataset();
  auto init = Send("POST", "/upload/bigquery/v2/projects/p/jobs?uploadType=resumable", LoadJob("r1", "t"));
  ASSERT_EQ(init->status, 200) << init->body;
  std::string location = init->get_header_value("Location");
  std::string path = location.substr(location.find("/upload/"));
  std::string line = "{\"site_id\":7}\n";
  std::string data;
  while (data.size() < 300000) data += line;
  std::string first = data.substr(0, 262144), rest = data.substr(262144);
  auto odd = Send("PUT", path, data.substr(0, 1000), "good-token", {{"Content-Range", "bytes 0-999/*"}});
  EXPECT_EQ(odd->status, 400);
  auto r = Send("PUT", path, first, "good-token", {{"Content-Range", "bytes 0-262143/*"}});
  EXPECT_EQ(r->status, 308);
  EXPECT_EQ(r->get_header_value("Range"), "bytes=0-262143");
  auto status = Send("PUT", path, "", "good-token", {{"Content-Range", "bytes */*"}});
  EXPECT_EQ(status->status, 308);
  r = Send("PUT", path, rest, "good-token",
           {{"Content-Range", "bytes 262144-" + std::to_string(data.size() - 1) + "/" + std::to_string(data.size())}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find("\"jobId\":\"r1\""), std::string::npos) << "the last chunk's answer is the Job";
  JobState("r1?location=EU");
  EXPECT_NE(Send("GET", "/bigquery/v2/projects/p/jobs/r1?location=EU")
                ->body.find("\"outputRows\":\"" + std::to_string(data.size() / line.size()) + "\""),
            std::string::npos);
  // A status query after completion (a client whose last answer was lost) gets the Job again.
  status = Send("PUT", path, "", "good-token", {{"Content-Range", "bytes */" + std::to_string(data.size())}});
  EXPECT_EQ(status->status, 200);
  EXPECT_NE(status->body.find("\"jobId\":\"r1\""), std::string::npos) << status->body;
  // A second session for the same job id is refused at once: the job exists.
  init = Send("POST", "/upload/bigquery/v2/projects/p/jobs?uploadType=resumable", LoadJob("r1", "t"));
  EXPECT_EQ(init->status, 409) << init->body;
  EXPECT_NE(init->body.find("\"reason\":\"duplicate\""), std::string::npos);
  EXPECT_EQ(GetBigQueryStats(*fake_).load_jobs, 1);
}

// What a strict server refuses: a chunk that skips bytes, a total that changes, bytes past the total,
// a status query with a body, an unknown session; and a cancelled session is gone (499, then 404).
TEST_F(BigQueryFakeTest, ResumableUploadsRefuseWhatGoogleRefuses) {
  Dataset();
  auto init = Send("POST", "/upload/bigquery/v2/projects/p/jobs?uploadType=resumable", LoadJob("r2", "t"), "good-token",
                   {{"X-Upload-Content-Length", "600000"}});
  ASSERT_EQ(init->status, 200) << init->body;
  std::string location = init->get_header_value("Location");
  std::string path = location.substr(location.find("/upload/"));
  std::string chunk(262144, 'x');
  EXPECT_EQ(Send("PUT", path, chunk, "good-token", {{"Content-Range", "bytes 262144-524287/600000"}})->status, 400)
      << "starts past what was persisted";
  EXPECT_EQ(Send("PUT", path, chunk, "good-token", {{"Content-Range", "bytes 0-262143/700000"}})->status, 400)
      << "the total changed";
  EXPECT_EQ(Send("PUT", path, "abc", "good-token", {{"Content-Range", "bytes */600000"}})->status, 400)
      << "a status query has no body";
  auto q = Send("PUT", path, "", "good-token", {{"Content-Range", "bytes */*"}});
  EXPECT_EQ(q->status, 308);
  EXPECT_FALSE(q->has_header("Range")) << "nothing stored: no Range";
  EXPECT_EQ(Send("PUT", "/upload/bigquery/v2/projects/p/jobs?uploadType=resumable&upload_id=nope", chunk, "good-token",
                 {{"Content-Range", "bytes 0-262143/*"}})
                ->status,
            404);
  EXPECT_EQ(Send("DELETE", path)->status, 499);
  EXPECT_EQ(Send("PUT", path, "", "good-token", {{"Content-Range", "bytes */*"}})->status, 404);
}

// A cut chunk keeps whole 256 KiB quanta and drops the connection; a status query tells what was kept.
TEST_F(BigQueryFakeTest, ACutChunkKeepsWholeQuantaAndAStatusQuerySaysHowMany) {
  Dataset();
  auto init = Send("POST", "/upload/bigquery/v2/projects/p/jobs?uploadType=resumable", LoadJob("r3", "t"));
  ASSERT_EQ(init->status, 200) << init->body;
  std::string location = init->get_header_value("Location");
  std::string path = location.substr(location.find("/upload/"));
  std::string line = "{\"site_id\":7}\n", data;
  while (data.size() < 4 * 262144) data += line;
  BigQueryFault cut;
  cut.kind = BigQueryFault::Kind::kCutUpload;
  InjectBigQueryFault(*fake_, cut);
  auto r = Send("PUT", path, data, "good-token",
                {{"Content-Range", "bytes 0-" + std::to_string(data.size() - 1) + "/" + std::to_string(data.size())}});
  EXPECT_FALSE(r) << "the connection was dropped";
  auto q = Send("PUT", path, "", "good-token", {{"Content-Range", "bytes */" + std::to_string(data.size())}});
  ASSERT_EQ(q->status, 308);
  EXPECT_EQ(q->get_header_value("Range"), "bytes=0-524287");
  r = Send("PUT", path, data.substr(524288), "good-token",
           {{"Content-Range", "bytes 524288-" + std::to_string(data.size() - 1) + "/" + std::to_string(data.size())}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(GetBigQueryStats(*fake_).cut_uploads, 1);
  JobState("r3?location=EU");
  EXPECT_NE(Send("GET", "/bigquery/v2/projects/p/jobs/r3?location=EU")
                ->body.find("\"outputRows\":\"" + std::to_string(data.size() / line.size()) + "\""),
            std::string::npos);
}

class BigQueryFakeMultipartLimitTest : public BigQueryFakeTest {
  BigQueryFakeOptions Options() override {
    BigQueryFakeOptions options;
    options.max_multipart_bytes = 1000;
    return options;
  }
};

TEST_F(BigQueryFakeMultipartLimitTest, AMultipartUploadOverTheLimitIs413) {
  Dataset();
  std::string data;
  while (data.size() < 2000) data += "{\"site_id\":1}\n";
  auto r = Multipart(LoadJob("m1", "t"), data);
  EXPECT_EQ(r->status, 413) << r->body;
  EXPECT_NE(r->body.find("uploadType=resumable"), std::string::npos) << r->body;
  EXPECT_EQ(Multipart(LoadJob("m2", "t"), "{\"site_id\":1}\n")->status, 200);
}

}  // namespace
}  // namespace metl::gfake
