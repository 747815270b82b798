#include "warehouse/bigquery/bq_staged_group.h"

#include <chrono>
#include <memory>

#include "core/log.h"
#include "landing/content_hash.h"
#include "warehouse/bigquery/bq_schema.h"
#include "warehouse/ledger.h"

namespace metl::warehouse::bq_engine {
namespace {

constexpr int64_t kStagingLifetimeMs = 24LL * 3600 * 1000;
constexpr size_t kFileFlushBytes = 1 << 20;
constexpr int kMaxJobAttempts = 4;  // a load or publish job that failed with a retryable reason

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A cancelled transaction (another one mutated the same table) is retried, like a retryable reason.
bool RetryableJobError(const BqErrorProto& e) {
  return RetryableReason(e.reason) || e.message.find("concurrent update") != std::string::npos ||
         e.message.find("Could not serialize access") != std::string::npos;
}

std::string StageName(const std::string& base, std::string_view table) {
  return "_metl_stage_" + base + "_" + std::string(table);
}

}  // namespace

StagedGroup::StagedGroup(BqClient& client, objstore::ObjectStore* staging, std::string staging_uri, std::string run_id,
                         std::filesystem::path dir, BqDryRun* dry_run)
    : client_(client),
      staging_(staging),
      staging_uri_(std::move(staging_uri)),
      run_id_(std::move(run_id)),
      dir_(std::move(dir)),
      dry_run_(dry_run) {
  while (!staging_uri_.empty() && staging_uri_.back() == '/') staging_uri_.pop_back();
}

StagedGroup::~StagedGroup() {
  for (auto& [name, t] : tables_) {
    if (t.file) std::fclose(t.file);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Status StagedGroup::AddTables(const std::vector<const TableDef*>& tables) {
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

Status StagedGroup::Append(const TableBatch& batch) {
  auto it = tables_.find(batch.table().name);
  if (it == tables_.end()) {
    return Error(ErrorKind::kInternal,
                 "rows for " + std::string(batch.table().name) + " which this partition load does not replace");
  }
  StagedTable& t = it->second;
  for (size_t r = 0; r < batch.rows(); ++r) {
    AppendNdjsonRow(batch, r, t.buffer);
    if (t.buffer.size() >= kFileFlushBytes) METL_TRY(Flush(t));
  }
  t.rows += static_cast<int64_t>(batch.rows());
  return OkStatus();
}

Status StagedGroup::Publish() {
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
  if (dry_run_) {
    PrintPlan(base);
    return OkStatus();
  }
  std::vector<std::string> staging;
  Status st = OkStatus();
  for (auto& [name, t] : tables_) {
    if (t.rows == 0) continue;
    const std::string stage = StageName(base, name);
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

Status StagedGroup::Flush(StagedTable& t) {
  if (t.buffer.empty()) return OkStatus();
  if (std::fwrite(t.buffer.data(), 1, t.buffer.size(), t.file) != t.buffer.size()) {
    return Error(ErrorKind::kInternal, "cannot write " + t.path.string() + " (disk full?)")
        .WithHint("free space in " + dir_.parent_path().string() + " (TMPDIR)");
  }
  t.buffer.clear();
  return OkStatus();
}

std::string StagedGroup::StagingUri(const std::string& key) const {
  return staging_uri_ + "/" + key;
}

std::string StagedGroup::LoadJobJson(const StagedTable& t, const std::string& stage, const std::string& job_id,
                                     const std::string& source_uri) const {
  const BqTarget& target = client_.target();
  std::string source_uris = source_uri.empty() ? "" : ",\"sourceUris\":[" + JsonString(source_uri) + "]";
  return "{\"jobReference\":{\"projectId\":" + JsonString(target.project) + ",\"jobId\":" + JsonString(job_id) +
         ",\"location\":" + JsonString(target.location) +
         "},\"configuration\":{\"load\":{\"destinationTable\":" + "{\"projectId\":" + JsonString(target.project) +
         ",\"datasetId\":" + JsonString(target.dataset) + ",\"tableId\":" + JsonString(stage) +
         "},\"sourceFormat\":\"NEWLINE_DELIMITED_JSON\",\"writeDisposition\":\"WRITE_TRUNCATE\"," +
         "\"createDisposition\":\"CREATE_NEVER\",\"maxBadRecords\":0,\"ignoreUnknownValues\":false," +
         "\"schema\":{\"fields\":" + FieldsJson(*t.table) + "}" + source_uris +
         "},\"labels\":{\"tool\":\"matomo-etl\"}}}";
}

Status StagedGroup::LoadIntoStaging(const StagedTable& t, const std::string& stage, const std::string& job_base) {
  const BqTarget& target = client_.target();
  METL_TRY(client_.Call(
      "POST", client_.ApiPath("datasets/" + target.dataset + "/tables"),
      TableJson(*t.table, target.project, target.dataset, stage, /*staging=*/true, NowMs() + kStagingLifetimeMs), false,
      /*duplicate_ok=*/true));
  // With a gs:// staging area the file is uploaded once (GCS: resumable, checked end to end) and
  // every attempt of the load job reads it from there.
  std::string source_uri;
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
    staged_objects_.push_back(key);
    source_uri = StagingUri(key);
  }
  for (int attempt = 1;; ++attempt) {
    const std::string job_id = job_base + "_a" + std::to_string(attempt);
    const std::string job = LoadJobJson(t, stage, job_id, source_uri);
    if (staging_) {
      METL_TRY(client_.InsertJob(job));
    } else {
      METL_TRY(client_.InsertJobWithMedia(job, t.path));
    }
    METL_ASSIGN_OR_RETURN(auto r, client_.WaitJob(job_id));
    if (!r.error) {
      if (r.output_rows != t.rows) {
        return Error(ErrorKind::kInternal, "BigQuery loaded " + std::to_string(r.output_rows) + " rows into " + stage +
                                               " but " + std::to_string(t.rows) + " were sent");
      }
      return OkStatus();
    }
    if (!RetryableJobError(*r.error) || attempt >= kMaxJobAttempts) {
      return JobError(*r.error, "load job " + job_id + " of " + std::string(t.table->name));
    }
    LogInfo("BigQuery: retrying a failed load job under a new id", {{"job", job_id}, {"reason", r.error->reason}});
    http::SleepSeconds(0.2 * attempt);
  }
}

// "visit_date BETWEEN ... AND ((site_id = 1 AND visit_date = DATE '...') OR ...)": the BETWEEN lets
// BigQuery prune the date partitions; clustering by site_id narrows the scan inside them.
std::string StagedGroup::KeysPredicate(const TableDef& table) const {
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

std::string StagedGroup::PublishSql(const std::string& base) const {
  std::string sql = "BEGIN TRANSACTION;\n";
  for (const auto& [name, t] : tables_) {
    sql += "DELETE FROM " + BqIdent(name) + " WHERE " + KeysPredicate(*t.table) + ";\n";
    if (t.rows == 0) continue;
    std::string cols;
    for (const ColumnDef& c : t.table->columns) cols += (cols.empty() ? "" : ", ") + BqIdent(c.name);
    sql += "INSERT INTO " + BqIdent(name) + " (" + cols + ") SELECT " + cols + " FROM " +
           BqIdent(StageName(base, name)) + ";\n";
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
    for (size_t c = 0; c < rows.column_count(); ++c) sql += (c ? ", " : "") + SqlLiteral(rows, c, r);
    sql += ")";
  }
  return sql + ";\nCOMMIT TRANSACTION;";
}

Status StagedGroup::RunPublish(const std::string& base) {
  const std::string sql = PublishSql(base);
  http::RetryPolicy backoff;
  for (int attempt = 1;; ++attempt) {
    const std::string job_id = base + "_publish_a" + std::to_string(attempt);
    METL_TRY(client_.InsertJob(QueryJobJson(client_.target(), job_id, sql)));
    METL_ASSIGN_OR_RETURN(auto r, client_.WaitJob(job_id));
    if (!r.error) return OkStatus();
    if (!RetryableJobError(*r.error) || attempt >= 2 * kMaxJobAttempts) {
      return JobError(*r.error, "publishing transaction " + job_id);
    }
    // The transaction rolled back whole: submitting it again under a new id is safe.
    LogInfo("BigQuery: the publishing transaction failed and rolled back; retrying",
            {{"job", job_id}, {"reason", r.error->reason}, {"message", r.error->message}});
    http::SleepSeconds(backoff.Delay(std::min(attempt, 6), std::nullopt).value_or(1.0) / 4);
  }
}

// The dry run's account of Publish: the same files, names, job ids and SQL, printed.
void StagedGroup::PrintPlan(const std::string& base) const {
  const BqTarget& target = client_.target();
  const std::string dataset = target.project + ":" + target.dataset;
  int64_t visits = 0;
  std::string keys;
  for (const auto& p : partitions_) {
    visits += p.entry.visits;
    keys += (keys.empty() ? "" : ", ") + p.key.ToString();
  }
  dry_run_->Say("group " + std::to_string(dry_run_->NextGroup()) + ": " + std::to_string(partitions_.size()) +
                " partition(s), " + std::to_string(visits) + " visits (" + keys + ")");
  for (const auto& [name, t] : tables_) {
    if (t.rows == 0) continue;
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(t.path, ec);
    const std::string stage = StageName(base, name);
    const std::string file = name + ".ndjson";
    dry_run_->Say("  " + name + ": " + std::to_string(t.rows) + " rows, " + std::to_string(ec ? 0 : bytes) +
                  " bytes of NDJSON (" + file + ")");
    dry_run_->Say("    staging table " + dataset + "." + stage + " (expires after 24 h)");
    const std::string job_id = base + "_load_" + name + "_a1";
    std::string load_source = file;
    if (!staging_uri_.empty()) {
      load_source = StagingUri(stage + ".ndjson");
      dry_run_->Say("    upload to " + load_source + " (resumable, ifGenerationMatch=0; deleted after the publish)");
    } else {
      dry_run_->Say("    upload with the load job (POST /upload/bigquery/v2/projects/" + target.project +
                    "/jobs?uploadType=resumable, then the file in chunks of " +
                    std::to_string(target.upload_chunk_bytes / 1024) + " KiB)");
    }
    dry_run_->Say("    load job " + job_id + " (WRITE_TRUNCATE into the staging table)");
    dry_run_->Say("    by hand:");
    if (!staging_uri_.empty()) dry_run_->Say("      gcloud storage cp " + file + " " + ShellQuote(load_source));
    dry_run_->Say("      " + BqCommand(target) + " mk --table --expiration=86400 " + ShellQuote(dataset + "." + stage) +
                  " " + ShellQuote(InlineSchema(*t.table)));
    dry_run_->Say("      " + BqCommand(target) + " load --job_id=" + job_id +
                  " --source_format=NEWLINE_DELIMITED_JSON --replace " + ShellQuote(dataset + "." + stage) + " " +
                  ShellQuote(load_source));
  }
  const std::string publish_id = base + "_publish_a1";
  dry_run_->Say("  publish: query job " + publish_id +
                ", one multi-statement transaction (the group's rows and ledger rows replaced together)");
  dry_run_->Say("    by hand:");
  dry_run_->Say("      " + BqCommand(target) + " query --nouse_legacy_sql --dataset_id=" + ShellQuote(dataset) +
                " --job_id=" + publish_id + " <<'SQL'");
  dry_run_->Block(PublishSql(base), "      ");
  dry_run_->Say("SQL");
  dry_run_->Say("  then: the staging tables are dropped" +
                std::string(staging_uri_.empty() ? "" : " and the staged files deleted"));
}

}  // namespace metl::warehouse::bq_engine
