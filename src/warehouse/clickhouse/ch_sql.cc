#include "warehouse/clickhouse/ch_sql.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace metl::warehouse::ch_engine {
namespace {

std::string_view Trim(std::string_view s);

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

// The table name at the start of `rest` (plain, `quoted` or "quoted"), and its length.
size_t TableNameLength(std::string_view rest) {
  if (!rest.empty() && (rest[0] == '`' || rest[0] == '"')) return SkipQuoted(rest, 0);
  size_t end = 0;
  while (end < rest.size() && (IdentChar(rest[end]) || rest[end] == '.')) ++end;
  return end;
}

std::string Unquoted(std::string name) {
  name.erase(std::remove(name.begin(), name.end(), '`'), name.end());
  name.erase(std::remove(name.begin(), name.end(), '"'), name.end());
  return name;
}

// A mutation's condition names columns bare: "t.col" and "`t`.col" lose their qualifier, and the
// loader's correlated NOT EXISTS over the ledger (which ClickHouse does not have) becomes a NOT IN
// over a tuple: (site_id, d) NOT IN (SELECT site_id, ld FROM ledger).
std::string MutationCondition(std::string cond, const std::string& table) {
  for (const std::string& q : {"`" + table + "`.", "\"" + table + "\".", table + "."}) {
    for (size_t at = cond.find(q); at != std::string::npos; at = cond.find(q, at)) cond.erase(at, q.size());
  }
  static const std::regex not_exists(
      R"(NOT\s+EXISTS\s*\(\s*SELECT\s+1\s+FROM\s+(\S+)\s+l\s+WHERE\s+l\.site_id\s*=\s*site_id\s+AND\s+l\.(\S+)\s*=\s*([^\s)]+)\s*\))",
      std::regex::icase);
  return std::regex_replace(cond, not_exists, "(site_id, $3) NOT IN (SELECT site_id, $2 FROM $1)");
}

// CAST('2026-11-27 09:00:00+00' AS TIMESTAMPTZ) -> parseDateTimeBestEffort('...').
std::string RewriteTimestampCasts(const std::string& sql) {
  static const std::regex cast(R"(CAST\s*\(\s*('[^']*')\s+AS\s+TIMESTAMP(TZ)?\s*\))", std::regex::icase);
  return std::regex_replace(sql, cast, "parseDateTimeBestEffort($1)");
}

// Index of the ')' closing the '(' at s[open], quotes and nesting respected; npos when unbalanced.
size_t MatchingParen(std::string_view s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size();) {
    const char c = s[i];
    if (c == '\'' || c == '"' || c == '`') {
      i = SkipQuoted(s, i);
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) return i;
    ++i;
  }
  return std::string_view::npos;
}

// The position of the last top-level (not nested, not quoted) occurrence of `word` (upper case,
// surrounded by spaces) in s; npos when none.
size_t LastTopLevelWord(std::string_view s, std::string_view word) {
  size_t found = std::string_view::npos;
  int depth = 0;
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '\'' || c == '"' || c == '`') {
      i = SkipQuoted(s, i);
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && i + word.size() <= s.size() && Upper(s.substr(i, word.size())) == word) found = i;
    ++i;
  }
  return found;
}

// The portable functions ClickHouse spells differently, rewritten with their parentheses matched:
//   CAST(x AS VARCHAR|TEXT|STRING) -> toString(x)   (also for a Nullable x, which CAST refuses on 18.16)
//   EXTRACT(EPOCH FROM x)          -> toInt64(toUnixTimestamp(x))
std::string RewriteFunctions(std::string_view s) {
  std::string out;
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
      const std::string word = Upper(s.substr(i, end - i));
      if ((word == "CAST" || word == "EXTRACT") && end < s.size() && s[end] == '(') {
        const size_t close = MatchingParen(s, end);
        if (close != std::string_view::npos) {
          std::string_view inner = s.substr(end + 1, close - end - 1);
          if (word == "CAST") {
            size_t as = LastTopLevelWord(inner, " AS ");
            if (as != std::string_view::npos) {
              std::string type = Upper(Trim(inner.substr(as + 4)));
              if (type == "VARCHAR" || type == "TEXT" || type == "STRING") {
                out += "toString(" + RewriteFunctions(inner.substr(0, as)) + ")";
                i = close + 1;
                continue;
              }
            }
          } else {
            std::string_view rest = Trim(inner);
            if (Upper(rest.substr(0, 5)) == "EPOCH") {
              rest = Trim(rest.substr(5));
              if (Upper(rest.substr(0, 5)) == "FROM ") {
                out += "toInt64(toUnixTimestamp(" + RewriteFunctions(rest.substr(5)) + "))";
                i = close + 1;
                continue;
              }
            }
          }
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
  std::string text = RewriteFunctions(RewriteTimestampCasts(RewriteTokens(sql)));
  st.is_write = !(first == "SELECT" || first == "WITH" || first == "SHOW" || first == "DESCRIBE" ||
                  first == "DESC" || first == "EXISTS" || first == "EXPLAIN" || first == "(");
  if (first == "DELETE") {
    // DELETE FROM <table> [WHERE ...]
    std::string_view rest = Trim(std::string_view(text).substr(6));
    if (FirstWord(rest) == "FROM") rest = Trim(rest.substr(4));
    const size_t end = TableNameLength(rest);
    std::string table(rest.substr(0, end));
    std::string_view tail = Trim(rest.substr(end));
    if (tail.empty()) {
      st.sql = "TRUNCATE TABLE " + table;
    } else {
      st.mutated_table = Unquoted(table);
      const std::string cond = MutationCondition(std::string(tail), st.mutated_table);
      st.sql = "ALTER TABLE " + table + " DELETE " + cond;
      st.precheck_sql = "SELECT count() FROM " + table + " " + cond;
    }
    return st;
  }
  if (first == "UPDATE") {
    // UPDATE <table> SET ... WHERE ... -> ALTER TABLE <table> UPDATE ... WHERE ...
    std::string_view rest = Trim(std::string_view(text).substr(6));
    const size_t end = TableNameLength(rest);
    std::string table(rest.substr(0, end));
    std::string_view tail = Trim(rest.substr(end));
    if (FirstWord(tail) == "SET") tail = Trim(tail.substr(3));
    st.mutated_table = Unquoted(table);
    st.sql = "ALTER TABLE " + table + " UPDATE " + MutationCondition(std::string(tail), st.mutated_table);
    return st;
  }
  st.sql = std::move(text);
  return st;
}

std::string GlobalJoins(std::string_view s) {
  static const std::vector<std::string> kJoinWords = {"ANY", "ALL", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS"};
  struct Word {
    size_t begin, end;
    std::string upper;
  };
  std::vector<Word> words;  // outside quotes
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '\'' || c == '"' || c == '`') {
      i = SkipQuoted(s, i);
      continue;
    }
    if (IdentChar(c) && (i == 0 || !IdentChar(s[i - 1]))) {
      size_t end = i;
      while (end < s.size() && IdentChar(s[end])) ++end;
      words.push_back({i, end, Upper(s.substr(i, end - i))});
      i = end;
      continue;
    }
    ++i;
  }
  std::vector<size_t> inserts;
  for (size_t w = 0; w < words.size(); ++w) {
    if (words[w].upper != "JOIN") continue;
    size_t first = w;
    while (first > 0 && std::find(kJoinWords.begin(), kJoinWords.end(), words[first - 1].upper) != kJoinWords.end()) {
      --first;
    }
    if (first > 0 && words[first - 1].upper == "GLOBAL") continue;
    inserts.push_back(words[first].begin);
  }
  std::string out(s);
  for (auto it = inserts.rbegin(); it != inserts.rend(); ++it) out.insert(*it, "GLOBAL ");
  return out;
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
