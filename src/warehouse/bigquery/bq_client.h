// The BigQuery REST v2 calls the engine makes, over the shared HttpClient with a Google access
// token, every call through the shared retry policy (http/retry_policy.h):
//   retried   transport errors, HTTP 408/429/5xx, and the reasons rateLimitExceeded, backendError,
//             internalError, badGateway, jobRateLimitExceeded (also when BigQuery sends them with 403)
//   never     invalid, invalidQuery, notFound, duplicate, quotaExceeded, accessDenied
// A 401 drops the cached token and tries once more (a token that expired mid-run).
// Errors quote BigQuery's own message and reason, and say what to do (a missing permission names the
// role that grants it).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cloud/access_token.h"
#include "core/error.h"
#include "http/http_client.h"
#include "http/retry_policy.h"
#include "warehouse/bigquery/bq_uri.h"
#include "warehouse/warehouse.h"

namespace metl::warehouse::bq_engine {

// One of BigQuery's ErrorProtos: status.errorResult of a job, or error.errors[0] of an HTTP error.
struct BqErrorProto {
  std::string reason;
  std::string message;
};

// Whether BigQuery's `reason` is worth retrying (the list above).
bool RetryableReason(std::string_view reason);
// A job's errorResult as an Error: kind by reason, BigQuery's message quoted, a hint.
Error JobError(const BqErrorProto& e, std::string_view what);
// An HTTP error response (status + body) as an Error.
Error HttpError(long status, std::string_view body, std::string_view what);
// What to do about an error reason: e.g. for accessDenied the role that grants the permission named.
std::string HintFor(std::string_view reason, std::string_view message);

struct BqJobResult {
  std::optional<BqErrorProto> error;  // status.errorResult: the job failed
  std::string statement_type;
  int64_t output_rows = 0;  // load jobs
};

class BqClient {
 public:
  BqClient(BqTarget target, std::shared_ptr<http::HttpClient> http, std::shared_ptr<cloud::AccessTokenSource> tokens,
           http::RetryOptions retry = {});

  const BqTarget& target() const { return target_; }
  // `bigquery/v2/projects/P/...` paths, relative to the endpoint.
  std::string ApiPath(std::string_view rest) const;

  // A call with retries. 2xx: the body. `not_found_ok`: a 404 gives nullopt instead of an error;
  // `duplicate_ok`: a 409 too (creating what a retried request created already).
  Result<std::optional<std::string>> Call(const std::string& method, const std::string& path, const std::string& body,
                                          bool not_found_ok = false, bool duplicate_ok = false);

  // jobs.insert under `job_id`; a 409 for that id is the same job (a retried insert): not an error.
  Status InsertJob(const std::string& job_json);
  // jobs.insert with the job's data from `file`, through BigQuery's resumable media upload
  // (bq_media_upload.cc). A 409 for the job's id is the job an earlier attempt inserted: not an error.
  Status InsertJobWithMedia(const std::string& job_json, const std::filesystem::path& file);
  // Requests the last InsertJobWithMedia sent (the session's start, chunks and status queries).
  int64_t last_upload_requests() const { return last_upload_requests_; }
  // Polls jobs.get until the job is DONE (backing off from 0.2 s to 5 s between polls).
  Result<BqJobResult> WaitJob(const std::string& job_id);
  // Every row of a finished query job (getQueryResults, paged), values as text in the forms the
  // other engines use (warehouse.h QueryResult).
  Result<QueryResult> Results(const std::string& job_id);

 private:
  Result<std::optional<std::string>> CallWith(const http::HttpRequest& req, bool not_found_ok, bool duplicate_ok,
                                              const std::string& what);
  // One exchange with the bearer token, no retries; a 401 drops the token and is tried once more.
  Result<http::HttpResult> Exchange(const std::function<http::HttpRequest()>& make);

  BqTarget target_;
  std::shared_ptr<http::HttpClient> http_;
  std::shared_ptr<cloud::AccessTokenSource> tokens_;
  http::RetryPolicy retry_;
  int64_t last_upload_requests_ = 0;
};

// A query job's JSON: GoogleSQL, the dataset as default (unqualified names), in the dataset's location.
std::string QueryJobJson(const BqTarget& target, const std::string& job_id, std::string_view sql);
std::string JsonString(std::string_view s);  // "..." with JSON escapes

}  // namespace metl::warehouse::bq_engine
