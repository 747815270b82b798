// --request-log FILE: one JSON object per request, flushed per line so that tests can read it while
// the simulator runs. token_auth is never written (ApiRequest::params does not hold it).
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "core/error.h"
#include "sim/request.h"

namespace metl::sim {

struct RequestLogEntry {
  const ApiRequest* request = nullptr;
  std::string path;
  int status = 0;
  size_t bytes = 0;   // body bytes before compression (the cut point for a cut body)
  std::string fault;  // "" = none
  double duration_ms = 0;
};

// {"time":...,"http_method":"POST","path":"/index.php","api_method":"Live.getLastVisitsDetails",
//  "params":{...},"status":200,"bytes":123,"fault":null,"token_in_query":false,"token_in_body":true}
std::string FormatRequestLogLine(const RequestLogEntry& entry, int64_t now_epoch);

class RequestLog {
 public:
  static Result<std::unique_ptr<RequestLog>> Open(const std::string& path);
  ~RequestLog();
  void Write(const RequestLogEntry& entry);

 private:
  explicit RequestLog(std::FILE* f) : file_(f) {}
  std::FILE* file_;
  std::mutex mu_;
};

}  // namespace metl::sim
