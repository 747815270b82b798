// The BigQuery fake's HTTP routes: authentication, injected HTTP faults, discovery checks of the
// bodies, and BigQuery's error envelope; the work is in bigquery_jobs.cc and bigquery_store.cc.
#include <httplib.h>
#include <simdjson.h>

#include "gfake/bigquery_fake.h"
#include "gfake/bigquery_fake_state.h"

namespace metl::gfake {
namespace {

std::string Str(simdjson::dom::element e, std::string_view key) {
  std::string_view v;
  if (e[key].get(v) == simdjson::SUCCESS) return std::string(v);
  return "";
}

const char* StatusName(int code) {
  switch (code) {
    case 400:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 409:
      return "ALREADY_EXISTS";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 503:
      return "UNAVAILABLE";
    default:
      return code >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
  }
}

// BigQuery's HTTP code for an error reason (https://cloud.google.com/bigquery/docs/error-messages).
int HttpCodeOf(const std::string& reason) {
  if (reason == "notFound") return 404;
  if (reason == "duplicate") return 409;
  if (reason == "accessDenied" || reason == "quotaExceeded" || reason == "rateLimitExceeded") return 403;
  if (reason == "backendError" || reason == "internalError") return 500;
  if (reason == "required" || reason == "authError") return 401;
  return 400;
}

void SendError(httplib::Response& res, int code, const std::string& reason, const std::string& message) {
  res.status = code;
  res.set_content("{\"error\":{\"code\":" + std::to_string(code) + ",\"message\":" + JsonStr(message) +
                      ",\"errors\":[{\"message\":" + JsonStr(message) + ",\"domain\":\"global\",\"reason\":" +
                      JsonStr(reason) + "}],\"status\":" + JsonStr(StatusName(code)) + "}}",
                  "application/json; charset=UTF-8");
}

void SendBqError(httplib::Response& res, const Error& e) {
  auto [reason, message] = SplitBqError(e);
  SendError(res, HttpCodeOf(reason), reason, message);
}

void SendJson(httplib::Response& res, const std::string& body) {
  res.status = 200;
  res.set_content(body, "application/json; charset=UTF-8");
}

std::string DatasetJson(const std::string& project, const std::string& dataset, const std::string& location) {
  return "{\"kind\":\"bigquery#dataset\",\"id\":" + JsonStr(project + ":" + dataset) +
         ",\"datasetReference\":{\"projectId\":" + JsonStr(project) + ",\"datasetId\":" + JsonStr(dataset) +
         "},\"location\":" + JsonStr(location) + "}";
}

std::string TableJson(const std::string& project, const BqTable& t, int64_t rows) {
  std::string out =
      "{\"kind\":\"bigquery#table\",\"id\":" + JsonStr(project + ":" + t.dataset + "." + t.table) +
      ",\"tableReference\":{\"projectId\":" + JsonStr(project) + ",\"datasetId\":" + JsonStr(t.dataset) +
      ",\"tableId\":" + JsonStr(t.table) + "},\"type\":\"TABLE\",\"schema\":{\"fields\":" + FieldsJson(t.fields) +
      "},\"numRows\":" + JsonStr(std::to_string(rows)) + ",\"creationTime\":" + JsonStr(std::to_string(t.created_ms));
  if (!t.description.empty()) out += ",\"description\":" + JsonStr(t.description);
  if (!t.partition_type.empty()) {
    out += ",\"timePartitioning\":{\"type\":" + JsonStr(t.partition_type);
    if (!t.partition_field.empty()) out += ",\"field\":" + JsonStr(t.partition_field);
    out += "}";
  }
  if (!t.clustering.empty()) {
    out += ",\"clustering\":{\"fields\":[";
    for (size_t i = 0; i < t.clustering.size(); ++i) out += (i ? "," : "") + JsonStr(t.clustering[i]);
    out += "]}";
  }
  if (t.expiration_ms) out += ",\"expirationTime\":" + JsonStr(std::to_string(*t.expiration_ms));
  return out + "}";
}

// "12345" (micros) -> "1.2345E-2": TIMESTAMP cells without formatOptions.useInt64Timestamp are float
// seconds in scientific notation.
std::string FloatSeconds(const std::string& micros) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6E", static_cast<double>(std::strtoll(micros.c_str(), nullptr, 10)) / 1e6);
  return buf;
}

class Routes {
 public:
  explicit Routes(std::shared_ptr<BigQueryFake> fake) : fake_(std::move(fake)) {}

  // Authentication and injected HTTP faults; false when the response is already made.
  bool Guard(const httplib::Request& req, httplib::Response& res, const std::string& api) {
    if (fake_->options.admit) {
      if (!fake_->options.admit(req, res)) return false;
    } else if (!CheckToken(req, res)) {
      return false;
    }
    return InjectedFault(req, res, api);
  }

  bool CheckToken(const httplib::Request& req, httplib::Response& res) {
    std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) != 0 || auth.size() <= 7) {
      SendError(res, 401, "required",
                "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie "
                "or other valid authentication credential.");
      return false;
    }
    if (fake_->options.token_ok && !fake_->options.token_ok(std::string_view(auth).substr(7))) {
      SendError(res, 401, "authError", "Request had invalid authentication credentials.");
      return false;
    }
    return true;
  }

  bool InjectedFault(const httplib::Request& req, httplib::Response& res, const std::string& api) {
    std::lock_guard<std::mutex> lock(fake_->mu);
    if (auto f = fake_->TakeFault(BigQueryFault::Kind::kHttp, api, "")) {
      ++fake_->stats.http_faults;
      if (f->retry_after_s) res.set_header("Retry-After", std::to_string(*f->retry_after_s));
      SendError(res, f->status, f->reason,
                f->reason == "rateLimitExceeded"
                    ? "Exceeded rate limits: too many api requests per user per method"
                    : "Error encountered during execution. Retrying may solve the problem.");
      return false;
    }
    if (auto f = fake_->TakeFault(BigQueryFault::Kind::kAccessDenied, api, "")) {
      SendError(res, 403, "accessDenied",
                "Access Denied: Project " + std::string(req.matches[1]) + ": User does not have " + f->permission +
                    " permission in project " + std::string(req.matches[1]) + ".");
      return false;
    }
    return true;
  }

  // The body against the discovery document; false (400) when it does not conform.
  bool CheckBody(const std::string& schema, const std::string& body, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(fake_->mu);
    if (!fake_->discovery) return true;
    ++fake_->stats.checked_bodies;
    std::string problem = fake_->discovery->Check(schema, body);
    if (problem.empty()) return true;
    SendError(res, 400, "invalid", "Invalid JSON payload received. " + problem);
    return false;
  }

  void DatasetGet(const httplib::Request& req, httplib::Response& res) {
    if (!Guard(req, res, "datasets.get")) return;
    std::lock_guard<std::mutex> lock(fake_->mu);
    std::string p = req.matches[1], d = req.matches[2];
    auto location = fake_->Store(p).DatasetLocation(d);
    if (!location) return SendError(res, 404, "notFound", "Not found: Dataset " + p + ":" + d);
    SendJson(res, DatasetJson(p, d, *location));
  }

  void DatasetInsert(const httplib::Request& req, httplib::Response& res) {
    if (!Guard(req, res, "datasets.insert") || !CheckBody("Dataset", req.body, res)) return;
    simdjson::dom::parser parser;
    simdjson::dom::element body, ref;
    if (parser.parse(req.body).get(body) != simdjson::SUCCESS ||
        body["datasetReference"].get(ref) != simdjson::SUCCESS) {
      return SendError(res, 400, "invalid", "Required parameter is missing: datasetReference");
    }
    std::string p = req.matches[1], d = Str(ref, "datasetId"), location = Str(body, "location");
    std::lock_guard<std::mutex> lock(fake_->mu);
    Status st = fake_->Store(p).CreateDataset(d, location);
    if (!st.ok()) return SendBqError(res, st.error());
    SendJson(res, DatasetJson(p, d, location.empty() ? "US" : location));
  }

  void TableGet(const httplib::Request& req, httplib::Response& res) {
    if (!Guard(req, res, "tables.get")) return;
    std::lock_guard<std::mutex> lock(fake_->mu);
    std::string p = req.matches[1], d = req.matches[2], t = req.matches[3];
    BqStore& store = fake_->Store(p);
    auto table = store.GetTable(d, t);
    if (!table) return SendError(res, 404, "notFound", "Not found: Table " + p + ":" + d + "." + t);
    SendJson(res, TableJson(p, *table, store.RowCount(d, t)));
  }

  void TableDelete(const httplib::Request& req, httplib::Response& res) {
    if (!Guard(req, res, "tables.delete")) return;
    std::lock_guard<std::mutex> lock(fake_->mu);
    Status st = fake_->Store(req.matches[1]).DeleteTable(req.matches[2], req.matches[3]);
    if (!st.ok()) return SendBqError(res, st.error());
    res.status = 204;
  }

  void TableInsert(const httplib::Request& req, httplib::Response& res) {
    if (!Guard(req, res, "tables.insert") || !CheckBody("Table", req.body, res)) return;
    simdjson::dom::parser parser;
    simdjson::dom::element body, ref, schema, part, clustering;
    if (parser.parse(req.body).get(body) != simdjson::SUCCESS || body["tableReference"].get(ref) != simdjson::SUCCESS) {
      return SendError(res, 400, "invalid", "Required parameter is missing: tableReference");
    }
    BqTable t;
    t.dataset = req.matches[2];
    t.table = Str(ref, "tableId");
    if (Str(ref, "datasetId") != t.dataset)
      return SendError(res, 400, "invalid", "tableReference.datasetId does not match the path");
    t.description = Str(body, "description");
    if (body["schema"].get(schema) == simdjson::SUCCESS) {
      simdjson::dom::array fields;
      if (schema["fields"].get(fields) == simdjson::SUCCESS) {
        for (auto f : fields) {
          t.fields.push_back(BqField{Str(f, "name"), Str(f, "type"), Str(f, "mode"), Str(f, "description"),
                                     Str(f, "precision"), Str(f, "scale")});
          if (t.fields.back().description.size() > 1024) {
            return SendError(res, 400, "invalid", "The description for field " + t.fields.back().name + " is too long");
          }
        }
      }
    }
    if (body["timePartitioning"].get(part) == simdjson::SUCCESS) {
      t.partition_type = Str(part, "type");
      t.partition_field = Str(part, "field");
    }
    if (body["clustering"].get(clustering) == simdjson::SUCCESS) {
      simdjson::dom::array fields;
      if (clustering["fields"].get(fields) == simdjson::SUCCESS) {
        for (auto f : fields) {
          std::string_view s;
          if (f.get(s) == simdjson::SUCCESS) t.clustering.emplace_back(s);
        }
      }
    }
    std::string expiration = Str(body, "expirationTime");
    if (!expiration.empty()) t.expiration_ms = std::strtoll(expiration.c_str(), nullptr, 10);
    std::lock_guard<std::mutex> lock(fake_->mu);
    BqStore& store = fake_->Store(req.matches[1]);
    Status st = store.CreateTable(t);
    if (!st.ok()) return SendBqError(res, st.error());
    auto created = store.GetTable(t.dataset, t.table);  // nullopt when it expired already
    SendJson(res, TableJson(req.matches[1], created ? *created : t, 0));
  }

  void InsertJob(const httplib::Request& req, httplib::Response& res, const std::string& body,
                 std::optional<std::string> media) {
    if (!CheckBody("Job", body, res)) return;
    std::lock_guard<std::mutex> lock(fake_->mu);
    auto key = fake_->InsertJob(req.matches[1], body, std::move(media));
    if (!key.ok()) return SendBqError(res, key.error());
    SendJson(res, JobJson(fake_->jobs.at(*key)));
  }

  void JobInsert(const httplib::Request& req, httplib::Response& res) {
    if (!Guard(req, res, "jobs.insert")) return;
    InsertJob(req, res, req.body, std::nullopt);
  }

  // The job of the path, checking `location` as BigQuery does outside the US and EU multi-regions.
  BqJob* FindJob(const httplib::Request& req, httplib::Response& res) {
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

  void JobGet(const httplib::Request& req, httplib::Response& res) {
    if (!Guard(req, res, "jobs.get")) return;
    std::lock_guard<std::mutex> lock(fake_->mu);
    BqJob* job = FindJob(req, res);
    if (!job) return;
    fake_->Advance(*job);
    SendJson(res, JobJson(*job));
  }

  void QueryResults(const httplib::Request& req, httplib::Response& res) {
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

  // Media upload: multipart (Job JSON + data in one request) or resumable (Job JSON first, then the
  // data in chunks of multiples of 256 KiB to the session URI).
  void UploadPost(const httplib::Request& req, httplib::Response& res) {
    if (!Guard(req, res, "upload")) return;
    const std::string type = req.get_param_value("uploadType");
    if (type == "multipart") {
      std::string ct = req.get_header_value("Content-Type");
      size_t b = ct.find("boundary=");
      if (ct.rfind("multipart/related", 0) != 0 || b == std::string::npos) {
        return SendError(res, 400, "invalid",
                         "uploadType=multipart needs Content-Type multipart/related; boundary=...");
      }
      std::string boundary = ct.substr(b + 9);
      if (!boundary.empty() && boundary.front() == '"') boundary = boundary.substr(1, boundary.size() - 2);
      std::vector<std::string> parts;
      const std::string delim = "--" + boundary;
      size_t pos = req.body.find(delim);
      while (pos != std::string::npos) {
        pos += delim.size();
        if (req.body.compare(pos, 2, "--") == 0) break;
        size_t headers_end = req.body.find("\r\n\r\n", pos);
        if (headers_end == std::string::npos) break;
        size_t next = req.body.find("\r\n" + delim, headers_end + 4);
        if (next == std::string::npos) break;
        parts.push_back(req.body.substr(headers_end + 4, next - headers_end - 4));
        pos = next + 2;
      }
      if (parts.size() != 2)
        return SendError(res, 400, "invalid", "a multipart upload needs two parts: the job and the data");
      return InsertJob(req, res, parts[0], std::move(parts[1]));
    }
    if (type == "resumable") {
      if (!CheckBody("Job", req.body, res)) return;
      std::lock_guard<std::mutex> lock(fake_->mu);
      std::string id = "u" + std::to_string(fake_->next_upload++);
      fake_->uploads[id] = BqUpload{req.matches[1], req.body, "", std::nullopt};
      res.status = 200;
      res.set_header("Location", "http://" + req.get_header_value("Host") + "/upload/bigquery/v2/projects/" +
                                     std::string(req.matches[1]) + "/jobs?uploadType=resumable&upload_id=" + id);
      return;
    }
    SendError(res, 400, "invalid", "uploadType must be multipart or resumable");
  }

  void UploadPut(const httplib::Request& req, httplib::Response& res) {
    if (!Guard(req, res, "upload")) return;
    std::string id = req.get_param_value("upload_id");
    std::unique_lock<std::mutex> lock(fake_->mu);
    auto it = fake_->uploads.find(id);
    if (it == fake_->uploads.end()) return SendError(res, 404, "notFound", "No such upload session");
    BqUpload& up = it->second;
    // Content-Range: bytes FIRST-LAST/TOTAL, bytes */TOTAL, bytes */*
    std::string range = req.get_header_value("Content-Range");
    long long first = -1, last = -1, total = -1;
    if (range.rfind("bytes */", 0) == 0) {
      std::string t = range.substr(8);
      if (t != "*") total = std::atoll(t.c_str());
    } else if (std::sscanf(range.c_str(), "bytes %lld-%lld/%lld", &first, &last, &total) < 2) {
      if (range.empty() && !req.body.empty()) {  // a single request with the whole content
        first = 0;
        last = static_cast<long long>(req.body.size()) - 1;
        total = static_cast<long long>(req.body.size());
      } else if (std::sscanf(range.c_str(), "bytes %lld-%lld/*", &first, &last) != 2) {
        return SendError(res, 400, "invalid", "bad Content-Range: " + range);
      }
    }
    if (first >= 0) {
      if (first != static_cast<long long>(up.data.size())) {
        return SendError(
            res, 400, "invalid",
            "Content-Range starts at " + std::to_string(first) + ", expected " + std::to_string(up.data.size()));
      }
      if (last - first + 1 != static_cast<long long>(req.body.size())) {
        return SendError(res, 400, "invalid", "Content-Range does not match the body's length");
      }
      const bool final_chunk = total >= 0 && last + 1 == total;
      if (!final_chunk && req.body.size() % (256 * 1024) != 0) {
        return SendError(res, 400, "invalid", "a chunk that is not the last must be a multiple of 256 KiB");
      }
      up.data += req.body;
    }
    if (total >= 0) up.total = total;
    if (!up.total || static_cast<long long>(up.data.size()) < *up.total) {
      res.status = 308;
      if (!up.data.empty()) res.set_header("Range", "bytes=0-" + std::to_string(up.data.size() - 1));
      return;
    }
    BqUpload done = std::move(up);
    fake_->uploads.erase(it);
    lock.unlock();
    InsertJob(req, res, done.job_body, std::move(done.data));
  }

  void Faults(const httplib::Request& req, httplib::Response& res) {
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
    else
      return SendError(res, 400, "invalid", "kind: http, job_backend_error, transaction_conflict, access_denied");
    int64_t n;
    if (b["count"].get(n) == simdjson::SUCCESS) f.count = static_cast<int>(n);
    if (b["status"].get(n) == simdjson::SUCCESS) f.status = static_cast<int>(n);
    if (b["retry_after"].get(n) == simdjson::SUCCESS) f.retry_after_s = static_cast<int>(n);
    if (!Str(b, "reason").empty()) f.reason = Str(b, "reason");
    f.api = Str(b, "api");
    f.job_type = Str(b, "job_type");
    if (!Str(b, "permission").empty()) f.permission = Str(b, "permission");
    InjectBigQueryFault(*fake_, f);
    SendJson(res, "{}");
  }

  void Stats(const httplib::Request&, httplib::Response& res) {
    BigQueryStats s = GetBigQueryStats(*fake_);
    std::string body = "{\"jobs\":" + std::to_string(s.jobs) + ",\"load_jobs\":" + std::to_string(s.load_jobs) +
                       ",\"query_jobs\":" + std::to_string(s.query_jobs) +
                       ",\"transactions\":" + std::to_string(s.transactions) +
                       ",\"cancelled_transactions\":" + std::to_string(s.cancelled_transactions) +
                       ",\"http_faults\":" + std::to_string(s.http_faults) +
                       ",\"checked_bodies\":" + std::to_string(s.checked_bodies) +
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

 private:
  std::shared_ptr<BigQueryFake> fake_;
};

}  // namespace

std::shared_ptr<BigQueryFake> RegisterBigQueryRoutes(httplib::Server& server, BigQueryFakeOptions options) {
  auto fake = std::make_shared<BigQueryFake>(std::move(options));
  auto routes = std::make_shared<Routes>(fake);
  const std::string p = "/bigquery/v2/projects/([^/]+)";
  auto bind = [routes](void (Routes::*fn)(const httplib::Request&, httplib::Response&)) {
    return [routes, fn](const httplib::Request& req, httplib::Response& res) { ((*routes).*fn)(req, res); };
  };
  server.Get(p + "/datasets/([^/]+)", bind(&Routes::DatasetGet));
  server.Post(p + "/datasets", bind(&Routes::DatasetInsert));
  server.Get(p + "/datasets/([^/]+)/tables/([^/]+)", bind(&Routes::TableGet));
  server.Delete(p + "/datasets/([^/]+)/tables/([^/]+)", bind(&Routes::TableDelete));
  server.Post(p + "/datasets/([^/]+)/tables", bind(&Routes::TableInsert));
  server.Post(p + "/jobs", bind(&Routes::JobInsert));
  server.Get(p + "/jobs/([^/]+)", bind(&Routes::JobGet));
  server.Get(p + "/queries/([^/]+)", bind(&Routes::QueryResults));
  server.Post("/upload" + p + "/jobs", bind(&Routes::UploadPost));
  server.Put("/upload" + p + "/jobs", bind(&Routes::UploadPut));
  server.Post("/_fake/bigquery/faults", bind(&Routes::Faults));
  server.Get("/_fake/bigquery/stats", bind(&Routes::Stats));
  return fake;
}

void InjectBigQueryFault(BigQueryFake& fake, BigQueryFault fault) {
  std::lock_guard<std::mutex> lock(fake.mu);
  fake.faults.push_back(std::move(fault));
}

BigQueryStats GetBigQueryStats(BigQueryFake& fake) {
  std::lock_guard<std::mutex> lock(fake.mu);
  return fake.stats;
}

int64_t LoadJobsToday(BigQueryFake& fake, const std::string& project, const std::string& table) {
  std::lock_guard<std::mutex> lock(fake.mu);
  int64_t n = 0;
  for (const auto& [k, v] : fake.load_jobs_per_table_day) {
    if (k.rfind(project + ":" + table + "@", 0) == 0) n += v;
  }
  return n;
}

std::vector<std::vector<std::optional<std::string>>> QueryFakeForTest(BigQueryFake& fake, const std::string& project,
                                                                      const std::string& sql) {
  std::lock_guard<std::mutex> lock(fake.mu);
  auto out = fake.Store(project).RunScript(sql);
  if (!out.ok()) return {{std::optional<std::string>("error: " + out.error().message())}};
  return out->rows;
}

}  // namespace metl::gfake
