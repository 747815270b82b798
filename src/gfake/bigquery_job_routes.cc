// The BigQuery fake's job routes (bigquery_routes.h): jobs.insert, jobs.get, getQueryResults, and the
// test controls POST /_fake/bigquery/faults and GET /_fake/bigquery/stats.
#include <httplib.h>
#include <simdjson.h>

#include "gfake/bigquery_fake.h"
#include "gfake/bigquery_fake_state.h"
#include "gfake/bigquery_routes.h"

namespace metl::gfake {

using namespace bq_http;  // NOLINT(google-build-using-namespace): the handlers' vocabulary

void BqRoutes::InsertJob(const httplib::Request& req, httplib::Response& res, const std::string& body,
                         std::optional<std::string> media) {
  if (!CheckBody("Job", body, res)) return;
  std::lock_guard<std::mutex> lock(fake_->mu);
  auto key = fake_->InsertJob(req.matches[1], body, std::move(media));
  if (!key.ok()) return SendBqError(res, key.error());
  SendJson(res, JobJson(fake_->jobs.at(*key)));
}

void BqRoutes::JobInsert(const httplib::Request& req, httplib::Response& res) {
  if (!Guard(req, res, "jobs.insert")) return;
  InsertJob(req, res, req.body, std::nullopt);
}

BqJob* BqRoutes::FindJob(const httplib::Request& req, httplib::Response& res) {
  std::string p = req.matches[1], id = req.matches[2];
  auto it = fake_->jobs.find(p + ":" + id);
  std::string location = req.get_param_value("location");
  if (it != fake_->jobs.end()) {
    const std::string& l = it->second.location;
    const bool multi_region = l == "US" || l == "EU";
    if ((!multi_region || !location.empty()) && location != l) it = fake_->jobs.end();
  }
  if (it == fake_->jobs.end()) {
    SendError(res, 404, "notFound", "Not found: Job " + p + ":" + (location.empty() ? "US" : location) + "." + id);
    return nullptr;
  }
  return &it->second;
}

void BqRoutes::JobGet(const httplib::Request& req, httplib::Response& res) {
  if (!Guard(req, res, "jobs.get")) return;
  std::lock_guard<std::mutex> lock(fake_->mu);
  BqJob* job = FindJob(req, res);
  if (!job) return;
  fake_->Advance(*job);
  SendJson(res, JobJson(*job));
}

void BqRoutes::QueryResults(const httplib::Request& req, httplib::Response& res) {
  if (!Guard(req, res, "getQueryResults")) return;
  std::lock_guard<std::mutex> lock(fake_->mu);
  BqJob* job = FindJob(req, res);
  if (!job) return;
  if (job->type != "QUERY") return SendError(res, 400, "invalid", "Job " + job->id + " is not a query job");
  fake_->Advance(*job);
  std::string ref = "{\"projectId\":" + JsonStr(job->project) + ",\"jobId\":" + JsonStr(job->id) +
                    ",\"location\":" + JsonStr(job->location) + "}";
  if (job->state != "DONE") {
    return SendJson(
        res, "{\"kind\":\"bigquery#getQueryResultsResponse\",\"jobReference\":" + ref + ",\"jobComplete\":false}");
  }
  if (job->error) return SendError(res, HttpCodeOf(job->error->first), job->error->first, job->error->second);
  const bool int64_ts = req.get_param_value("formatOptions.useInt64Timestamp") == "true";
  const auto& out = job->result;
  size_t start = 0;
  if (req.has_param("pageToken")) start = std::strtoull(req.get_param_value("pageToken").c_str(), nullptr, 10);
  if (req.has_param("startIndex")) start = std::strtoull(req.get_param_value("startIndex").c_str(), nullptr, 10);
  size_t max = out.rows.size();
  if (req.has_param("maxResults")) max = std::strtoull(req.get_param_value("maxResults").c_str(), nullptr, 10);
  size_t end = std::min(out.rows.size(), start + max);
  std::string body = "{\"kind\":\"bigquery#getQueryResultsResponse\",\"jobReference\":" + ref +
                     ",\"jobComplete\":true,\"totalBytesProcessed\":\"0\",\"cacheHit\":false";
  if (!out.schema.empty()) {
    body += ",\"schema\":{\"fields\":" + FieldsJson(out.schema) +
            "},\"totalRows\":" + JsonStr(std::to_string(out.rows.size())) + ",\"rows\":[";
    for (size_t r = start; r < end; ++r) {
      body += std::string(r > start ? "," : "") + "{\"f\":[";
      for (size_t c = 0; c < out.rows[r].size(); ++c) {
        const auto& v = out.rows[r][c];
        std::string text = v ? *v : "";
        if (v && out.schema[c].type == "TIMESTAMP" && !int64_ts) text = FloatSeconds(text);
        body += std::string(c ? "," : "") + "{\"v\":" + (v ? JsonStr(text) : "null") + "}";
      }
      body += "]}";
    }
    body += "]";
    if (end < out.rows.size()) body += ",\"pageToken\":" + JsonStr(std::to_string(end));
  } else {
    body += ",\"numDmlAffectedRows\":" + JsonStr(std::to_string(out.dml_affected_rows));
  }
  SendJson(res, body + "}");
}

void BqRoutes::Faults(const httplib::Request& req, httplib::Response& res) {
  simdjson::dom::parser parser;
  simdjson::dom::element b;
  if (parser.parse(req.body).get(b) != simdjson::SUCCESS) return SendError(res, 400, "invalid", "not JSON");
  BigQueryFault f;
  std::string kind = Str(b, "kind");
  if (kind == "http")
    f.kind = BigQueryFault::Kind::kHttp;
  else if (kind == "job_backend_error")
    f.kind = BigQueryFault::Kind::kJobBackendError;
  else if (kind == "transaction_conflict")
    f.kind = BigQueryFault::Kind::kTransactionConflict;
  else if (kind == "access_denied")
    f.kind = BigQueryFault::Kind::kAccessDenied;
  else if (kind == "cut_upload")
    f.kind = BigQueryFault::Kind::kCutUpload;
  else
    return SendError(res, 400, "invalid",
                     "kind: http, job_backend_error, transaction_conflict, access_denied, cut_upload");
  int64_t n;
  if (b["count"].get(n) == simdjson::SUCCESS) f.count = static_cast<int>(n);
  if (b["status"].get(n) == simdjson::SUCCESS) f.status = static_cast<int>(n);
  if (b["retry_after"].get(n) == simdjson::SUCCESS) f.retry_after_s = static_cast<int>(n);
  if (!Str(b, "reason").empty()) f.reason = Str(b, "reason");
  f.api = Str(b, "api");
  f.job_type = Str(b, "job_type");
  if (!Str(b, "permission").empty()) f.permission = Str(b, "permission");
  bool after = false;
  if (b["after_storing"].get(after) == simdjson::SUCCESS) f.after_storing = after;
  InjectBigQueryFault(*fake_, f);
  SendJson(res, "{}");
}

void BqRoutes::Stats(const httplib::Request&, httplib::Response& res) {
  BigQueryStats s = GetBigQueryStats(*fake_);
  std::string body =
      "{\"jobs\":" + std::to_string(s.jobs) + ",\"load_jobs\":" + std::to_string(s.load_jobs) +
      ",\"query_jobs\":" + std::to_string(s.query_jobs) + ",\"transactions\":" + std::to_string(s.transactions) +
      ",\"cancelled_transactions\":" + std::to_string(s.cancelled_transactions) +
      ",\"http_faults\":" + std::to_string(s.http_faults) + ",\"checked_bodies\":" + std::to_string(s.checked_bodies) +
      ",\"multipart_uploads\":" + std::to_string(s.multipart_uploads) +
      ",\"upload_sessions\":" + std::to_string(s.upload_sessions) +
      ",\"upload_chunks\":" + std::to_string(s.upload_chunks) +
      ",\"upload_status_queries\":" + std::to_string(s.upload_status_queries) +
      ",\"upload_bytes\":" + std::to_string(s.upload_bytes) + ",\"cut_uploads\":" + std::to_string(s.cut_uploads) +
      ",\"discovery\":" + JsonStr(s.discovery_checked ? s.discovery_source : "absent: not checked") +
      ",\"load_jobs_per_table_day\":{";
  std::lock_guard<std::mutex> lock(fake_->mu);
  bool first = true;
  for (const auto& [k, v] : fake_->load_jobs_per_table_day) {
    body += (first ? "" : ",") + JsonStr(k) + ":" + std::to_string(v);
    first = false;
  }
  SendJson(res, body + "}}");
}

}  // namespace metl::gfake
