#include "core/log.h"

#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>

#include "core/civil_date.h"

namespace metl {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::atomic<LogFormat> g_format{LogFormat::kText};
std::mutex g_mu;

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

}  // namespace

LogValue::LogValue(double number) : kind_(Kind::kNumber) {
  if (!std::isfinite(number)) {  // JSON has no NaN or infinity
    kind_ = Kind::kNull;
    text_ = "null";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, number);  // shortest text that reads back the same
  text_.assign(buf, ec == std::errc() ? end : buf);
}

LogValue::LogValue(const std::vector<int64_t>& numbers) : kind_(Kind::kNumberList), text_("[") {
  for (size_t i = 0; i < numbers.size(); ++i) text_ += (i ? "," : "") + std::to_string(numbers[i]);
  text_ += "]";
}

void SetLogLevel(LogLevel level) { g_level = level; }
void SetLogFormat(LogFormat format) { g_format = format; }
LogLevel CurrentLogLevel() { return g_level; }
LogFormat CurrentLogFormat() { return g_format; }

bool ParseLogLevel(std::string_view text, LogLevel& out) {
  for (LogLevel l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (text == LevelName(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

void Log(LogLevel level, std::string_view message, std::span<const LogField> fields) {
  if (level < g_level.load()) return;
  auto now = std::chrono::system_clock::now();
  int64_t secs = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  std::string ts = FormatDateTime(secs);
  ts[10] = 'T';
  ts += 'Z';
  std::string line;
  if (g_format.load() == LogFormat::kJson) {
    line = "{\"time\":\"" + ts + "\",\"level\":\"" + LevelName(level) + "\",\"message\":\"" + JsonEscape(message) + "\"";
    for (const auto& [k, v] : fields) {
      line += ",\"" + JsonEscape(k) + "\":";
      line += v.kind() == LogValue::Kind::kText ? "\"" + JsonEscape(v.text()) + "\"" : v.text();
    }
    line += "}\n";
  } else {
    line = ts + " " + LevelName(level) + " " + std::string(message);
    for (const auto& [k, v] : fields) {
      line += " " + std::string(k) + "=";
      const bool list = v.kind() == LogValue::Kind::kNumberList;  // [1,2] -> 1,2
      const std::string t = list ? v.text().substr(1, v.text().size() - 2) : v.text();
      bool quote = v.kind() == LogValue::Kind::kText && (t.empty() || t.find_first_of(" \"=") != std::string::npos);
      line += quote ? "\"" + JsonEscape(t) + "\"" : t;
    }
    line += "\n";
  }
  std::lock_guard<std::mutex> lock(g_mu);
  std::fputs(line.c_str(), stderr);
}

}  // namespace metl
