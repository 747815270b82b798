#include "warehouse/bigquery/bq_client.h"

#include <simdjson.h>

#include <cstdio>

#include "core/civil_date.h"
#include "core/log.h"

namespace metl::warehouse::bq_engine {
namespace {

std::string Str(simdjson::dom::element e, std::string_view key) {
  std::string_view v;
  if (e[key].get(v) == simdjson::SUCCESS) return std::string(v);
  return "";
}

// The permission a message of accessDenied names ("User does not have bigquery.jobs.create permission").
std::string PermissionIn(std::string_view message) {
  for (std::string_view prefix : {"bigquery.", "storage."}) {
    size_t at = message.find(prefix);
    if (at == std::string_view::npos) continue;
    size_t end = at;
    while (end < message.size() && (std::isalnum(static_cast<unsigned char>(message[end])) || message[end] == '.'))
      ++end;
    return std::string(message.substr(at, end - at));
  }
  return "";
}

// "1.7E9"-free text for a TIMESTAMP given in microseconds: "2026-11-25 23:19:02[.5]+00", as the other
// engines render it.
std::string TimestampText(int64_t us, bool utc_suffix) {
  int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
  int64_t frac = us - secs * 1000000;
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rem = secs - days * 86400;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %02lld:%02lld:%02lld", CivilDate::FromDays(days).ToString().c_str(),
                static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                static_cast<long long>(rem % 60));
  std::string out = buf;
  if (frac) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(frac));
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return utc_suffix ? out + "+00" : out;
}

}  // namespace

std::string JsonString(std::string_view s) {
  return "\"" + JsonEscape(s) + "\"";
}

bool RetryableReason(std::string_view r) {
  return r == "rateLimitExceeded" || r == "backendError" || r == "internalError" || r == "badGateway" ||
         r == "jobRateLimitExceeded";
}

std::string HintFor(std::string_view reason, std::string_view message) {
  if (reason == "accessDenied" || reason == "forbidden") {
    std::string perm = PermissionIn(message);
    std::string role = "roles/bigquery.dataEditor on the dataset and roles/bigquery.jobUser on the project";
    if (perm.rfind("bigquery.jobs.", 0) == 0)
      role = "roles/bigquery.jobUser on the project";
    else if (perm == "bigquery.datasets.create")
      role = "roles/bigquery.dataEditor (or roles/bigquery.user) on the project, or create the dataset yourself";
    else if (perm.rfind("bigquery.tables.", 0) == 0 || perm.rfind("bigquery.datasets.", 0) == 0)
      role = "roles/bigquery.dataEditor on the dataset";
    else if (perm.rfind("storage.", 0) == 0)
      role = "roles/storage.objectAdmin on the staging bucket";
    return "grant the service account " + role + " (docs/bigquery.md, \"Roles\")";
  }
  if (reason == "quotaExceeded") {
    return "a daily BigQuery quota is used up; it refills over a rolling 24 hours: rerun later (docs/bigquery.md, "
           "\"Quotas\")";
  }
  if (reason == "notFound") {
    return "check the project, the dataset and its location in --warehouse (bigquery://PROJECT/DATASET?location=...)";
  }
  if (reason == "required" || reason == "authError" || reason == "unauthorized") {
    return "check the Google credentials (GOOGLE_APPLICATION_CREDENTIALS or gcloud auth application-default login)";
  }
  if (RetryableReason(reason)) return "BigQuery's error is temporary: rerun the command";
  return "";
}

Error JobError(const BqErrorProto& e, std::string_view what) {
  ErrorKind kind = RetryableReason(e.reason) ? ErrorKind::kTransient : ErrorKind::kTerminal;
  if (e.reason == "invalid" || e.reason == "invalidQuery") kind = ErrorKind::kTerminal;
  Error err(kind, "BigQuery " + std::string(what) + " failed: " + e.message + " (reason " + e.reason + ")");
  std::string hint = HintFor(e.reason, e.message);
  return hint.empty() ? err : std::move(err).WithHint(hint);
}

Error HttpError(long status, std::string_view body, std::string_view what) {
  BqErrorProto e;
  simdjson::dom::parser parser;
  simdjson::dom::element doc, error, first;
  if (parser.parse(body.data(), body.size()).get(doc) == simdjson::SUCCESS &&
      doc["error"].get(error) == simdjson::SUCCESS) {
    e.message = Str(error, "message");
    simdjson::dom::array errors;
    if (error["errors"].get(errors) == simdjson::SUCCESS && errors.size() > 0)
      e.reason = Str(errors.at(0).value(), "reason");
  }
  if (e.message.empty()) e.message = "HTTP " + std::to_string(status);
  const bool transient_status = status == 408 || status == 429 || status >= 500;
  const bool never = e.reason == "invalid" || e.reason == "invalidQuery" || e.reason == "notFound" ||
                     e.reason == "duplicate" || e.reason == "quotaExceeded" || e.reason == "accessDenied";
  ErrorKind kind =
      (RetryableReason(e.reason) || (transient_status && !never)) ? ErrorKind::kTransient : ErrorKind::kTerminal;
  if (status == 401 || status == 403) kind = RetryableReason(e.reason) ? ErrorKind::kTransient : ErrorKind::kConfig;
  // (a new Error: assigning `std::move(err).With...()` to err itself would move its message away)
  Error err = Error(kind, "BigQuery " + std::string(what) + ": " + e.message +
                              (e.reason.empty() ? "" : " (reason " + e.reason + ")"))
                  .WithHttpStatus(static_cast<int>(status));
  std::string hint = HintFor(e.reason, e.message);
  return hint.empty() ? err : std::move(err).WithHint(hint);
}

BqClient::BqClient(BqTarget target, std::shared_ptr<http::HttpClient> http,
                   std::shared_ptr<cloud::AccessTokenSource> tokens, http::RetryOptions retry)
    : target_(std::move(target)), http_(std::move(http)), tokens_(std::move(tokens)), retry_(retry) {}

std::string BqClient::ApiPath(std::string_view rest) const {
  return "/bigquery/v2/projects/" + target_.project + "/" + std::string(rest);
}

Result<std::optional<std::string>> BqClient::Call(const std::string& method, const std::string& path,
                                                  const std::string& body, bool not_found_ok, bool duplicate_ok) {
  http::HttpRequest req;
  req.method = method;
  req.url = target_.endpoint + path;
  req.body = body;
  return CallWith(req, not_found_ok, duplicate_ok, method + " " + path.substr(0, path.find('?')));
}

Result<std::optional<std::string>> BqClient::CallWith(const http::HttpRequest& req, bool not_found_ok,
                                                      bool duplicate_ok, const std::string& what) {
  bool reauthenticated = false;
  std::function<Result<std::optional<std::string>>(std::optional<double>&)> attempt =
      [&](std::optional<double>& retry_after) -> Result<std::optional<std::string>> {
    METL_ASSIGN_OR_RETURN(std::string token, tokens_->Token());
    http::HttpRequest r = req;
    r.headers.emplace_back("Authorization", "Bearer " + token);
    if (!r.body.empty()) r.headers.emplace_back("Content-Type", "application/json; charset=UTF-8");
    METL_ASSIGN_OR_RETURN(http::HttpResult res, http_->Send(r));
    const long status = res.response.status;
    if (status >= 200 && status < 300) return std::optional<std::string>(std::move(res.response.body));
    if (status == 404 && not_found_ok) return std::optional<std::string>();
    if (status == 409 && duplicate_ok) return std::optional<std::string>();
    if (status == 401 && !reauthenticated) {
      reauthenticated = true;
      tokens_->Invalidate();
      return Error(ErrorKind::kTransient, "BigQuery answered 401: fetching a new access token");
    }
    retry_after = res.response.retry_after_s;
    return HttpError(status, res.response.body, what);
  };
  return retry_.Run<std::optional<std::string>>(attempt, [&](const Error& e, int n, double delay) {
    LogInfo("BigQuery: retrying",
            {{"call", what}, {"retry", std::to_string(n)}, {"delay_s", std::to_string(delay)}, {"error", e.message()}});
  });
}

Status BqClient::InsertJob(const std::string& job_json) {
  METL_ASSIGN_OR_RETURN(auto body, Call("POST", ApiPath("jobs"), job_json, false, /*duplicate_ok=*/true));
  (void)body;
  return OkStatus();
}

Result<BqJobResult> BqClient::WaitJob(const std::string& job_id) {
  double delay = 0.05;
  const std::string path = ApiPath("jobs/" + job_id) + "?location=" + target_.location;
  while (true) {
    METL_ASSIGN_OR_RETURN(auto answer, Call("GET", path, ""));
    const std::string body = answer.value_or("");  // (always set: not_found_ok is off)
    simdjson::dom::parser parser;
    simdjson::dom::element job, status, stats;
    if (parser.parse(body).get(job) != simdjson::SUCCESS || job["status"].get(status) != simdjson::SUCCESS) {
      return Error(ErrorKind::kTransient, "BigQuery jobs.get: an answer without a job status");
    }
    if (Str(status, "state") == "DONE") {
      BqJobResult r;
      simdjson::dom::element err;
      if (status["errorResult"].get(err) == simdjson::SUCCESS)
        r.error = BqErrorProto{Str(err, "reason"), Str(err, "message")};
      simdjson::dom::element load, query;
      if (job["statistics"].get(stats) == simdjson::SUCCESS) {
        if (stats["load"].get(load) == simdjson::SUCCESS) r.output_rows = std::atoll(Str(load, "outputRows").c_str());
        if (stats["query"].get(query) == simdjson::SUCCESS) r.statement_type = Str(query, "statementType");
      }
      return r;
    }
    http::SleepSeconds(delay);
    delay = std::min(5.0, delay * 2);
  }
}

Result<QueryResult> BqClient::Results(const std::string& job_id) {
  QueryResult out;
  std::vector<std::string> types;
  std::string page_token;
  while (true) {
    std::string path = ApiPath("queries/" + job_id) + "?location=" + target_.location +
                       "&formatOptions.useInt64Timestamp=true&maxResults=10000";
    if (!page_token.empty()) path += "&pageToken=" + page_token;
    METL_ASSIGN_OR_RETURN(auto body, Call("GET", path, ""));
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(*body).get(doc) != simdjson::SUCCESS)
      return Error(ErrorKind::kTransient, "BigQuery getQueryResults: not JSON");
    bool complete = false;
    if (doc["jobComplete"].get(complete) != simdjson::SUCCESS || !complete) continue;  // WaitJob ran first: rare
    if (out.columns.empty()) {
      simdjson::dom::array fields;
      if (doc["schema"]["fields"].get(fields) == simdjson::SUCCESS) {
        for (auto f : fields) {
          out.columns.push_back(Str(f, "name"));
          types.push_back(Str(f, "type"));
          // (`sql --format json|table` keeps numbers numbers: kinds as the other engines report them)
          const std::string& t = types.back();
          out.kinds.push_back(t == "INTEGER" || t == "INT64" || t == "FLOAT" || t == "FLOAT64" || t == "NUMERIC" ||
                                      t == "BIGNUMERIC"
                                  ? ColumnKind::kNumber
                              : t == "BOOLEAN" || t == "BOOL" ? ColumnKind::kBool
                                                              : ColumnKind::kText);
        }
      }
    }
    simdjson::dom::array rows;
    if (doc["rows"].get(rows) == simdjson::SUCCESS) {
      for (auto row : rows) {
        std::vector<std::optional<std::string>> values;
        simdjson::dom::array cells;
        if (row["f"].get(cells) != simdjson::SUCCESS) continue;
        size_t c = 0;
        for (auto cell : cells) {
          std::string_view v;
          if (cell["v"].get(v) != simdjson::SUCCESS) {
            values.emplace_back();
          } else if (c < types.size() && types[c] == "TIMESTAMP") {
            values.emplace_back(TimestampText(std::atoll(std::string(v).c_str()), true));
          } else if (c < types.size() && types[c] == "DATETIME") {
            std::string s(v);
            if (s.size() > 10 && s[10] == 'T') s[10] = ' ';
            values.emplace_back(std::move(s));
          } else {
            values.emplace_back(std::string(v));
          }
          ++c;
        }
        out.rows.push_back(std::move(values));
      }
    }
    page_token = Str(doc, "pageToken");
    if (page_token.empty()) return out;
  }
}

std::string QueryJobJson(const BqTarget& t, const std::string& job_id, std::string_view sql) {
  return "{\"jobReference\":{\"projectId\":" + JsonString(t.project) + ",\"jobId\":" + JsonString(job_id) +
         ",\"location\":" + JsonString(t.location) + "},\"configuration\":{\"query\":{\"query\":" + JsonString(sql) +
         ",\"useLegacySql\":false,\"defaultDataset\":{\"projectId\":" + JsonString(t.project) +
         ",\"datasetId\":" + JsonString(t.dataset) + "}},\"labels\":{\"tool\":\"matomo-etl\"}}}";
}

}  // namespace metl::warehouse::bq_engine
