#include "warehouse/clickhouse/ch_sql.h"

#include <algorithm>
#include <cctype>

namespace metl::warehouse::ch_engine {
namespace {

bool IdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Index past the quoted literal/identifier starting at s[i] (a quote char); backslash escapes.
size_t SkipQuoted(std::string_view s, size_t i) {
  const char q = s[i++];
  while (i < s.size()) {
    if (s[i] == '\\') {
      i += 2;
      continue;
    }
    if (s[i] == q) {
      if (q == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {  // '' inside a literal
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return i;
}

// DATE 'x' -> toDate('x'), TRUE/FALSE -> 1/0, outside quotes.
std::string RewriteTokens(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\'' || c == '"' || c == '`') {
      size_t end = SkipQuoted(s, i);
      out.append(s.substr(i, end - i));
      i = end;
      continue;
    }
    if (IdentChar(c) && (i == 0 || !IdentChar(s[i - 1]))) {
      size_t end = i;
      while (end < s.size() && IdentChar(s[end])) ++end;
      std::string word = Upper(s.substr(i, end - i));
      if (word == "TRUE" || word == "FALSE") {
        out += word == "TRUE" ? "1" : "0";
        i = end;
        continue;
      }
      if (word == "DATE") {
        size_t j = end;
        while (j < s.size() && s[j] == ' ') ++j;
        if (j < s.size() && s[j] == '\'') {
          size_t lit_end = SkipQuoted(s, j);
          out += "toDate(" + std::string(s.substr(j, lit_end - j)) + ")";
          i = lit_end;
          continue;
        }
      }
      out.append(s.substr(i, end - i));
      i = end;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.front())))) s.remove_prefix(1);
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) || s.back() == ';')) s.remove_suffix(1);
  return s;
}

std::string FirstWord(std::string_view s) {
  size_t end = 0;
  while (end < s.size() && IdentChar(s[end])) ++end;
  return Upper(s.substr(0, end));
}

}  // namespace

ChStatement TranslateStatement(std::string_view raw) {
  std::string_view sql = Trim(raw);
  ChStatement st;
  const std::string first = FirstWord(sql);
  if (first == "BEGIN" || first == "COMMIT" || first == "ROLLBACK" || first == "START") return st;
  std::string text = RewriteTokens(sql);
  st.is_write = !(first == "SELECT" || first == "WITH" || first == "SHOW" || first == "DESCRIBE" ||
                  first == "DESC" || first == "EXISTS" || first == "EXPLAIN" || first == "(");
  if (first == "DELETE") {
    // DELETE FROM <table> [WHERE ...]
    std::string_view rest = Trim(std::string_view(text).substr(6));
    if (FirstWord(rest) == "FROM") rest = Trim(rest.substr(4));
    size_t end = 0;
    if (!rest.empty() && (rest[0] == '`' || rest[0] == '"')) {
      end = SkipQuoted(rest, 0);
    } else {
      while (end < rest.size() && (IdentChar(rest[end]) || rest[end] == '.')) ++end;
    }
    std::string table(rest.substr(0, end));
    std::string_view tail = Trim(rest.substr(end));
    if (tail.empty()) {
      st.sql = "TRUNCATE TABLE " + table;
    } else {
      st.sql = "ALTER TABLE " + table + " DELETE " + std::string(tail);
      st.mutated_table = table;
      st.mutated_table.erase(std::remove(st.mutated_table.begin(), st.mutated_table.end(), '`'), st.mutated_table.end());
      st.mutated_table.erase(std::remove(st.mutated_table.begin(), st.mutated_table.end(), '"'), st.mutated_table.end());
    }
    return st;
  }
  st.sql = std::move(text);
  return st;
}

std::string ToLocalNames(std::string_view s, const std::vector<std::string>& names) {
  auto known = [&](std::string_view w) { return std::find(names.begin(), names.end(), w) != names.end(); };
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '`' || c == '"') {
      size_t end = SkipQuoted(s, i);
      std::string_view inner = s.substr(i + 1, end >= i + 2 ? end - i - 2 : 0);
      if (known(inner)) {
        out += c + std::string(inner) + "_local" + c;
      } else {
        out.append(s.substr(i, end - i));
      }
      i = end;
      continue;
    }
    if (c == '\'') {
      size_t end = SkipQuoted(s, i);
      out.append(s.substr(i, end - i));
      i = end;
      continue;
    }
    if (IdentChar(c) && (i == 0 || !IdentChar(s[i - 1]))) {
      size_t end = i;
      while (end < s.size() && IdentChar(s[end])) ++end;
      std::string_view word = s.substr(i, end - i);
      // A column reference t.col keeps `col`; a qualified name db.t is matched on `t`.
      bool after_dot = i > 0 && s[i - 1] == '.';
      out.append(word);
      if (known(word) && !after_dot) out += "_local";
      i = end;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

}  // namespace metl::warehouse::ch_engine
