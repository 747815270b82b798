// The BigQuery fake's state behind its routes (bigquery_routes.cc): projects' stores, jobs and
// their lifecycle (bigquery_jobs.cc), faults, counters. Internal to src/gfake/.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "gfake/bigquery_discovery.h"
#include "gfake/bigquery_fake.h"
#include "gfake/bigquery_sql.h"
#include "gfake/bigquery_store.h"

namespace metl::gfake {

struct BqJob {
  std::string project, id, location;
  std::string type;           // "LOAD" or "QUERY"
  std::string configuration;  // the inserted configuration object, minified
  std::string email;
  std::string state = "PENDING";
  int polls = 0;
  std::optional<std::pair<std::string, std::string>> error;  // reason, message
  int64_t creation_ms = 0, start_ms = 0, end_ms = 0;
  // load
  std::string dest_dataset, dest_table, write_disposition, create_disposition;
  std::vector<BqField> schema;
  std::vector<std::string> source_uris;
  std::string media;
  bool has_media = false;
  int64_t input_files = 0, input_bytes = 0, output_rows = 0;
  // query
  std::string query;
  std::string default_dataset;  // configuration.query.defaultDataset.datasetId
  ScriptInfo info;
  BqQueryOutput result;
  bool fail_backend = false;  // an injected backendError
};

// A resumable media upload of a load job (its Job body, the bytes so far), and once complete the
// final answer every later request to the session gets again.
struct BqUpload {
  std::string project, job_body;
  std::string data;
  int64_t total = -1;  // -1 until known
  bool finished = false;
  std::string job_key;     // the inserted job ("project:jobId"); "" when the insert failed
  int final_status = 503;  // until the insert has answered
  std::string final_body;
};

class BigQueryFake {
 public:
  explicit BigQueryFake(BigQueryFakeOptions options);

  BigQueryFakeOptions options;
  std::unique_ptr<DiscoveryChecker> discovery;
  std::mutex mu;
  std::map<std::string, std::unique_ptr<BqStore>> stores;  // by project
  std::map<std::string, BqJob> jobs;                       // "project:jobId"
  std::map<std::string, BqUpload> uploads;                 // upload_id
  std::map<std::string, int64_t> load_jobs_per_table_day;  // "project:dataset.table@day"
  std::deque<BigQueryFault> faults;
  BigQueryStats stats;
  int64_t next_upload = 1;

  BqStore& Store(const std::string& project);  // mu held
  // Validates and registers a job (jobs.insert); returns the job's key or an error (duplicate...).
  Result<std::string> InsertJob(const std::string& project, const std::string& body, std::optional<std::string> media);
  // One poll: moves the job one step towards DONE, running it when it starts. mu held.
  void Advance(BqJob& job);
  // The first fault of `kind` matching, consumed; nullopt when none. mu held.
  std::optional<BigQueryFault> TakeFault(BigQueryFault::Kind kind, const std::string& api, const std::string& job_type);

 private:
  void Run(BqJob& job);
  void RunLoad(BqJob& job);
  void RunQuery(BqJob& job);
};

std::string JobJson(const BqJob& job);
std::string FieldsJson(const std::vector<BqField>& fields);
std::string JsonStr(std::string_view s);
int64_t NowMillis();

}  // namespace metl::gfake
