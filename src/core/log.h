// Logging: plain lines for people ("2026-11-27T08:00:00Z INFO message key=value"), or one JSON
// object per line (--log-format json) for machines. Always to stderr, so stdout stays for output.
// Secrets are never passed in: the token lives only in matomo/ request bodies.
//
// A field's value keeps its type: numbers and booleans are written bare in JSON ({"visits":42}, not
// {"visits":"42"}) so that a log pipeline can sum and compare them; pass the number itself, never
// std::to_string of it. An empty optional is null.
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace metl {

enum class LogLevel { kDebug, kInfo, kWarn, kError };
enum class LogFormat { kText, kJson };

void SetLogLevel(LogLevel level);
void SetLogFormat(LogFormat format);
LogLevel CurrentLogLevel();
LogFormat CurrentLogFormat();
bool ParseLogLevel(std::string_view text, LogLevel& out);

class LogValue {
 public:
  enum class Kind { kText, kNumber, kBool, kNull, kNumberList };
  LogValue(std::string text) : kind_(Kind::kText), text_(std::move(text)) {}  // NOLINT: implicit on purpose
  LogValue(std::string_view text) : kind_(Kind::kText), text_(text) {}        // NOLINT
  LogValue(const char* text) : kind_(Kind::kText), text_(text ? text : "") {}  // NOLINT
  template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>)
  LogValue(T number) : kind_(Kind::kNumber), text_(std::to_string(number)) {}  // NOLINT
  LogValue(bool flag) : kind_(Kind::kBool), text_(flag ? "true" : "false") {}  // NOLINT
  LogValue(double number);                                                     // NOLINT; NaN/inf: null
  LogValue(std::nullopt_t) : kind_(Kind::kNull), text_("null") {}              // NOLINT
  // Ids (sites, visits): a JSON array [1,2] (never "1,2", which reads as text or, alone, as a number
  // in a string); 1,2 in text logs.
  LogValue(const std::vector<int64_t>& numbers);                               // NOLINT
  template <typename T>
  LogValue(const std::optional<T>& value) : LogValue(value ? LogValue(*value) : LogValue(std::nullopt)) {}  // NOLINT

  Kind kind() const { return kind_; }
  // The text, or the number/boolean/null/array as JSON writes it.
  const std::string& text() const { return text_; }

 private:
  Kind kind_;
  std::string text_;
};

using LogField = std::pair<std::string_view, LogValue>;
void Log(LogLevel level, std::string_view message, std::span<const LogField> fields);
inline void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {}) {
  Log(level, message, std::span<const LogField>(fields.begin(), fields.size()));
}

inline void LogDebug(std::string_view m, std::initializer_list<LogField> f = {}) { Log(LogLevel::kDebug, m, f); }
inline void LogInfo(std::string_view m, std::initializer_list<LogField> f = {}) { Log(LogLevel::kInfo, m, f); }
inline void LogWarn(std::string_view m, std::initializer_list<LogField> f = {}) { Log(LogLevel::kWarn, m, f); }
inline void LogError(std::string_view m, std::initializer_list<LogField> f = {}) { Log(LogLevel::kError, m, f); }

// Escapes a string for inclusion inside JSON double quotes.
std::string JsonEscape(std::string_view s);

}  // namespace metl
