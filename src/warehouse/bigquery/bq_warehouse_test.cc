// The BigQuery engine against the BigQuery fake over real HTTP on 127.0.0.1 (libcurl client, cpp-httplib
// server): migration, grouped and single partition loads, idempotent reloads, other sites untouched,
// and the faults BigQuery throws (HTTP 503 with Retry-After, backendError inside a job, a transaction
// cancelled by a concurrent one, a missing permission).
#include "warehouse/bigquery/bq_warehouse.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include "gfake/bigquery_fake.h"
#include "http/curl_http_client.h"
#include "models/models.h"
#include "warehouse/bigquery/bq_schema.h"
#include "warehouse/bigquery/bq_uri.h"
#include "warehouse/ledger.h"

namespace metl::warehouse {
namespace {

class StaticToken final : public cloud::AccessTokenSource {
 public:
  Result<std::string> Token() override { return std::string("test-token"); }
  void Invalidate() override {}
  std::string Describe() const override { return "a test token"; }
};

class BqWarehouseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gfake::BigQueryFakeOptions options;
    options.token_ok = [](std::string_view t) { return t == "test-token"; };
    fake_ = gfake::RegisterBigQueryRoutes(server_, options);
    server_.set_tcp_nodelay(true);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    setenv("BIGQUERY_EMULATOR_HOST", ("127.0.0.1:" + std::to_string(port_)).c_str(), 1);
    http::RetryOptions retry;
    retry.base_delay_s = 0.01;
    retry.max_delay_s = 0.05;
    auto wh = OpenBigQueryWarehouse("bigquery://test-project/matomo?location=EU",
                                    std::make_shared<http::CurlHttpClient>(http::CurlOptions{}, "BigQuery"),
                                    std::make_shared<StaticToken>(), retry);
    ASSERT_TRUE(wh.ok()) << wh.error().ToString();
    wh_ = std::move(wh).value();
    unsetenv("BIGQUERY_EMULATOR_HOST");
  }
  void TearDown() override {
    wh_.reset();  // closes the client's kept-alive connections: the server's threads end at once
    server_.stop();
    thread_.join();
  }
  std::vector<std::vector<std::optional<std::string>>> Fake(const std::string& sql) {
    return gfake::QueryFakeForTest(*fake_, "test-project", sql);
  }

  // A visit row for `key` (site, day) with `visit_id`; the other columns stay NULL where nullable.
  static void AddVisit(TableBatch& b, const PartitionKey& key, int64_t visit_id) {
    const TableDef& t = b.table();
    for (size_t c = 0; c < t.columns.size(); ++c) {
      const ColumnDef& col = t.columns[c];
      ColumnVector& v = b.column(c);
      if (col.name == "site_id")
        v.AppendInt(key.site_id);
      else if (col.name == t.partition_date_column)
        v.AppendInt(key.date.days());
      else if (col.name == "visit_id")
        v.AppendInt(visit_id);
      else if (col.name == "revenue")
        v.AppendInt(12500000);  // 12.5
      else if (col.name == "last_action_at")
        v.AppendInt(1795600800500000);
      else if (!col.nullable) {
        if (col.type == LogicalType::kText || col.type == LogicalType::kJson)
          v.AppendText("x");
        else if (col.type == LogicalType::kDouble)
          v.AppendDouble(0.5);
        else
          v.AppendInt(1);
      } else {
        v.AppendNull();
      }
    }
  }

  Status LoadPartition(Session& s, const PartitionKey& key, std::vector<int64_t> visit_ids, const std::string& hash) {
    const TableDef* visits = FindTable("matomo_visits");
    METL_ASSIGN_OR_RETURN(auto load, s.BeginPartition(key, {visits}));
    TableBatch b(*visits);
    for (int64_t id : visit_ids) AddVisit(b, key, id);
    load->Consume(b);
    LedgerEntry e;
    e.key = key;
    e.visits = static_cast<int64_t>(visit_ids.size());
    e.content_hash = hash;
    e.status = "loaded";
    e.loaded_at = 1795600800;
    return load->Commit(e);
  }

  httplib::Server server_;
  std::shared_ptr<gfake::BigQueryFake> fake_;
  int port_ = 0;
  std::thread thread_;
  std::unique_ptr<Warehouse> wh_;
  const PartitionKey k1_{1, *CivilDate::Parse("2026-11-25")};
  const PartitionKey k2_{2, *CivilDate::Parse("2026-11-25")};
  const PartitionKey k3_{1, *CivilDate::Parse("2026-11-26")};
};

TEST_F(BqWarehouseTest, MigrateCreatesTheDatasetInItsLocationAndEveryTableFromTheSchema) {
  ASSERT_TRUE(wh_->Migrate(AllTables()).ok());
  auto location = Fake("SELECT 1");  // the fake is up
  ASSERT_EQ(location.size(), 1u);
  // every declared table, with its column descriptions and partitioning
  for (const TableDef& t : AllTables()) {
    auto rows = Fake("SELECT count(*) FROM `matomo." + std::string(t.name) + "`");
    ASSERT_EQ(rows.size(), 1u) << t.name;
    EXPECT_EQ(rows[0][0].value_or(""), "0") << t.name;
  }
  httplib::Client c("127.0.0.1", port_);
  auto visits = c.Get("/bigquery/v2/projects/test-project/datasets/matomo/tables/matomo_visits",
                      {{"Authorization", "Bearer test-token"}});
  ASSERT_EQ(visits->status, 200);
  EXPECT_NE(visits->body.find("\"timePartitioning\":{\"type\":\"DAY\",\"field\":\"visit_date\"}"), std::string::npos);
  EXPECT_NE(visits->body.find("\"clustering\":{\"fields\":[\"site_id\"]}"), std::string::npos);
  EXPECT_NE(visits->body.find("\"name\":\"revenue\",\"type\":\"NUMERIC\",\"mode\":\"NULLABLE\",\"description\""),
            std::string::npos)
      << visits->body;
  auto dataset = c.Get("/bigquery/v2/projects/test-project/datasets/matomo", {{"Authorization", "Bearer test-token"}});
  EXPECT_NE(dataset->body.find("\"location\":\"EU\""), std::string::npos);
  EXPECT_TRUE(wh_->Migrate(AllTables()).ok()) << "a second migration finds everything in place";
}

TEST_F(BqWarehouseTest, ADatasetInAnotherLocationIsAConfigError) {
  httplib::Client c("127.0.0.1", port_);
  c.Post("/bigquery/v2/projects/test-project/datasets", {{"Authorization", "Bearer test-token"}},
         R"({"datasetReference":{"projectId":"test-project","datasetId":"matomo"},"location":"US"})",
         "application/json");
  Status st = wh_->Migrate(AllTables());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind(), ErrorKind::kConfig);
  EXPECT_NE(st.error().ToString().find("is in US, but --warehouse says location=EU"), std::string::npos);
}

TEST_F(BqWarehouseTest, AGroupOfPartitionsIsOneLoadJobPerTableAndOneTransaction) {
  ASSERT_TRUE(wh_->Migrate(AllTables()).ok());
  auto s = wh_->Connect();
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->BeginGroup().ok());
  ASSERT_TRUE(LoadPartition(**s, k1_, {10, 11}, "h1").ok());
  ASSERT_TRUE(LoadPartition(**s, k2_, {20}, "h2").ok());
  ASSERT_TRUE(LoadPartition(**s, k3_, {30}, "h3").ok());
  auto before = gfake::GetBigQueryStats(*fake_);
  EXPECT_EQ(Fake("SELECT count(*) FROM matomo.matomo_visits")[0][0].value_or(""), "0") << "staged, not published";
  Status st = (*s)->CommitGroup();
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  auto after = gfake::GetBigQueryStats(*fake_);
  EXPECT_EQ(after.load_jobs - before.load_jobs, 1) << "one load job for the visits of three partitions";
  EXPECT_EQ(after.transactions - before.transactions, 1);
  EXPECT_EQ(Fake("SELECT site_id, visit_id, CAST(revenue AS STRING), UNIX_MICROS(last_action_at) FROM "
                 "matomo.matomo_visits ORDER BY visit_id"),
            (std::vector<std::vector<std::optional<std::string>>>{{"1", "10", "12.500000", "1795600800500000"},
                                                                  {"1", "11", "12.500000", "1795600800500000"},
                                                                  {"2", "20", "12.500000", "1795600800500000"},
                                                                  {"1", "30", "12.500000", "1795600800500000"}}));
  auto ledger = ReadLedger(**s);
  ASSERT_TRUE(ledger.ok()) << ledger.error().ToString();
  ASSERT_EQ(ledger->size(), 3u);
  EXPECT_EQ((*ledger)[0].content_hash, "h1");
  EXPECT_EQ((*ledger)[0].loaded_at, 1795600800);
  EXPECT_EQ((*ledger)[2].key.site_id, 2);
  // staging tables are gone
  EXPECT_EQ(
      Fake("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '_metl_stage%'")[0][0].value_or(""),
      "0");
}

TEST_F(BqWarehouseTest, AReloadReplacesOnlyItsSiteAndDay) {
  ASSERT_TRUE(wh_->Migrate(AllTables()).ok());
  auto s = wh_->Connect();
  ASSERT_TRUE(LoadPartition(**s, k1_, {10, 11}, "h1").ok());
  ASSERT_TRUE(LoadPartition(**s, k2_, {20}, "h2").ok());
  Status st = LoadPartition(**s, k1_, {12}, "h1b");
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  EXPECT_EQ(Fake("SELECT site_id, visit_id FROM matomo.matomo_visits ORDER BY visit_id"),
            (std::vector<std::vector<std::optional<std::string>>>{{"1", "12"}, {"2", "20"}}));
  auto ledger = ReadLedger(**s);
  ASSERT_EQ(ledger->size(), 2u);
  EXPECT_EQ((*ledger)[0].content_hash, "h1b");
}

TEST_F(BqWarehouseTest, FaultsAreRetriedAndNothingIsLostOrDuplicated) {
  ASSERT_TRUE(wh_->Migrate(AllTables()).ok());
  auto s = wh_->Connect();
  using K = gfake::BigQueryFault::Kind;
  gfake::InjectBigQueryFault(*fake_, {K::kHttp, 2, 503, "backendError", 0, "jobs.insert"});
  gfake::InjectBigQueryFault(*fake_, {K::kHttp, 1, 429, "rateLimitExceeded", std::nullopt, "jobs.get"});
  gfake::InjectBigQueryFault(*fake_, {K::kHttp, 1, 503, "backendError", std::nullopt, "upload"});
  gfake::BigQueryFault backend;
  backend.kind = K::kJobBackendError;
  backend.job_type = "LOAD";
  gfake::InjectBigQueryFault(*fake_, backend);
  gfake::BigQueryFault conflict;
  conflict.kind = K::kTransactionConflict;
  conflict.count = 2;
  gfake::InjectBigQueryFault(*fake_, conflict);
  Status st = LoadPartition(**s, k1_, {10, 11}, "h1");
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  auto stats = gfake::GetBigQueryStats(*fake_);
  EXPECT_EQ(stats.http_faults, 4);
  EXPECT_EQ(stats.cancelled_transactions, 2);
  EXPECT_EQ(Fake("SELECT count(*), count(DISTINCT visit_id) FROM matomo.matomo_visits")[0],
            (std::vector<std::optional<std::string>>{"2", "2"}));
  EXPECT_EQ(Fake("SELECT count(*) FROM matomo.matomo_etl_partitions")[0][0].value_or(""), "1");
}

TEST_F(BqWarehouseTest, AMissingPermissionNamesTheRole) {
  gfake::BigQueryFault denied;
  denied.kind = gfake::BigQueryFault::Kind::kAccessDenied;
  denied.api = "datasets.get";
  denied.permission = "bigquery.datasets.get";
  gfake::InjectBigQueryFault(*fake_, denied);
  Status st = wh_->Migrate(AllTables());
  ASSERT_FALSE(st.ok());
  const std::string text = st.error().ToString();
  EXPECT_NE(text.find("User does not have bigquery.datasets.get permission"), std::string::npos) << text;
  EXPECT_EQ(st.error().kind(), ErrorKind::kConfig) << text;
  EXPECT_NE(text.find("roles/bigquery.dataEditor"), std::string::npos) << text;
}

TEST_F(BqWarehouseTest, ModelsRunInBigQuerySqlAsOneTransaction) {
  ASSERT_TRUE(wh_->Migrate(AllTables()).ok());
  auto s = wh_->Connect();
  ASSERT_TRUE(LoadPartition(**s, k1_, {10, 11}, "h1").ok());
  Status st = models::RunModels(**s, wh_->capabilities());
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  auto q = (*s)->Query("SELECT site_id, CAST(`date` AS STRING), nb_visits, revenue FROM matomo_daily_kpis");
  ASSERT_TRUE(q.ok()) << q.error().ToString();
  ASSERT_EQ(q->rows.size(), 1u);
  EXPECT_EQ(q->rows[0], (std::vector<std::optional<std::string>>{"1", "2026-11-25", "2", "0"}));
}

TEST(BqUri, ParsesProjectDatasetLocationStagingAndTheEmulatorHost) {
  auto t = bq_engine::ParseBigQueryUri("bigquery://my-proj/matomo_raw?location=EU&staging=gs://b/p", std::nullopt);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->project, "my-proj");
  EXPECT_EQ(t->dataset, "matomo_raw");
  EXPECT_EQ(t->location, "EU");
  EXPECT_EQ(t->staging, "gs://b/p");
  EXPECT_EQ(t->endpoint, "https://bigquery.googleapis.com");
  EXPECT_EQ(bq_engine::ParseBigQueryUri("bigquery://p1/d", std::string("127.0.0.1:9050"))->endpoint,
            "http://127.0.0.1:9050");
  EXPECT_EQ(bq_engine::ParseBigQueryUri("bigquery://p1/d", std::string("http://h:1/"))->endpoint, "http://h:1");
  EXPECT_EQ(bq_engine::ParseBigQueryUri("bigquery://p1/d", std::nullopt)->location, "US");
  EXPECT_FALSE(bq_engine::ParseBigQueryUri("bigquery://p1", std::nullopt).ok());
  EXPECT_FALSE(bq_engine::ParseBigQueryUri("bigquery://p1/d-x", std::nullopt).ok());
  EXPECT_FALSE(bq_engine::ParseBigQueryUri("bigquery://p1/d?loc=EU", std::nullopt).ok());
}

TEST(BqSchema, NdjsonRowsCarryExactDecimalsTimesAndBigIntegersAsStrings) {
  const TableDef* visits = FindTable("matomo_visits");
  TableBatch b(*visits);
  for (size_t c = 0; c < visits->columns.size(); ++c) {
    const ColumnDef& col = visits->columns[c];
    if (col.name == "visit_id")
      b.column(c).AppendInt(int64_t{1} << 60);
    else if (col.name == "revenue")
      b.column(c).AppendInt(-1500000);
    else if (col.name == "last_action_at")
      b.column(c).AppendInt(1795600800000001);
    else if (col.name == "visit_date")
      b.column(c).AppendInt(CivilDate::Parse("2026-11-25")->days());
    else
      b.column(c).AppendNull();
  }
  std::string line;
  bq_engine::AppendNdjsonRow(b, 0, line);
  EXPECT_NE(line.find("\"visit_id\":\"1152921504606846976\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"revenue\":\"-1.500000\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"last_action_at\":\"2026-11-25T10:00:00.000001Z\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"visit_date\":\"2026-11-25\""), std::string::npos) << line;
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(bq_engine::BqString("it's a \\ \n"), "'it\\'s a \\\\ \\n'");
}

// The analysis models rebuild the touched days by DELETE + INSERT: on BigQuery each table must be
// partitioned by the day column those statements filter on (and clustered by site_id), or a daily run
// rewrites, and pays for, the whole table. matomo_dates is a few hundred rows: not partitioned.
TEST(BqSchema, AnalysisTablesArePartitionedByTheDayTheirRebuildFiltersOn) {
  const std::vector<std::pair<std::string, std::string>> expected = {{"matomo_channels_daily", "date"},
                                                                     {"matomo_funnels", "date"},
                                                                     {"matomo_attribution", "conversion_date"},
                                                                     {"matomo_cohorts", "activity_week"}};
  for (const auto& [table, column] : expected) {
    const TableDef* def = FindTable(table);
    ASSERT_NE(def, nullptr) << table;
    const std::string json = bq_engine::TableJson(*def, "p", "d", table, false, 0);
    EXPECT_NE(json.find("\"timePartitioning\":{\"type\":\"DAY\",\"field\":\"" + column + "\"}"), std::string::npos)
        << json;
    EXPECT_NE(json.find("\"clustering\":{\"fields\":[\"site_id\"]}"), std::string::npos) << json;
  }
  const std::string dates = bq_engine::TableJson(*FindTable("matomo_dates"), "p", "d", "matomo_dates", false, 0);
  EXPECT_EQ(dates.find("timePartitioning"), std::string::npos) << dates;
}

}  // namespace
}  // namespace metl::warehouse
