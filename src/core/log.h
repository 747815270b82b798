// Logging: plain lines for people ("2026-11-27T08:00:00Z INFO message key=value"), or one JSON
// object per line (--log-format json) for machines. Always to stderr, so stdout stays for output.
// Secrets are never passed in: the token lives only in matomo/ request bodies.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace metl {

enum class LogLevel { kDebug, kInfo, kWarn, kError };
enum class LogFormat { kText, kJson };

void SetLogLevel(LogLevel level);
void SetLogFormat(LogFormat format);
LogLevel CurrentLogLevel();
LogFormat CurrentLogFormat();
bool ParseLogLevel(std::string_view text, LogLevel& out);

using LogField = std::pair<std::string_view, std::string>;
void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

inline void LogDebug(std::string_view m, std::initializer_list<LogField> f = {}) { Log(LogLevel::kDebug, m, f); }
inline void LogInfo(std::string_view m, std::initializer_list<LogField> f = {}) { Log(LogLevel::kInfo, m, f); }
inline void LogWarn(std::string_view m, std::initializer_list<LogField> f = {}) { Log(LogLevel::kWarn, m, f); }
inline void LogError(std::string_view m, std::initializer_list<LogField> f = {}) { Log(LogLevel::kError, m, f); }

// Escapes a string for inclusion inside JSON double quotes.
std::string JsonEscape(std::string_view s);

}  // namespace metl
