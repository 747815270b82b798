#include "sim/request_log.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include "sim/php_json.h"

namespace metl::sim {

std::string FormatRequestLogLine(const RequestLogEntry& e, int64_t now_epoch) {
  std::string line = "{\"time\":" + std::to_string(now_epoch);
  const ApiRequest& r = *e.request;
  line += ",\"http_method\":" + PhpJsonString(r.http_method);
  line += ",\"path\":" + PhpJsonString(e.path);
  auto it = r.params.find("method");
  line += ",\"api_method\":" + (it == r.params.end() ? std::string("null") : PhpJsonString(it->second));
  line += ",\"params\":{";
  bool first = true;
  for (const auto& [k, v] : r.params) {
    if (!first) line += ',';
    first = false;
    line += PhpJsonString(k) + ":" + PhpJsonString(v);
  }
  line += "},\"status\":" + std::to_string(e.status);
  line += ",\"bytes\":" + std::to_string(e.bytes);
  line += ",\"fault\":" + (e.fault.empty() ? std::string("null") : PhpJsonString(e.fault));
  line += ",\"token_in_query\":" + std::string(r.token_in_query ? "true" : "false");
  line += ",\"token_in_body\":" + std::string(r.token_in_body ? "true" : "false");
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.1f", e.duration_ms);
  line += ",\"duration_ms\":" + std::string(ms) + "}\n";
  return line;
}

Result<std::unique_ptr<RequestLog>> RequestLog::Open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (f == nullptr) {
    return Error(ErrorKind::kConfig, "cannot open request log " + path + ": " + std::strerror(errno),
                 {.hint = "check that its directory exists and is writable"});
  }
  return std::unique_ptr<RequestLog>(new RequestLog(f));
}

RequestLog::~RequestLog() {
  std::fclose(file_);
}

void RequestLog::Write(const RequestLogEntry& entry) {
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  std::string line = FormatRequestLogLine(entry, now.count());
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
}

}  // namespace metl::sim
