#include "warehouse/bigquery/bq_read_only.h"

#include <cctype>
#include <string>

namespace metl::warehouse::bq_engine {
namespace {

Error Refused(const std::string& why) {
  return Error(ErrorKind::kConfig, "`sql` on BigQuery runs one SELECT (or WITH ... SELECT) statement only: " + why)
      .WithHint("write a single query; to change data, use the BigQuery console or bq query");
}

// The end of the string, quoted name or comment starting at `i` (s[i] opens it), or npos if unclosed.
size_t SkipQuoted(std::string_view s, size_t i) {
  if (s.substr(i, 2) == "--" || s[i] == '#') {
    size_t end = s.find('\n', i);
    return end == std::string_view::npos ? s.size() : end + 1;
  }
  if (s.substr(i, 2) == "/*") {
    size_t end = s.find("*/", i + 2);
    return end == std::string_view::npos ? std::string_view::npos : end + 2;
  }
  const char q = s[i];
  const bool triple = s.substr(i, 3) == std::string(3, q);
  for (size_t j = i + (triple ? 3 : 1); j < s.size(); ++j) {
    if (s[j] == '\\') {
      ++j;
      continue;
    }
    if (triple ? s.substr(j, 3) == std::string(3, q) : s[j] == q) return j + (triple ? 3 : 1);
  }
  return std::string_view::npos;
}

bool Opens(std::string_view s, size_t i) {
  return s[i] == '\'' || s[i] == '"' || s[i] == '`' || s[i] == '#' || s.substr(i, 2) == "--" || s.substr(i, 2) == "/*";
}

}  // namespace

Status CheckReadOnlyQuery(std::string_view sql) {
  std::string first;
  bool after_semicolon = false;
  for (size_t i = 0; i < sql.size();) {
    if (Opens(sql, i)) {
      const bool comment = sql[i] == '#' || sql.substr(i, 2) == "--" || sql.substr(i, 2) == "/*";
      if (!comment && (first.empty() || after_semicolon)) {
        return Refused(after_semicolon ? "a second statement follows the first" : "it does not start with a keyword");
      }
      size_t end = SkipQuoted(sql, i);
      if (end == std::string_view::npos) return Refused("a string, quoted name or comment is not closed");
      i = end;
      continue;
    }
    const char c = sql[i];
    if (c == ';') {
      after_semicolon = true;
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      if (after_semicolon) return Refused("a second statement follows the first");
      if (first.empty()) {
        size_t j = i;
        while (j < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_')) {
          first += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[j])));
          ++j;
        }
        if (first != "SELECT" && first != "WITH") {
          return Refused("it starts with " + (first.empty() ? std::string("'") + c + "'" : first));
        }
        i = j;
        continue;
      }
    }
    ++i;
  }
  if (first.empty()) return Refused("no statement given");
  return OkStatus();
}

}  // namespace metl::warehouse::bq_engine
