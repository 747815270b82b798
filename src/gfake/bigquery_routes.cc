// The BigQuery fake's HTTP routes (bigquery_routes.h): authentication, injected HTTP faults,
// discovery checks of the bodies, BigQuery's error envelope, datasets and tables, and the
// registration of every route.
#include "gfake/bigquery_routes.h"

#include <httplib.h>
#include <simdjson.h>

#include "gfake/bigquery_fake.h"
#include "gfake/bigquery_fake_state.h"

namespace metl::gfake {
namespace {

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

}  // namespace

namespace bq_http {

std::string Str(simdjson::dom::element e, std::string_view key) {
  std::string_view v;
  if (e[key].get(v) == simdjson::SUCCESS) return std::string(v);
  return "";
}

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

std::string FloatSeconds(const std::string& micros) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6E", static_cast<double>(std::strtoll(micros.c_str(), nullptr, 10)) / 1e6);
  return buf;
}
}  // namespace bq_http

using namespace bq_http;  // NOLINT(google-build-using-namespace): the handlers' vocabulary

bool BqRoutes::Guard(const httplib::Request& req, httplib::Response& res, const std::string& api) {
  if (fake_->options.admit) {
    if (!fake_->options.admit(req, res)) return false;
  } else if (!CheckToken(req, res)) {
    return false;
  }
  return InjectedFault(req, res, api);
}

bool BqRoutes::CheckToken(const httplib::Request& req, httplib::Response& res) {
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

bool BqRoutes::InjectedFault(const httplib::Request& req, httplib::Response& res, const std::string& api) {
  std::lock_guard<std::mutex> lock(fake_->mu);
  if (auto f = fake_->TakeFault(BigQueryFault::Kind::kHttp, api, "")) {
    ++fake_->stats.http_faults;
    if (f->retry_after_s) res.set_header("Retry-After", std::to_string(*f->retry_after_s));
    SendError(res, f->status, f->reason,
              f->reason == "rateLimitExceeded" ? "Exceeded rate limits: too many api requests per user per method"
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

bool BqRoutes::CheckBody(const std::string& schema, const std::string& body, httplib::Response& res) {
  std::lock_guard<std::mutex> lock(fake_->mu);
  if (!fake_->discovery) return true;
  ++fake_->stats.checked_bodies;
  std::string problem = fake_->discovery->Check(schema, body);
  if (problem.empty()) return true;
  SendError(res, 400, "invalid", "Invalid JSON payload received. " + problem);
  return false;
}

void BqRoutes::DatasetGet(const httplib::Request& req, httplib::Response& res) {
  if (!Guard(req, res, "datasets.get")) return;
  std::lock_guard<std::mutex> lock(fake_->mu);
  std::string p = req.matches[1], d = req.matches[2];
  auto location = fake_->Store(p).DatasetLocation(d);
  if (!location) return SendError(res, 404, "notFound", "Not found: Dataset " + p + ":" + d);
  SendJson(res, DatasetJson(p, d, *location));
}

void BqRoutes::DatasetInsert(const httplib::Request& req, httplib::Response& res) {
  if (!Guard(req, res, "datasets.insert") || !CheckBody("Dataset", req.body, res)) return;
  simdjson::dom::parser parser;
  simdjson::dom::element body, ref;
  if (parser.parse(req.body).get(body) != simdjson::SUCCESS || body["datasetReference"].get(ref) != simdjson::SUCCESS) {
    return SendError(res, 400, "invalid", "Required parameter is missing: datasetReference");
  }
  std::string p = req.matches[1], d = Str(ref, "datasetId"), location = Str(body, "location");
  std::lock_guard<std::mutex> lock(fake_->mu);
  Status st = fake_->Store(p).CreateDataset(d, location);
  if (!st.ok()) return SendBqError(res, st.error());
  SendJson(res, DatasetJson(p, d, location.empty() ? "US" : location));
}

void BqRoutes::TableGet(const httplib::Request& req, httplib::Response& res) {
  if (!Guard(req, res, "tables.get")) return;
  std::lock_guard<std::mutex> lock(fake_->mu);
  std::string p = req.matches[1], d = req.matches[2], t = req.matches[3];
  BqStore& store = fake_->Store(p);
  auto table = store.GetTable(d, t);
  if (!table) return SendError(res, 404, "notFound", "Not found: Table " + p + ":" + d + "." + t);
  SendJson(res, TableJson(p, *table, store.RowCount(d, t)));
}

void BqRoutes::TableDelete(const httplib::Request& req, httplib::Response& res) {
  if (!Guard(req, res, "tables.delete")) return;
  std::lock_guard<std::mutex> lock(fake_->mu);
  Status st = fake_->Store(req.matches[1]).DeleteTable(req.matches[2], req.matches[3]);
  if (!st.ok()) return SendBqError(res, st.error());
  res.status = 204;
}

void BqRoutes::TableInsert(const httplib::Request& req, httplib::Response& res) {
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

std::shared_ptr<BigQueryFake> RegisterBigQueryRoutes(httplib::Server& server, BigQueryFakeOptions options) {
  auto fake = std::make_shared<BigQueryFake>(std::move(options));
  auto routes = std::make_shared<BqRoutes>(fake);
  const std::string p = "/bigquery/v2/projects/([^/]+)";
  auto bind = [routes](void (BqRoutes::*fn)(const httplib::Request&, httplib::Response&)) {
    return [routes, fn](const httplib::Request& req, httplib::Response& res) { ((*routes).*fn)(req, res); };
  };
  server.Get(p + "/datasets/([^/]+)", bind(&BqRoutes::DatasetGet));
  server.Post(p + "/datasets", bind(&BqRoutes::DatasetInsert));
  server.Get(p + "/datasets/([^/]+)/tables/([^/]+)", bind(&BqRoutes::TableGet));
  server.Delete(p + "/datasets/([^/]+)/tables/([^/]+)", bind(&BqRoutes::TableDelete));
  server.Post(p + "/datasets/([^/]+)/tables", bind(&BqRoutes::TableInsert));
  server.Post(p + "/jobs", bind(&BqRoutes::JobInsert));
  server.Get(p + "/jobs/([^/]+)", bind(&BqRoutes::JobGet));
  server.Get(p + "/queries/([^/]+)", bind(&BqRoutes::QueryResults));
  server.Post("/upload" + p + "/jobs", bind(&BqRoutes::UploadPost));
  server.Put("/upload" + p + "/jobs", bind(&BqRoutes::UploadPut));
  server.Delete("/upload" + p + "/jobs", bind(&BqRoutes::UploadCancel));
  server.Post("/_fake/bigquery/faults", bind(&BqRoutes::Faults));
  server.Get("/_fake/bigquery/stats", bind(&BqRoutes::Stats));
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
