// Jobs of the BigQuery fake: jobs.insert's validation, the PENDING -> RUNNING -> DONE lifecycle,
// load and query execution, quotas, transaction conflicts and injected job faults.
#include <simdjson.h>

#include <chrono>
#include <set>

#include "core/log.h"
#include "gfake/bigquery_fake_state.h"

namespace metl::gfake {
namespace {

std::string Str(simdjson::dom::element e, std::string_view key) {
  std::string_view v;
  if (e[key].get(v) == simdjson::SUCCESS) return std::string(v);
  return "";
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Today() {
  auto days =
      std::chrono::duration_cast<std::chrono::hours>(std::chrono::system_clock::now().time_since_epoch()).count() / 24;
  return std::to_string(days);
}

Result<std::vector<BqField>> ParseFields(simdjson::dom::element schema) {
  std::vector<BqField> out;
  simdjson::dom::array fields;
  if (schema["fields"].get(fields) != simdjson::SUCCESS) return out;
  for (auto f : fields) {
    BqField field{Str(f, "name"),        Upper(Str(f, "type")), Upper(Str(f, "mode")),
                  Str(f, "description"), Str(f, "precision"),   Str(f, "scale")};
    if (field.name.empty() || field.type.empty()) return BqError("invalid", "A schema field needs a name and a type");
    if (field.description.size() > 1024) {
      return BqError("invalid", "The description for field " + field.name + " is too long (max 1024 characters)");
    }
    out.push_back(std::move(field));
  }
  return out;
}

}  // namespace

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string JsonStr(std::string_view s) {
  return "\"" + JsonEscape(s) + "\"";
}

std::string FieldsJson(const std::vector<BqField>& fields) {
  std::string out = "[";
  for (size_t i = 0; i < fields.size(); ++i) {
    const BqField& f = fields[i];
    out += std::string(i ? "," : "") + "{\"name\":" + JsonStr(f.name) + ",\"type\":" + JsonStr(f.type) +
           ",\"mode\":" + JsonStr(f.mode.empty() ? "NULLABLE" : f.mode);
    if (!f.description.empty()) out += ",\"description\":" + JsonStr(f.description);
    if (!f.precision.empty()) out += ",\"precision\":" + JsonStr(f.precision);
    if (!f.scale.empty()) out += ",\"scale\":" + JsonStr(f.scale);
    out += "}";
  }
  return out + "]";
}

BigQueryFake::BigQueryFake(BigQueryFakeOptions opts) : options(std::move(opts)) {
  std::string path = options.discovery_path.empty() ? std::string(kCloudSdkBigQueryDiscovery) : options.discovery_path;
  discovery = DiscoveryChecker::Load(path);
  stats.discovery_checked = discovery != nullptr;
  stats.discovery_source = discovery ? path + " (revision " + discovery->revision() + ")" : "";
  if (!discovery) {
    LogWarn("BigQuery fake: no discovery document, request bodies are not checked against it", {{"path", path}});
  }
}

BqStore& BigQueryFake::Store(const std::string& project) {
  auto& s = stores[project];
  if (!s) s = std::make_unique<BqStore>(project);
  return *s;
}

std::optional<BigQueryFault> BigQueryFake::TakeFault(BigQueryFault::Kind kind, const std::string& api,
                                                     const std::string& job_type) {
  for (auto it = faults.begin(); it != faults.end(); ++it) {
    if (it->kind != kind) continue;
    if (!it->api.empty() && it->api != api) continue;
    if (!it->job_type.empty() && it->job_type != job_type) continue;
    BigQueryFault f = *it;
    if (--it->count <= 0) faults.erase(it);
    return f;
  }
  return std::nullopt;
}

Result<std::string> BigQueryFake::InsertJob(const std::string& project, const std::string& body,
                                            std::optional<std::string> media) {
  simdjson::dom::parser parser;
  simdjson::dom::element job;
  if (parser.parse(body).get(job) != simdjson::SUCCESS) return BqError("parseError", "Parse Error");
  BqJob j;
  j.project = project;
  simdjson::dom::element ref;
  if (job["jobReference"].get(ref) == simdjson::SUCCESS) {
    j.id = Str(ref, "jobId");
    j.location = Str(ref, "location");
    std::string p = Str(ref, "projectId");
    if (!p.empty() && p != project) return BqError("invalid", "Job project " + p + " does not match " + project);
  }
  if (j.id.empty()) j.id = "job_" + std::to_string(NowMillis()) + "_" + std::to_string(jobs.size());
  for (char c : j.id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
      return BqError("invalid", "Invalid job ID \"" + j.id +
                                    "\". Job IDs must be alphanumeric (plus underscores and "
                                    "dashes) and must be at most 1024 characters long.");
    }
  }
  if (j.id.size() > 1024) return BqError("invalid", "Invalid job ID: longer than 1024 characters");
  if (j.location.empty()) j.location = "US";
  const std::string key = project + ":" + j.id;
  if (jobs.count(key)) return BqError("duplicate", "Already Exists: Job " + project + ":" + j.location + "." + j.id);
  simdjson::dom::element config, load, query;
  if (job["configuration"].get(config) != simdjson::SUCCESS)
    return BqError("invalid", "Required parameter is missing: configuration");
  j.configuration = simdjson::minify(config);
  const bool is_load = config["load"].get(load) == simdjson::SUCCESS;
  const bool is_query = config["query"].get(query) == simdjson::SUCCESS;
  if (is_load == is_query) {
    return BqError("invalid", "Job configuration must contain exactly one job-specific configuration object");
  }
  j.creation_ms = NowMillis();
  j.email = "fake@" + project + ".iam.gserviceaccount.com";
  if (is_load) {
    j.type = "LOAD";
    simdjson::dom::element dest;
    if (load["destinationTable"].get(dest) != simdjson::SUCCESS) {
      return BqError("invalid", "Required parameter is missing: destinationTable");
    }
    j.dest_dataset = Str(dest, "datasetId");
    j.dest_table = Str(dest, "tableId");
    if (j.dest_table.find('$') != std::string::npos) {
      return BqError("invalid", "the fake does not implement partition decorators (matomo-etl never uses them)");
    }
    std::string format = Str(load, "sourceFormat");
    if (format != "NEWLINE_DELIMITED_JSON") {
      return BqError("invalid", "the fake loads only sourceFormat NEWLINE_DELIMITED_JSON (got '" +
                                    (format.empty() ? std::string("CSV, the default") : format) + "')");
    }
    j.write_disposition = Str(load, "writeDisposition");
    if (j.write_disposition.empty()) j.write_disposition = "WRITE_APPEND";
    j.create_disposition = Str(load, "createDisposition");
    if (j.create_disposition.empty()) j.create_disposition = "CREATE_IF_NEEDED";
    simdjson::dom::element schema;
    if (load["schema"].get(schema) == simdjson::SUCCESS) {
      METL_ASSIGN_OR_RETURN(j.schema, ParseFields(schema));
    }
    simdjson::dom::array uris;
    if (load["sourceUris"].get(uris) == simdjson::SUCCESS) {
      for (auto u : uris) {
        std::string_view s;
        if (u.get(s) == simdjson::SUCCESS) j.source_uris.emplace_back(s);
      }
    }
    if (media) {
      if (!j.source_uris.empty())
        return BqError("invalid", "A load job with a media upload cannot also have sourceUris");
      j.media = std::move(*media);
      j.has_media = true;
    } else if (j.source_uris.empty()) {
      return BqError("invalid", "Required parameter is missing: sourceUris");
    }
    // Quota: load jobs per table per day, failed ones included.
    int64_t& used = load_jobs_per_table_day[project + ":" + j.dest_dataset + "." + j.dest_table + "@" + Today()];
    if (used >= options.load_jobs_per_table_per_day) {
      j.error = {"quotaExceeded",
                 "Quota exceeded: Your table exceeded quota for imports or query appends per table. For more "
                 "information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas"};
    }
    ++used;
    ++stats.load_jobs;
  } else {
    j.type = "QUERY";
    j.query = Str(query, "query");
    if (j.query.empty()) return BqError("invalid", "Required parameter is missing: query");
    bool legacy = true;
    if (query["useLegacySql"].get(legacy) != simdjson::SUCCESS) legacy = true;  // BigQuery's default
    if (legacy) {
      return BqError("invalidQuery", "the fake runs GoogleSQL only: useLegacySql defaults to true, send false");
    }
    simdjson::dom::element def;
    if (query["defaultDataset"].get(def) == simdjson::SUCCESS) j.default_dataset = Str(def, "datasetId");
    j.info = AnalyzeScript(j.query);
    // unqualified names are tables of the default dataset
    std::set<std::string> mutated;
    for (const std::string& t : j.info.mutated_tables) {
      mutated.insert(t.find('.') == std::string::npos && !j.default_dataset.empty() ? j.default_dataset + "." + t : t);
    }
    j.info.mutated_tables = std::move(mutated);
    ++stats.query_jobs;
    if (j.info.transaction) ++stats.transactions;
  }
  if (TakeFault(BigQueryFault::Kind::kJobBackendError, "", j.type)) j.fail_backend = true;
  ++stats.jobs;
  jobs[key] = std::move(j);
  return key;
}

void BigQueryFake::Advance(BqJob& job) {
  if (job.state == "DONE") return;
  ++job.polls;
  if (job.state == "PENDING") {
    job.state = "RUNNING";
    job.start_ms = NowMillis();
    if (!job.error) Run(job);
  }
  if (job.polls >= options.polls_to_done) {
    job.state = "DONE";
    job.end_ms = NowMillis();
  }
}

void BigQueryFake::Run(BqJob& job) {
  if (job.fail_backend) {
    job.error = {"backendError", "Backend error. Job aborted."};
    return;
  }
  if (job.type == "LOAD") {
    RunLoad(job);
  } else {
    RunQuery(job);
  }
}

void BigQueryFake::RunLoad(BqJob& job) {
  BqStore& store = Store(job.project);
  auto location = store.DatasetLocation(job.dest_dataset);
  if (!location || Upper(*location) != Upper(job.location)) {
    job.error = {"notFound", "Not found: Dataset " + job.project + ":" + job.dest_dataset +
                                 " was not found in location " + job.location};
    return;
  }
  std::string data;
  if (job.has_media) {
    data = job.media;
    job.input_files = 1;
  } else {
    for (const std::string& uri : job.source_uris) {
      if (uri.rfind("gs://", 0) != 0) {
        job.error = {"invalid", "Source URI must be a Google Cloud Storage location: " + uri};
        return;
      }
      size_t slash = uri.find('/', 5);
      std::string bucket = uri.substr(5, slash == std::string::npos ? std::string::npos : slash - 5);
      std::string object = slash == std::string::npos ? "" : uri.substr(slash + 1);
      std::optional<std::string> content;
      if (options.read_gcs_object) content = options.read_gcs_object(bucket, object);
      if (!content) {
        job.error = {"notFound", "Not found: URI " + uri};
        return;
      }
      data += *content;
      if (!data.empty() && data.back() != '\n') data += '\n';
      ++job.input_files;
    }
  }
  job.input_bytes = static_cast<int64_t>(data.size());
  auto rows = store.LoadNdjson(job.dest_dataset, job.dest_table, data, job.schema, job.write_disposition,
                               job.create_disposition);
  if (!rows.ok()) {
    job.error = SplitBqError(rows.error());
    return;
  }
  job.output_rows = *rows;
}

void BigQueryFake::RunQuery(BqJob& job) {
  if (job.info.transaction) {
    std::string conflict;
    for (auto& [key, other] : jobs) {
      if (&other == &job || other.state != "RUNNING" || !other.info.transaction || other.error) continue;
      for (const std::string& t : job.info.mutated_tables) {
        if (other.info.mutated_tables.count(t)) conflict = t;
      }
    }
    if (conflict.empty() && TakeFault(BigQueryFault::Kind::kTransactionConflict, "", "QUERY")) {
      conflict = job.info.mutated_tables.empty() ? "unknown" : *job.info.mutated_tables.begin();
    }
    if (!conflict.empty()) {
      ++stats.cancelled_transactions;
      job.error = {"invalidQuery", "Transaction is aborted due to concurrent update against table " + job.project +
                                       ":" + conflict + ". Transaction ID: fake-" + job.id};
      return;
    }
  }
  BqStore& store = Store(job.project);
  for (const std::string& t : job.info.mutated_tables) {
    std::string dataset = t.substr(0, t.find('.'));
    auto location = store.DatasetLocation(dataset);
    if (location && Upper(*location) != Upper(job.location)) {
      job.error = {"notFound",
                   "Not found: Dataset " + job.project + ":" + dataset + " was not found in location " + job.location};
      return;
    }
  }
  auto out = store.RunScript(job.query, job.default_dataset);
  if (!out.ok()) {
    job.error = SplitBqError(out.error());
    return;
  }
  job.result = std::move(out).value();
}

std::string JobJson(const BqJob& j) {
  std::string config = j.configuration;
  config.insert(1, "\"jobType\":" + JsonStr(j.type) + (config.size() > 2 ? "," : ""));
  std::string out = "{\"kind\":\"bigquery#job\",\"id\":" + JsonStr(j.project + ":" + j.location + "." + j.id) +
                    ",\"jobReference\":{\"projectId\":" + JsonStr(j.project) + ",\"jobId\":" + JsonStr(j.id) +
                    ",\"location\":" + JsonStr(j.location) + "},\"configuration\":" + config +
                    ",\"user_email\":" + JsonStr(j.email) + ",\"status\":{\"state\":" + JsonStr(j.state);
  if (j.error && j.state == "DONE") {
    std::string e = "{\"reason\":" + JsonStr(j.error->first) + ",\"message\":" + JsonStr(j.error->second) + "}";
    out += ",\"errorResult\":" + e + ",\"errors\":[" + e + "]";
  }
  out += "},\"statistics\":{\"creationTime\":" + JsonStr(std::to_string(j.creation_ms));
  if (j.start_ms) out += ",\"startTime\":" + JsonStr(std::to_string(j.start_ms));
  if (j.end_ms) out += ",\"endTime\":" + JsonStr(std::to_string(j.end_ms));
  if (j.state == "DONE" && !j.error) {
    if (j.type == "LOAD") {
      out += ",\"load\":{\"inputFiles\":" + JsonStr(std::to_string(j.input_files)) +
             ",\"inputFileBytes\":" + JsonStr(std::to_string(j.input_bytes)) +
             ",\"outputRows\":" + JsonStr(std::to_string(j.output_rows)) +
             ",\"outputBytes\":" + JsonStr(std::to_string(j.input_bytes)) + ",\"badRecords\":\"0\"}";
    } else {
      out += ",\"query\":{\"statementType\":" + JsonStr(j.info.StatementType()) +
             ",\"totalBytesProcessed\":\"0\",\"totalBytesBilled\":\"0\",\"cacheHit\":false";
      if (j.info.StatementType() != "SELECT" && j.info.StatementType() != "SCRIPT") {
        out += ",\"numDmlAffectedRows\":" + JsonStr(std::to_string(j.result.dml_affected_rows));
      }
      out += "}";
    }
  }
  return out + "}}";
}

}  // namespace metl::gfake
