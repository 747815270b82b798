// A strict local fake of the BigQuery REST v2 subset matomo-etl uses (issue 13), written from
// Google's reference (../shared/reference/BIGQUERY-GCS.md section 3):
//   datasets.get/insert (location), tables.get/insert/delete (schema with descriptions, DAY
//   partitioning on a field, clustering, expirationTime), jobs.insert/get/getQueryResults with
//   caller-chosen job ids (a second insert of an id: 409 duplicate), jobs going PENDING -> RUNNING ->
//   DONE across polls, status.errorResult on failure; load jobs from NDJSON (gs:// objects through
//   `read_gcs_object`, or the media upload /upload/bigquery/v2/projects/P/jobs, multipart or
//   resumable); query jobs running GoogleSQL scripts (transactions, DML, CREATE/DROP TABLE) on an
//   embedded DuckDB (bigquery_sql.h); a second transaction mutating a table that a running one
//   mutates is cancelled, as BigQuery does; 1,500 load jobs per table per day; request bodies
//   checked against the discovery document (bigquery_discovery.h); faults injected on demand.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace metl::gfake {

struct BigQueryFakeOptions {
  // Whether a bearer token is one the fake's token endpoint issued. Unset: any non-empty token.
  std::function<bool(std::string_view token)> token_ok;
  // Instead of token_ok: the google-fake's own admission (token, scopes, its 429/503 faults);
  // false when it answered already.
  std::function<bool(const httplib::Request&, httplib::Response&)> admit;
  // The content of gs://bucket/object in the GCS fake; nullopt when absent.
  std::function<std::optional<std::string>(std::string_view bucket, std::string_view object)> read_gcs_object;
  // BigQuery's discovery document (bigquery_discovery.h); "" = google-cloud-cli's where installed.
  std::string discovery_path;
  int load_jobs_per_table_per_day = 1500;
  // The largest multipart media upload taken (413 above it); 0 = only the server's request limit.
  // Google documents no number for BigQuery: multipart is "for smaller files", resumable for large ones.
  int64_t max_multipart_bytes = 0;
  // Whether the resumable chunk being served is cut (google-fake --cut-upload); unset: never.
  std::function<bool()> cut_chunk;
  // Polls a job takes from PENDING to DONE (each jobs.get or getQueryResults moves it one step).
  int polls_to_done = 2;
};

// A fault the fake injects into the next `count` matching requests or jobs.
struct BigQueryFault {
  enum class Kind {
    kHttp,                 // answer `status` (429, 503, ...) with reason `reason`, Retry-After when set
    kJobBackendError,      // the next jobs of `job_type` end with errorResult backendError
    kTransactionConflict,  // the next transactions are cancelled as if another one held their table
    kAccessDenied,         // 403 accessDenied naming `permission`
    kCutUpload,            // the next resumable chunks: half stored, the connection dropped
  };
  Kind kind = Kind::kHttp;
  int count = 1;
  int status = 503;
  std::string reason = "backendError";
  std::optional<int> retry_after_s;
  std::string api;       // kHttp/kAccessDenied: "jobs.insert", "jobs.get", "getQueryResults", "upload" (the media
                         // upload's POST), "upload.chunk" (its PUTs), "tables.insert", ... "" = any
  std::string job_type;  // kJobBackendError: "LOAD", "QUERY", "" = any
  std::string permission = "bigquery.jobs.create";
  bool after_storing = false;  // kCutUpload: the whole chunk stored (the job inserted), the answer lost
};

class BigQueryFake;

struct BigQueryStats {
  int64_t jobs = 0, load_jobs = 0, query_jobs = 0, transactions = 0, cancelled_transactions = 0;
  int64_t http_faults = 0, checked_bodies = 0;
  // media uploads: multipart requests; resumable sessions, chunks (PUTs with data), status queries,
  // bytes persisted, chunks cut
  int64_t multipart_uploads = 0, upload_sessions = 0, upload_chunks = 0, upload_status_queries = 0;
  int64_t upload_bytes = 0, cut_uploads = 0;
  bool discovery_checked = false;  // false: the discovery document was absent, bodies were not checked
  std::string discovery_source;
};

// Registers the routes on `server` (/bigquery/v2/..., /upload/bigquery/v2/..., and the test controls
// POST /_fake/bigquery/faults, GET /_fake/bigquery/stats) and returns the fake's state.
std::shared_ptr<BigQueryFake> RegisterBigQueryRoutes(httplib::Server& server, BigQueryFakeOptions options);

void InjectBigQueryFault(BigQueryFake& fake, BigQueryFault fault);
BigQueryStats GetBigQueryStats(BigQueryFake& fake);
// Load jobs counted today against a table ("dataset.table"), as the quota counts them.
int64_t LoadJobsToday(BigQueryFake& fake, const std::string& project, const std::string& table);
// Runs SQL in the fake's DuckDB for tests (GoogleSQL, translated); rows as BigQuery renders them.
std::vector<std::vector<std::optional<std::string>>> QueryFakeForTest(BigQueryFake& fake, const std::string& project,
                                                                      const std::string& sql);

}  // namespace metl::gfake
