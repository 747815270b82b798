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
#include "objstore/gcs_store.h"
#include "objstore/object_store.h"
#include "warehouse/bigquery/bq_client.h"
#include "warehouse/bigquery/bq_dry_run.h"
#include "warehouse/bigquery/bq_read_only.h"
#include "warehouse/bigquery/bq_schema.h"
#include "warehouse/bigquery/bq_staged_group.h"
#include "warehouse/bigquery/bq_uri.h"
#include "warehouse/ledger.h"

namespace metl::warehouse {
namespace {

using bq_engine::BqClient;
using bq_engine::BqDryRun;
using bq_engine::BqIdent;
using bq_engine::BqTarget;
using bq_engine::StagedGroup;

// What the warehouse and its sessions share.
struct BqEngine {
  std::shared_ptr<BqClient> client;
  std::shared_ptr<objstore::ObjectStore> staging;  // nullptr: BigQuery's media upload
  std::string staging_uri;                         // gs://BUCKET/PREFIX of `staging`
  std::shared_ptr<BqDryRun> dry_run;               // set: print every step, send nothing
  bool read_only = false;                          // `sql`: single SELECT / WITH queries only
};

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

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Whether a load job of a dataset in `dataset_location` may read a bucket in `bucket_location`: the
// same location, or a region inside the dataset's multi-region (Google: "the same multi-region or a
// location that is contained within the multi-region"; the containment is judged by the region's
// prefix here, which may let a few non-member regions through: BigQuery then refuses the load itself).
bool StagingLocationFits(const std::string& bucket_location, const std::string& dataset_location) {
  const std::string b = Lower(bucket_location), d = Lower(dataset_location);
  if (b == d) return true;
  if (d == "us") return b.rfind("us-", 0) == 0;
  if (d == "eu") return b.rfind("europe-", 0) == 0;
  return false;
}

// Runs a query job to its end: inserted under `job_id`, waited for; a failed job is an error.
Result<bq_engine::BqJobResult> RunQueryJob(BqClient& client, const std::string& job_id, std::string_view sql,
                                           std::string_view what) {
  METL_TRY(client.InsertJob(bq_engine::QueryJobJson(client.target(), job_id, sql)));
  METL_ASSIGN_OR_RETURN(auto r, client.WaitJob(job_id));
  if (r.error) return bq_engine::JobError(*r.error, what);
  return r;
}

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
  BqSession(BqEngine engine, std::string run_id)
      : engine_(std::move(engine)), client_(engine_.client), run_id_(std::move(run_id)) {}

  std::unique_ptr<StagedGroup> NewGroup(Status& st) {
    static std::atomic<int> counter{0};
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("matomo-etl-bq-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) st = Error(ErrorKind::kInternal, "cannot create " + dir.string() + ": " + ec.message());
    return std::make_unique<StagedGroup>(*client_, engine_.staging.get(), engine_.staging_uri, run_id_, dir,
                                         engine_.dry_run.get());
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
    if (engine_.read_only) METL_TRY(bq_engine::CheckReadOnlyQuery(sql));
    if (engine_.dry_run) {
      PrintQuery(sql);
      return OkStatus();
    }
    METL_ASSIGN_OR_RETURN(auto r, RunQueryJob(*client_, NextJobId(), sql, "query"));
    (void)r;
    return OkStatus();
  }

  Result<QueryResult> Query(std::string_view sql) override {
    if (engine_.read_only) METL_TRY(bq_engine::CheckReadOnlyQuery(sql));
    if (engine_.dry_run) {
      // The reads of a load (the ledger) are not sent either: every landed partition counts as due.
      engine_.dry_run->Say(
          "read the ledger (not in a dry run: every landed partition in range is listed; a real "
          "run skips those loaded with the same content)");
      return QueryResult{};
    }
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

  void PrintQuery(std::string_view sql) {
    const BqTarget& t = client_->target();
    const std::string id = NextJobId();
    engine_.dry_run->Say("query job " + id + " (" + std::to_string(sql.size()) +
                         " bytes of SQL: the models, or a "
                         "clean-up), by hand:");
    engine_.dry_run->Say("  " + bq_engine::BqCommand(t) + " query --nouse_legacy_sql --dataset_id=" +
                         bq_engine::ShellQuote(t.project + ":" + t.dataset) + " --job_id=" + id + " <<'SQL'");
    engine_.dry_run->Block(sql, "  ");
    engine_.dry_run->Say("SQL");
  }

  BqEngine engine_;
  std::shared_ptr<BqClient> client_;
  std::string run_id_;
  std::unique_ptr<StagedGroup> group_;
  int64_t queries_ = 0;
};

class BqWarehouse final : public Warehouse {
 public:
  explicit BqWarehouse(BqEngine engine)
      : engine_(std::move(engine)), client_(engine_.client), caps_(BigQueryCapabilities()), run_id_(RandomHex(8)) {}

  const Capabilities& capabilities() const override { return caps_; }
  std::string Describe() const override {
    const BqTarget& t = client_->target();
    return "bigquery://" + t.project + "/" + t.dataset + "?location=" + t.location;
  }

  Status Migrate(const std::vector<TableDef>& tables) override {
    const BqTarget& t = client_->target();
    if (engine_.dry_run) {
      PrintMigrate(tables);
      return OkStatus();
    }
    if (engine_.read_only) return Error(ErrorKind::kInternal, "a read-only BigQuery warehouse cannot be migrated");
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
    METL_TRY(CheckStagingLocation());
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
    return std::unique_ptr<Session>(std::make_unique<BqSession>(engine_, run_id_ + RandomHex(2)));
  }

 private:
  // A staging bucket in another location than the dataset: BigQuery's load jobs could not read it.
  Status CheckStagingLocation() const {
    auto* gcs = dynamic_cast<objstore::GcsObjectStore*>(engine_.staging.get());
    if (!gcs) return OkStatus();
    const BqTarget& t = client_->target();
    METL_ASSIGN_OR_RETURN(std::string bucket, gcs->BucketLocation());
    if (StagingLocationFits(bucket, t.location)) return OkStatus();
    return Error(ErrorKind::kConfig, "the staging bucket of " + engine_.staging_uri + " is in " + bucket +
                                         ", but the BigQuery dataset " + t.project + ":" + t.dataset + " is in " +
                                         t.location + ": a load job reads only from a bucket in the dataset's location")
        .WithHint("stage in a bucket in " + t.location + " (?staging=gs://BUCKET/PREFIX on --warehouse" +
                  std::string(engine_.staging_uri.ends_with("/_staging") ? ", or a --landing bucket there" : "") +
                  "), or use a dataset in " + bucket);
  }

  // What Migrate would check and create (a dry run reads nothing either: it cannot know what exists).
  void PrintMigrate(const std::vector<TableDef>& tables) const {
    const BqTarget& t = client_->target();
    const BqDryRun& out = *engine_.dry_run;
    out.Say("dry run: nothing is sent to BigQuery" +
            std::string(engine_.staging_uri.empty() ? "" : " or Cloud Storage") +
            " (no credentials are read); the files below are written to TMPDIR, counted and deleted");
    out.Say("dataset " + t.project + ":" + t.dataset + " in " + t.location + ", created if missing, by hand:");
    out.Say("  " + bq_engine::BqCommand(t) + " mk --dataset " + bq_engine::ShellQuote(t.project + ":" + t.dataset));
    out.Say("tables created if missing (" + std::to_string(tables.size()) + "), by hand:");
    for (const TableDef& table : tables) {
      std::string flags;  // as TableJson partitions and clusters
      if (!table.partition_date_column.empty() && table.ColumnIndex(table.partition_date_column) >= 0) {
        flags = " --time_partitioning_type=DAY --time_partitioning_field=" + std::string(table.partition_date_column);
      }
      if (!table.partition_date_column.empty() && table.ColumnIndex("site_id") >= 0)
        flags += " --clustering_fields=site_id";
      out.Say("  " + bq_engine::BqCommand(t) + " mk --table" + flags + " " +
              bq_engine::ShellQuote(t.project + ":" + t.dataset + "." + std::string(table.name)) + " " +
              bq_engine::ShellQuote(bq_engine::InlineSchema(table)));
    }
    out.Say("staging: " + (engine_.staging_uri.empty() ? std::string("BigQuery media upload (no gs:// staging)")
                                                       : engine_.staging_uri));
  }

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

  BqEngine engine_;
  std::shared_ptr<BqClient> client_;
  Capabilities caps_;
  std::string run_id_;
};

// Where load files are staged: `?staging=` on the URI, else `_staging/` in a gs:// landing zone, else
// nowhere (BigQuery's media upload).
std::string StagingUriFor(const BqTarget& target, const std::string& landing) {
  if (!target.staging.empty()) return target.staging;
  if (landing.rfind("gs://", 0) != 0) return "";
  std::string uri = landing;
  while (!uri.empty() && uri.back() == '/') uri.pop_back();
  return uri + "/_staging";
}

}  // namespace

Result<std::unique_ptr<Warehouse>> OpenBigQueryWarehouse(std::string_view uri, std::shared_ptr<http::HttpClient> http,
                                                         std::shared_ptr<cloud::AccessTokenSource> tokens,
                                                         http::RetryOptions retry, const BigQueryOptions& options) {
  const char* emulator = std::getenv("BIGQUERY_EMULATOR_HOST");
  METL_ASSIGN_OR_RETURN(BqTarget target, bq_engine::ParseBigQueryUri(
                                             uri, emulator ? std::optional<std::string>(emulator) : std::nullopt));
  BqEngine engine;
  engine.read_only = options.read_only;
  engine.staging_uri = StagingUriFor(target, options.landing);
  if (options.dry_run) {
    engine.dry_run = std::make_shared<BqDryRun>(stdout);
  } else if (!engine.staging_uri.empty()) {
    METL_ASSIGN_OR_RETURN(auto store, objstore::OpenObjectStore(engine.staging_uri));
    engine.staging = std::move(store);
  }
  engine.client = std::make_shared<BqClient>(std::move(target), std::move(http), std::move(tokens), retry);
  return std::unique_ptr<Warehouse>(std::make_unique<BqWarehouse>(std::move(engine)));
}

Result<std::unique_ptr<Warehouse>> OpenBigQueryWarehouseWithDefaultCredentials(std::string_view uri,
                                                                               const BigQueryOptions& options) {
  // The URI first: a typo is reported before any credential is looked for.
  const char* emulator = std::getenv("BIGQUERY_EMULATOR_HOST");
  METL_TRY(bq_engine::ParseBigQueryUri(uri, emulator ? std::optional<std::string>(emulator) : std::nullopt));
  auto http = std::make_shared<http::CurlHttpClient>(http::CurlOptions{}, "BigQuery", "--warehouse");
  std::shared_ptr<cloud::AccessTokenSource> tokens;
  if (!options.dry_run) {  // a dry run sends nothing: it needs no credentials
    cloud::GoogleAuthOptions auth;
    auth.scopes = {cloud::kScopeBigQuery};  // the gs:// staging store gets its own credentials (devstorage)
    auth.http = http;
    METL_ASSIGN_OR_RETURN(tokens, cloud::MakeGoogleAccessTokenSource(std::move(auth)));
  }
  return OpenBigQueryWarehouse(uri, http, std::move(tokens), {}, options);
}

}  // namespace metl::warehouse
