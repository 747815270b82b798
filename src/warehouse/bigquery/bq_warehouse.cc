#include "warehouse/bigquery/bq_warehouse.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "cloud/google_credentials.h"
#include "core/log.h"
#include "http/curl_http_client.h"
#include "landing/content_hash.h"
#include "objstore/object_store.h"
#include "warehouse/bigquery/bq_client.h"
#include "warehouse/bigquery/bq_schema.h"
#include "warehouse/bigquery/bq_uri.h"
#include "warehouse/ledger.h"

namespace metl::warehouse {
namespace {

using bq_engine::BqClient;
using bq_engine::BqIdent;
using bq_engine::BqTarget;

constexpr int64_t kStagingLifetimeMs = 24LL * 3600 * 1000;
constexpr size_t kFileFlushBytes = 1 << 20;
constexpr int kMaxJobAttempts = 4;  // a load or publish job that failed with a retryable reason

Capabilities BigQueryCapabilities() {
  Capabilities caps;
  caps.engine = "bigquery";
  caps.dialect = "bigquery";
  caps.transactions = true;  // data and ledger rows commit in one multi-statement transaction
  caps.scripts = true;       // ...sent as one script: each query is a job, a transaction cannot span two
  caps.partition_overwrite = false;
  caps.partition_replace = false;
  caps.add_column = false;
  caps.concurrent_writers = false;  // serialized: BigQuery cancels concurrent transactions on a table
  caps.group_visits = 100000;       // many partitions per load job and per transaction (quotas)
  caps.raw_visits_view = false;
  return caps;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string RandomHex(int bytes) {
  std::random_device rd;
  std::string out;
  const char* hex = "0123456789abcdef";
  for (int i = 0; i < bytes; ++i) {
    unsigned v = rd() & 0xff;
    out += hex[v >> 4];
    out += hex[v & 15];
  }
  return out;
}

// Runs a query job to its end: inserted under `job_id`, waited for; a failed job is an error.
Result<bq_engine::BqJobResult> RunQueryJob(BqClient& client, const std::string& job_id, std::string_view sql,
                                           std::string_view what) {
  METL_TRY(client.InsertJob(bq_engine::QueryJobJson(client.target(), job_id, sql)));
  METL_ASSIGN_OR_RETURN(auto r, client.WaitJob(job_id));
  if (r.error) return bq_engine::JobError(*r.error, what);
  return r;
}

// A cancelled transaction (another one mutated the same table) is retried, like a retryable reason.
bool RetryableJobError(const bq_engine::BqErrorProto& e) {
  return bq_engine::RetryableReason(e.reason) || e.message.find("concurrent update") != std::string::npos ||
         e.message.find("Could not serialize access") != std::string::npos;
}

// One table's rows of a group, as an NDJSON file.
struct StagedTable {
  const TableDef* table = nullptr;
  std::filesystem::path path;
  FILE* file = nullptr;
  std::string buffer;
  int64_t rows = 0;
};

struct StagedPartition {
  PartitionKey key;
  LedgerEntry entry;
};

// The partitions of one group on their way to BigQuery (bq_warehouse.h steps 1-4).
class StagedGroup {
 public:
  // `staging`: the gs:// store the files go through (nullptr: BigQuery's media upload).
  StagedGroup(BqClient& client, objstore::ObjectStore* staging, std::string run_id, std::filesystem::path dir)
      : client_(client), staging_(staging), run_id_(std::move(run_id)), dir_(std::move(dir)) {}
  ~StagedGroup() {
    for (auto& [name, t] : tables_) {
      if (t.file) std::fclose(t.file);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  Status AddTables(const std::vector<const TableDef*>& tables) {
    for (const TableDef* t : tables) {
      if (tables_.count(std::string(t->name))) continue;
      StagedTable s;
      s.table = t;
      s.path = dir_ / (std::string(t->name) + ".ndjson");
      s.file = std::fopen(s.path.c_str(), "wb");
      if (!s.file) return Error(ErrorKind::kInternal, "cannot write " + s.path.string());
      tables_.emplace(std::string(t->name), std::move(s));
    }
    return OkStatus();
  }

  Status Append(const TableBatch& batch) {
    auto it = tables_.find(batch.table().name);
    if (it == tables_.end()) {
      return Error(ErrorKind::kInternal,
                   "rows for " + std::string(batch.table().name) + " which this partition load does not replace");
    }
    StagedTable& t = it->second;
    for (size_t r = 0; r < batch.rows(); ++r) {
      bq_engine::AppendNdjsonRow(batch, r, t.buffer);
      if (t.buffer.size() >= kFileFlushBytes) METL_TRY(Flush(t));
    }
    t.rows += static_cast<int64_t>(batch.rows());
    return OkStatus();
  }

  void AddPartition(const PartitionKey& key, const LedgerEntry& entry) { partitions_.push_back({key, entry}); }
  bool empty() const { return partitions_.empty(); }

  Status Publish() {
    if (partitions_.empty()) return OkStatus();
    for (auto& [name, t] : tables_) METL_TRY(Flush(t));
    for (auto& [name, t] : tables_) {
      std::fclose(t.file);
      t.file = nullptr;
    }
    // Ids from the partitions, their landed content and this run: the same group retried in this run
    // reuses them (a retried insert finds its own job); another run starts afresh.
    std::string content = run_id_;
    for (const auto& p : partitions_) {
      content += "|" + std::to_string(p.key.site_id) + ":" + p.key.date.ToString() + ":" + p.entry.content_hash;
    }
    const std::string base = "metl_" + landing::Sha256Hex(content).substr(0, 24);
    std::vector<std::string> staging;
    Status st = OkStatus();
    for (auto& [name, t] : tables_) {
      if (t.rows == 0) continue;
      const std::string stage = "_metl_stage_" + base + "_" + name;
      staging.push_back(stage);
      st = LoadIntoStaging(t, stage, base + "_load_" + name);
      if (!st.ok()) break;
    }
    if (st.ok()) st = RunPublish(base);
    for (const std::string& key : staged_objects_) {
      if (!staging_->Delete(key).ok()) LogWarn("BigQuery: a staging file was not deleted", {{"object", key}});
    }
    for (const std::string& stage : staging) {  // they expire anyway: a failure here only logs
      auto r = client_.Call("DELETE", client_.ApiPath("datasets/" + client_.target().dataset + "/tables/" + stage), "",
                            /*not_found_ok=*/true);
      if (!r.ok()) LogWarn("BigQuery: a staging table was not dropped (it expires within a day)", {{"table", stage}});
    }
    return st;
  }

 private:
  Status Flush(StagedTable& t) {
    if (t.buffer.empty()) return OkStatus();
    if (std::fwrite(t.buffer.data(), 1, t.buffer.size(), t.file) != t.buffer.size()) {
      return Error(ErrorKind::kInternal, "cannot write " + t.path.string() + " (disk full?)")
          .WithHint("free space in " + dir_.parent_path().string() + " (TMPDIR)");
    }
    t.buffer.clear();
    return OkStatus();
  }

  Status LoadIntoStaging(const StagedTable& t, const std::string& stage, const std::string& job_base) {
    const BqTarget& target = client_.target();
    METL_TRY(client_.Call("POST", client_.ApiPath("datasets/" + target.dataset + "/tables"),
                          bq_engine::TableJson(*t.table, target.project, target.dataset, stage, /*staging=*/true,
                                               NowMs() + kStagingLifetimeMs),
                          false, /*duplicate_ok=*/true));
    // With a gs:// staging area the file is uploaded once (GCS: resumable, checked end to end) and
    // every attempt of the load job reads it from there.
    std::string source_uris;
    if (staging_) {
      const std::string key = stage + ".ndjson";
      std::shared_ptr<FILE> f(std::fopen(t.path.c_str(), "rb"), [](FILE* p) {
        if (p) std::fclose(p);
      });
      if (!f) return Error(ErrorKind::kInternal, "cannot read " + t.path.string());
      objstore::PutOptions put;
      put.content_type = "application/x-ndjson";
      METL_TRY(staging_->Put(
          key, [&](char* buf, size_t n) { return std::fread(buf, 1, n, f.get()); }, put));
      std::string base_uri = client_.target().staging;
      while (!base_uri.empty() && base_uri.back() == '/') base_uri.pop_back();
      source_uris = ",\"sourceUris\":[" + bq_engine::JsonString(base_uri + "/" + key) + "]";
      staged_objects_.push_back(key);
    }
    for (int attempt = 1;; ++attempt) {
      const std::string job_id = job_base + "_a" + std::to_string(attempt);
      std::string job =
          "{\"jobReference\":{\"projectId\":" + bq_engine::JsonString(target.project) +
          ",\"jobId\":" + bq_engine::JsonString(job_id) + ",\"location\":" + bq_engine::JsonString(target.location) +
          "},\"configuration\":{\"load\":{\"destinationTable\":" + "{\"projectId\":" +
          bq_engine::JsonString(target.project) + ",\"datasetId\":" + bq_engine::JsonString(target.dataset) +
          ",\"tableId\":" + bq_engine::JsonString(stage) +
          "},\"sourceFormat\":\"NEWLINE_DELIMITED_JSON\",\"writeDisposition\":\"WRITE_TRUNCATE\"," +
          "\"createDisposition\":\"CREATE_NEVER\",\"maxBadRecords\":0,\"ignoreUnknownValues\":false," +
          "\"schema\":{\"fields\":" + bq_engine::FieldsJson(*t.table) + "}" + source_uris +
          "},\"labels\":{\"tool\":\"matomo-etl\"}}}";
      if (staging_) {
        METL_TRY(client_.InsertJob(job));
      } else {
        METL_TRY(client_.InsertJobWithMedia(job, t.path));
      }
      METL_ASSIGN_OR_RETURN(auto r, client_.WaitJob(job_id));
      if (!r.error) {
        if (r.output_rows != t.rows) {
          return Error(ErrorKind::kInternal, "BigQuery loaded " + std::to_string(r.output_rows) + " rows into " +
                                                 stage + " but " + std::to_string(t.rows) + " were sent");
        }
        return OkStatus();
      }
      if (!RetryableJobError(*r.error) || attempt >= kMaxJobAttempts) {
        return bq_engine::JobError(*r.error, "load job " + job_id + " of " + std::string(t.table->name));
      }
      LogInfo("BigQuery: retrying a failed load job under a new id", {{"job", job_id}, {"reason", r.error->reason}});
      http::SleepSeconds(0.2 * attempt);
    }
  }

  // "visit_date BETWEEN ... AND ((site_id = 1 AND visit_date = DATE '...') OR ...)": the BETWEEN lets
  // BigQuery prune the date partitions; clustering by site_id narrows the scan inside them.
  std::string KeysPredicate(const TableDef& table) const {
    const std::string d = BqIdent(table.partition_date_column);
    CivilDate lo = partitions_.front().key.date, hi = lo;
    std::string ors;
    for (const auto& p : partitions_) {
      lo = std::min(lo, p.key.date);
      hi = std::max(hi, p.key.date);
      ors += std::string(ors.empty() ? "" : " OR ") + "(site_id = " + std::to_string(p.key.site_id) + " AND " + d +
             " = DATE '" + p.key.date.ToString() + "')";
    }
    return d + " BETWEEN DATE '" + lo.ToString() + "' AND DATE '" + hi.ToString() + "' AND (" + ors + ")";
  }

  std::string PublishSql(const std::string& base) const {
    std::string sql = "BEGIN TRANSACTION;\n";
    for (const auto& [name, t] : tables_) {
      sql += "DELETE FROM " + BqIdent(name) + " WHERE " + KeysPredicate(*t.table) + ";\n";
      if (t.rows == 0) continue;
      std::string cols;
      for (const ColumnDef& c : t.table->columns) cols += (cols.empty() ? "" : ", ") + BqIdent(c.name);
      sql += "INSERT INTO " + BqIdent(name) + " (" + cols + ") SELECT " + cols + " FROM " +
             BqIdent("_metl_stage_" + base + "_" + name) + ";\n";
    }
    const TableDef& ledger = LedgerTable();
    TableBatch rows(ledger);
    for (const auto& p : partitions_) AppendLedgerRow(p.entry, rows);
    std::string cols;
    for (const ColumnDef& c : ledger.columns) cols += (cols.empty() ? "" : ", ") + BqIdent(c.name);
    sql += "DELETE FROM " + BqIdent(ledger.name) + " WHERE " + KeysPredicate(ledger) + ";\n";
    sql += "INSERT INTO " + BqIdent(ledger.name) + " (" + cols + ") VALUES\n";
    for (size_t r = 0; r < rows.rows(); ++r) {
      sql += r ? ",\n(" : "(";
      for (size_t c = 0; c < rows.column_count(); ++c) sql += (c ? ", " : "") + bq_engine::SqlLiteral(rows, c, r);
      sql += ")";
    }
    return sql + ";\nCOMMIT TRANSACTION;";
  }

  Status RunPublish(const std::string& base) {
    const std::string sql = PublishSql(base);
    http::RetryPolicy backoff;
    for (int attempt = 1;; ++attempt) {
      const std::string job_id = base + "_publish_a" + std::to_string(attempt);
      METL_TRY(client_.InsertJob(bq_engine::QueryJobJson(client_.target(), job_id, sql)));
      METL_ASSIGN_OR_RETURN(auto r, client_.WaitJob(job_id));
      if (!r.error) return OkStatus();
      if (!RetryableJobError(*r.error) || attempt >= 2 * kMaxJobAttempts) {
        return bq_engine::JobError(*r.error, "publishing transaction " + job_id);
      }
      // The transaction rolled back whole: submitting it again under a new id is safe.
      LogInfo("BigQuery: the publishing transaction failed and rolled back; retrying",
              {{"job", job_id}, {"reason", r.error->reason}, {"message", r.error->message}});
      http::SleepSeconds(backoff.Delay(std::min(attempt, 6), std::nullopt).value_or(1.0) / 4);
    }
  }

  BqClient& client_;
  objstore::ObjectStore* staging_;
  std::string run_id_;
  std::filesystem::path dir_;
  std::map<std::string, StagedTable, std::less<>> tables_;
  std::vector<StagedPartition> partitions_;
  std::vector<std::string> staged_objects_;  // keys in staging_
};

class BqSession;

class BqPartitionLoad final : public PartitionLoad {
 public:
  BqPartitionLoad(StagedGroup& group, std::unique_ptr<StagedGroup> own, PartitionKey key)
      : group_(group), own_(std::move(own)), key_(key) {}

  void Consume(const TableBatch& batch) override {
    if (error_ || batch.rows() == 0) return;
    Status st = group_.Append(batch);
    if (!st.ok()) error_ = std::move(st).error();
  }

  Status Commit(const LedgerEntry& entry) override {
    if (error_) return Error(*error_).WithSite(key_.site_id).WithDate(key_.date.ToString());
    group_.AddPartition(key_, entry);
    if (!own_) return OkStatus();  // the group's CommitGroup publishes it
    Status st = own_->Publish();
    own_.reset();
    if (!st.ok()) return std::move(st).error().WithSite(key_.site_id).WithDate(key_.date.ToString());
    return OkStatus();
  }

  void Abort() override { own_.reset(); }

 private:
  StagedGroup& group_;
  std::unique_ptr<StagedGroup> own_;  // set when the partition loads alone
  PartitionKey key_;
  std::optional<Error> error_;
};

class BqSession final : public Session {
 public:
  BqSession(std::shared_ptr<BqClient> client, std::shared_ptr<objstore::ObjectStore> staging, std::string run_id)
      : client_(std::move(client)), staging_(std::move(staging)), run_id_(std::move(run_id)) {}

  std::unique_ptr<StagedGroup> NewGroup(Status& st) {
    static std::atomic<int> counter{0};
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("matomo-etl-bq-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) st = Error(ErrorKind::kInternal, "cannot create " + dir.string() + ": " + ec.message());
    return std::make_unique<StagedGroup>(*client_, staging_.get(), run_id_, dir);
  }

  Result<std::unique_ptr<PartitionLoad>> BeginPartition(const PartitionKey& key,
                                                        const std::vector<const TableDef*>& tables) override {
    Status st = OkStatus();
    std::unique_ptr<StagedGroup> own;
    if (!group_) own = NewGroup(st);
    METL_TRY(st);
    StagedGroup& g = group_ ? *group_ : *own;
    METL_TRY(g.AddTables(tables));
    return std::unique_ptr<PartitionLoad>(std::make_unique<BqPartitionLoad>(g, std::move(own), key));
  }

  Status BeginGroup() override {
    Status st = OkStatus();
    group_ = NewGroup(st);
    return st;
  }
  Status CommitGroup() override {
    auto group = std::move(group_);
    return group ? group->Publish() : OkStatus();
  }
  void AbortGroup() override { group_.reset(); }

  // matomo_sites / matomo_goals are a few rows a site: DML with literal values, in one transaction
  // that deletes only the refreshed sites' rows (a run restricted to some sites keeps the others).
  Status ReplaceSiteRows(const std::vector<int64_t>& sites, const std::vector<const TableBatch*>& tables) override {
    if (sites.empty()) return OkStatus();
    std::string in;
    for (int64_t site : sites) in += (in.empty() ? "" : ", ") + std::to_string(site);
    std::string sql = "BEGIN TRANSACTION;\n";
    for (const TableBatch* rows : tables) {
      sql += "DELETE FROM " + BqIdent(rows->table().name) + " WHERE site_id IN (" + in + ");\n";
      if (rows->rows() == 0) continue;
      std::string cols;
      for (const ColumnDef& c : rows->table().columns) cols += (cols.empty() ? "" : ", ") + BqIdent(c.name);
      sql += "INSERT INTO " + BqIdent(rows->table().name) + " (" + cols + ") VALUES\n";
      for (size_t r = 0; r < rows->rows(); ++r) {
        sql += r ? ",\n(" : "(";
        for (size_t c = 0; c < rows->column_count(); ++c) sql += (c ? ", " : "") + bq_engine::SqlLiteral(*rows, c, r);
        sql += ")";
      }
      sql += ";\n";
    }
    return Execute(sql + "COMMIT TRANSACTION;");
  }

  Status WriteLedger(const LedgerEntry& entry) override {
    Status st = OkStatus();
    auto group = NewGroup(st);
    METL_TRY(st);
    group->AddPartition(entry.key, entry);
    return group->Publish();
  }

  Status Execute(std::string_view sql) override {
    METL_ASSIGN_OR_RETURN(auto r, RunQueryJob(*client_, NextJobId(), sql, "query"));
    (void)r;
    return OkStatus();
  }

  Result<QueryResult> Query(std::string_view sql) override {
    const std::string id = NextJobId();
    METL_ASSIGN_OR_RETURN(auto r, RunQueryJob(*client_, id, sql, "query"));
    (void)r;
    return client_->Results(id);
  }

  std::string TextOf(std::string_view expr) const override { return "CAST(" + std::string(expr) + " AS STRING)"; }
  std::string EpochSecondsOf(std::string_view expr) const override { return "UNIX_SECONDS(" + std::string(expr) + ")"; }
  std::string Name(std::string_view ident) const override { return BqIdent(ident); }

 private:
  std::string NextJobId() { return "metl_q_" + run_id_ + "_" + std::to_string(++queries_); }

  std::shared_ptr<BqClient> client_;
  std::shared_ptr<objstore::ObjectStore> staging_;
  std::string run_id_;
  std::unique_ptr<StagedGroup> group_;
  int64_t queries_ = 0;
};

class BqWarehouse final : public Warehouse {
 public:
  BqWarehouse(std::shared_ptr<BqClient> client, std::shared_ptr<objstore::ObjectStore> staging)
      : client_(std::move(client)),
        staging_(std::move(staging)),
        caps_(BigQueryCapabilities()),
        run_id_(RandomHex(8)) {}

  const Capabilities& capabilities() const override { return caps_; }
  std::string Describe() const override {
    const BqTarget& t = client_->target();
    return "bigquery://" + t.project + "/" + t.dataset + "?location=" + t.location;
  }

  Status Migrate(const std::vector<TableDef>& tables) override {
    const BqTarget& t = client_->target();
    METL_ASSIGN_OR_RETURN(auto dataset, client_->Call("GET", client_->ApiPath("datasets/" + t.dataset), "", true));
    if (!dataset) {
      LogInfo("BigQuery: creating the dataset", {{"dataset", t.project + ":" + t.dataset}, {"location", t.location}});
      METL_TRY(client_->Call("POST", client_->ApiPath("datasets"),
                             "{\"datasetReference\":{\"projectId\":" + bq_engine::JsonString(t.project) +
                                 ",\"datasetId\":" + bq_engine::JsonString(t.dataset) +
                                 "},\"location\":" + bq_engine::JsonString(t.location) + "}",
                             false, /*duplicate_ok=*/true));
    } else {
      std::string location = LocationOf(*dataset);
      if (!location.empty() && !SameLocation(location, t.location)) {
        return Error(ErrorKind::kConfig, "the BigQuery dataset " + t.project + ":" + t.dataset + " is in " + location +
                                             ", but --warehouse says location=" + t.location)
            .WithHint("set ?location=" + location + " in --warehouse (a dataset cannot move)");
      }
    }
    for (const TableDef& table : tables) {
      METL_ASSIGN_OR_RETURN(
          auto existing,
          client_->Call("GET", client_->ApiPath("datasets/" + t.dataset + "/tables/" + std::string(table.name)), "",
                        true));
      if (existing) {
        if (auto missing = MissingColumn(*existing, table)) {
          return Error(ErrorKind::kConfig, "the BigQuery table " + std::string(table.name) + " lacks the column " +
                                               *missing + " that this version of matomo-etl declares")
              .WithHint("add it (bq update, or ALTER TABLE " + std::string(table.name) +
                        " ADD COLUMN ...), or drop the "
                        "table and run `matomo-etl load --full-refresh`");
        }
        continue;
      }
      METL_TRY(client_->Call("POST", client_->ApiPath("datasets/" + t.dataset + "/tables"),
                             bq_engine::TableJson(table, t.project, t.dataset, table.name, false, 0), false,
                             /*duplicate_ok=*/true));
    }
    return OkStatus();
  }

  Result<std::unique_ptr<Session>> Connect() override {
    return std::unique_ptr<Session>(std::make_unique<BqSession>(client_, staging_, run_id_ + RandomHex(2)));
  }

 private:
  static bool SameLocation(std::string a, std::string b) {
    for (char& c : a) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (char& c : b) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return a == b;
  }
  static std::string LocationOf(const std::string& dataset_json) {
    size_t at = dataset_json.find("\"location\"");
    if (at == std::string::npos) return "";
    size_t q1 = dataset_json.find('"', dataset_json.find(':', at) + 1);
    size_t q2 = dataset_json.find('"', q1 + 1);
    return q1 == std::string::npos || q2 == std::string::npos ? "" : dataset_json.substr(q1 + 1, q2 - q1 - 1);
  }
  static std::optional<std::string> MissingColumn(const std::string& table_json, const TableDef& table) {
    for (const ColumnDef& c : table.columns) {
      if (table_json.find("\"name\":\"" + std::string(c.name) + "\"") == std::string::npos &&
          table_json.find("\"name\": \"" + std::string(c.name) + "\"") == std::string::npos) {
        return std::string(c.name);
      }
    }
    return std::nullopt;
  }

  std::shared_ptr<BqClient> client_;
  std::shared_ptr<objstore::ObjectStore> staging_;
  Capabilities caps_;
  std::string run_id_;
};

}  // namespace

Result<std::unique_ptr<Warehouse>> OpenBigQueryWarehouse(std::string_view uri, std::shared_ptr<http::HttpClient> http,
                                                         std::shared_ptr<cloud::AccessTokenSource> tokens,
                                                         http::RetryOptions retry) {
  const char* emulator = std::getenv("BIGQUERY_EMULATOR_HOST");
  METL_ASSIGN_OR_RETURN(BqTarget target, bq_engine::ParseBigQueryUri(
                                             uri, emulator ? std::optional<std::string>(emulator) : std::nullopt));
  std::shared_ptr<objstore::ObjectStore> staging;
  if (!target.staging.empty()) {
    METL_ASSIGN_OR_RETURN(auto store, objstore::OpenObjectStore(target.staging));
    staging = std::move(store);
  }
  auto client = std::make_shared<BqClient>(std::move(target), std::move(http), std::move(tokens), retry);
  return std::unique_ptr<Warehouse>(std::make_unique<BqWarehouse>(std::move(client), std::move(staging)));
}

Result<std::unique_ptr<Warehouse>> OpenBigQueryWarehouseWithDefaultCredentials(std::string_view uri) {
  // The URI first: a typo is reported before any credential is looked for.
  const char* emulator = std::getenv("BIGQUERY_EMULATOR_HOST");
  METL_TRY(bq_engine::ParseBigQueryUri(uri, emulator ? std::optional<std::string>(emulator) : std::nullopt));
  auto http = std::make_shared<http::CurlHttpClient>(http::CurlOptions{}, "BigQuery", "--warehouse");
  cloud::GoogleAuthOptions auth;
  auth.scopes = {cloud::kScopeBigQuery};  // the gs:// staging store gets its own credentials (devstorage)
  auth.http = http;
  METL_ASSIGN_OR_RETURN(auto tokens, cloud::MakeGoogleAccessTokenSource(std::move(auth)));
  return OpenBigQueryWarehouse(uri, http, std::move(tokens));
}

}  // namespace metl::warehouse
