// The BigQuery fake's HTTP routes (bigquery_fake.h), internal to src/gfake/: one handler per REST
// method, split by concept: bigquery_routes.cc (authentication, injected HTTP faults, discovery
// checks, datasets, tables, registration), bigquery_job_routes.cc (jobs, query results, the test
// controls) and bigquery_upload_routes.cc (the media upload: multipart and resumable). The work is
// in bigquery_jobs.cc and bigquery_store.cc.
#pragma once

#include <simdjson.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "gfake/bigquery_fake_state.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace metl::gfake {
namespace bq_http {

std::string Str(simdjson::dom::element e, std::string_view key);
// BigQuery's HTTP code for an error reason (https://cloud.google.com/bigquery/docs/error-messages).
int HttpCodeOf(const std::string& reason);
// BigQuery's error envelope: {"error":{"code","message","errors":[{"message","domain","reason"}],"status"}}.
void SendError(httplib::Response& res, int code, const std::string& reason, const std::string& message);
void SendBqError(httplib::Response& res, const Error& e);
void SendJson(httplib::Response& res, const std::string& body);
std::string DatasetJson(const std::string& project, const std::string& dataset, const std::string& location);
std::string TableJson(const std::string& project, const BqTable& t, int64_t rows);
// "12345" (micros) -> "1.2345E-2": TIMESTAMP cells without formatOptions.useInt64Timestamp are float
// seconds in scientific notation.
std::string FloatSeconds(const std::string& micros);

}  // namespace bq_http

class BqRoutes {
 public:
  explicit BqRoutes(std::shared_ptr<BigQueryFake> fake) : fake_(std::move(fake)) {}

  // bigquery_routes.cc
  // Authentication and injected HTTP faults; false when the response is already made.
  bool Guard(const httplib::Request& req, httplib::Response& res, const std::string& api);
  bool CheckToken(const httplib::Request& req, httplib::Response& res);
  bool InjectedFault(const httplib::Request& req, httplib::Response& res, const std::string& api);
  // The body against the discovery document; false (400) when it does not conform.
  bool CheckBody(const std::string& schema, const std::string& body, httplib::Response& res);
  void DatasetGet(const httplib::Request& req, httplib::Response& res);
  void DatasetInsert(const httplib::Request& req, httplib::Response& res);
  void TableGet(const httplib::Request& req, httplib::Response& res);
  void TableDelete(const httplib::Request& req, httplib::Response& res);
  void TableInsert(const httplib::Request& req, httplib::Response& res);

  // bigquery_job_routes.cc
  void InsertJob(const httplib::Request& req, httplib::Response& res, const std::string& body,
                 std::optional<std::string> media);
  void JobInsert(const httplib::Request& req, httplib::Response& res);
  // The job of the path, checking `location` as BigQuery does outside the US and EU multi-regions.
  BqJob* FindJob(const httplib::Request& req, httplib::Response& res);
  void JobGet(const httplib::Request& req, httplib::Response& res);
  void QueryResults(const httplib::Request& req, httplib::Response& res);
  void Faults(const httplib::Request& req, httplib::Response& res);
  void Stats(const httplib::Request& req, httplib::Response& res);

  // bigquery_upload_routes.cc
  void UploadPost(const httplib::Request& req, httplib::Response& res);
  void UploadPut(const httplib::Request& req, httplib::Response& res);
  void UploadCancel(const httplib::Request& req, httplib::Response& res);

 private:
  std::shared_ptr<BigQueryFake> fake_;
};

}  // namespace metl::gfake
