#include "gfake/bigquery_sql.h"

#include <cctype>

namespace metl::gfake {
namespace {

enum class Tok { kSpace, kComment, kString, kQuotedName, kWord, kPunct };

struct Token {
  Tok kind;
  std::string text;  // kString: the decoded value; kQuotedName: the name inside the backticks; else as written
};

Error InvalidQuery(std::string message) {
  return Error(ErrorKind::kTerminal, "invalidQuery: " + std::move(message));
}

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// GoogleSQL string literal escapes (the subset: \\ \' \" \` \n \t \r \0).
Result<char> Unescape(char c) {
  switch (c) {
    case '\\':
    case '\'':
    case '"':
    case '`':
    case '?':
      return c;
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case '0':
      return '\0';
    default:
      return InvalidQuery(std::string("Illegal escape sequence: \\") + c);
  }
}

Result<std::vector<Token>> Tokenize(std::string_view sql) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    size_t start = i;
    if (std::isspace(static_cast<unsigned char>(c))) {
      while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
      out.push_back({Tok::kSpace, std::string(sql.substr(start, i - start))});
    } else if (c == '#' || (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-')) {
      while (i < sql.size() && sql[i] != '\n') ++i;
      std::string text(sql.substr(start, i - start));
      if (c == '#') text = "--" + text.substr(1);
      out.push_back({Tok::kComment, text});
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      if (end == std::string_view::npos) return InvalidQuery("Unclosed comment");
      i = end + 2;
      out.push_back({Tok::kComment, std::string(sql.substr(start, i - start))});
    } else if (c == '\'' || c == '"') {
      std::string value;
      ++i;
      while (true) {
        if (i >= sql.size() || sql[i] == '\n') return InvalidQuery("Unclosed string literal");
        if (sql[i] == c) break;
        if (sql[i] == '\\') {
          if (i + 1 >= sql.size()) return InvalidQuery("Unclosed string literal");
          METL_ASSIGN_OR_RETURN(char u, Unescape(sql[i + 1]));
          value += u;
          i += 2;
          continue;
        }
        value += sql[i++];
      }
      ++i;
      out.push_back({Tok::kString, value});
    } else if (c == '`') {
      size_t end = sql.find('`', i + 1);
      if (end == std::string_view::npos) return InvalidQuery("Unclosed identifier literal");
      out.push_back({Tok::kQuotedName, std::string(sql.substr(i + 1, end - i - 1))});
      i = end + 1;
    } else if (IsWordChar(c)) {
      while (i < sql.size() && IsWordChar(sql[i])) ++i;
      out.push_back({Tok::kWord, std::string(sql.substr(start, i - start))});
    } else {
      out.push_back({Tok::kPunct, std::string(1, c)});
      ++i;
    }
  }
  return out;
}

std::string QuoteDuckName(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::vector<std::string> SplitDots(std::string_view s) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    parts.emplace_back(s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

// The next token that is not space or comment, from `i` on; tokens.size() when none.
size_t NextSolid(const std::vector<Token>& tokens, size_t i) {
  while (i < tokens.size() && (tokens[i].kind == Tok::kSpace || tokens[i].kind == Tok::kComment)) ++i;
  return i;
}

bool IsWord(const std::vector<Token>& t, size_t i, std::string_view upper) {
  return i < t.size() && t[i].kind == Tok::kWord && Upper(t[i].text) == upper;
}

}  // namespace

Result<std::string> TranslateToDuckDb(std::string_view sql, std::string_view project) {
  METL_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(sql));
  std::string out;
  // Type names are not reserved in GoogleSQL (a column may be called `bytes` or `date`): a type word
  // is translated only where a type stands: after AS (CAST) or '<', before '(' or a string literal
  // (NUMERIC(18, 6), TIMESTAMP '...'), and after a column name in CREATE/ALTER statements.
  bool ddl = false, statement_start = true;
  const Token* prev = nullptr;  // the previous solid token
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind != Tok::kSpace && t.kind != Tok::kComment) {
      if (statement_start && t.kind == Tok::kWord) ddl = Upper(t.text) == "CREATE" || Upper(t.text) == "ALTER";
      statement_start = t.kind == Tok::kPunct && t.text == ";";
    }
    const Token* before = prev;
    if (t.kind != Tok::kSpace && t.kind != Tok::kComment) prev = &t;
    switch (t.kind) {
      case Tok::kSpace:
      case Tok::kComment:
      case Tok::kPunct:
        out += t.text;
        break;
      case Tok::kString: {
        out += '\'';
        for (char c : t.text) {
          if (c == '\'') out += '\'';
          out += c;
        }
        out += '\'';
        break;
      }
      case Tok::kQuotedName: {
        std::vector<std::string> parts = SplitDots(t.text);
        if (parts.size() == 3) {
          if (parts[0] != project) {
            return Error(ErrorKind::kTerminal, "notFound: Not found: Project " + parts[0]);
          }
          parts.erase(parts.begin());
        }
        if (parts.size() > 2) return InvalidQuery("Invalid table name: `" + t.text + "`");
        for (size_t p = 0; p < parts.size(); ++p) out += (p ? "." : "") + QuoteDuckName(parts[p]);
        break;
      }
      case Tok::kWord: {
        const std::string u = Upper(t.text);
        const size_t n = NextSolid(tokens, i + 1);
        const bool before_paren = n < tokens.size() && tokens[n].text == "(";
        const bool type_position =
            before_paren || (n < tokens.size() && tokens[n].kind == Tok::kString) ||
            (before && ((before->kind == Tok::kWord && Upper(before->text) == "AS") || before->text == "<" ||
                        (ddl && (before->kind == Tok::kWord || before->kind == Tok::kQuotedName))));
        if (!type_position)
          out += t.text;
        else if (u == "INT64")
          out += "BIGINT";
        else if (u == "FLOAT64")
          out += "DOUBLE";
        else if (u == "STRING")
          out += "VARCHAR";
        else if (u == "BOOL")
          out += "BOOLEAN";
        else if (u == "BYTES")
          out += "BLOB";
        else if (u == "BIGNUMERIC" || u == "BIGDECIMAL")
          out += before_paren ? "DECIMAL" : "DECIMAL(38,6)";
        else if (u == "NUMERIC" || u == "DECIMAL")
          out += before_paren ? "DECIMAL" : "DECIMAL(38,9)";
        else if (u == "TIMESTAMP")
          out += "TIMESTAMPTZ";
        else if (u == "DATETIME")
          out += "TIMESTAMP";
        else
          out += t.text;
        break;
      }
    }
  }
  return out;
}

std::string ScriptInfo::StatementType() const {
  if (statement_types.size() == 1) return statement_types[0];
  return "SCRIPT";
}

ScriptInfo AnalyzeScript(std::string_view sql) {
  ScriptInfo info;
  auto tokens = Tokenize(sql);
  if (!tokens.ok()) return info;  // TranslateToDuckDb reports the error
  const std::vector<Token>& t = *tokens;
  bool in_transaction = false;
  auto name_at = [&](size_t i) -> std::string {
    if (i >= t.size()) return "";
    if (t[i].kind == Tok::kQuotedName) {
      std::vector<std::string> parts = SplitDots(t[i].text);
      if (parts.size() == 3) parts.erase(parts.begin());
      return parts.size() == 2 ? parts[0] + "." + parts[1] : parts.back();
    }
    std::string name;
    while (i < t.size() && (t[i].kind == Tok::kWord || t[i].text == ".")) name += t[i++].text;
    return name;
  };
  size_t i = NextSolid(t, 0);
  while (i < t.size()) {
    std::string first = t[i].kind == Tok::kWord ? Upper(t[i].text) : "";
    std::string type;
    size_t n = NextSolid(t, i + 1);
    if (first == "SELECT" || first == "WITH" || t[i].text == "(") {
      type = "SELECT";
    } else if (first == "INSERT" || first == "DELETE" || first == "UPDATE" || first == "MERGE") {
      type = first;
      if (IsWord(t, n, "INTO") || IsWord(t, n, "FROM")) n = NextSolid(t, n + 1);
      info.mutated_tables.insert(name_at(n));
    } else if (first == "TRUNCATE") {
      type = "TRUNCATE_TABLE";
      info.mutated_tables.insert(name_at(NextSolid(t, n + 1)));
    } else if (first == "CREATE" || first == "DROP" || first == "ALTER") {
      bool temp = false;
      std::string object;
      for (size_t k = n; k < t.size() && object.empty(); k = NextSolid(t, k + 1)) {
        std::string w = Upper(t[k].text);
        if (w == "TEMP" || w == "TEMPORARY") temp = true;
        if (w == "TABLE" || w == "VIEW" || w == "SCHEMA" || w == "FUNCTION") object = w;
        if (t[k].kind != Tok::kWord) break;
      }
      type = first + "_" + (object.empty() ? "TABLE" : object);
      if (in_transaction && !temp) info.ddl_in_transaction = true;
    } else if (first == "BEGIN") {
      type = "BEGIN_TRANSACTION";
      info.transaction = in_transaction = true;
    } else if (first == "COMMIT" || first == "ROLLBACK") {
      type = first + "_TRANSACTION";
      in_transaction = false;
    } else {
      type = first.empty() ? "UNKNOWN" : first;
    }
    info.statement_types.push_back(type);
    // to the statement's end: the next top-level ';'
    int depth = 0;
    bool where = false;
    for (; i < t.size(); ++i) {
      if (t[i].text == "(") ++depth;
      if (t[i].text == ")") --depth;
      if (depth <= 0 && IsWord(t, i, "WHERE")) where = true;
      if (IsWord(t, i, "UNION") && !IsWord(t, NextSolid(t, i + 1), "ALL") &&
          !IsWord(t, NextSolid(t, i + 1), "DISTINCT"))
        info.bare_union = true;
      if (t[i].kind == Tok::kPunct && t[i].text == ";" && depth <= 0) break;
    }
    if ((type == "DELETE" || type == "UPDATE") && !where && info.dml_without_where.empty())
      info.dml_without_where = type;
    i = NextSolid(t, i + 1);
  }
  return info;
}

std::string BigQueryFunctionMacros() {
  return "CREATE OR REPLACE MACRO unix_seconds(t) AS CAST(floor(epoch_us(t) / 1000000) AS BIGINT);\n"
         "CREATE OR REPLACE MACRO unix_micros(t) AS epoch_us(t);\n"
         "CREATE OR REPLACE MACRO timestamp_micros(x) AS make_timestamptz(x);\n"
         "CREATE OR REPLACE MACRO timestamp_seconds(x) AS make_timestamptz(x * 1000000);\n"
         "CREATE OR REPLACE MACRO safe_divide(a, b) AS CASE WHEN b = 0 THEN NULL ELSE a / b END;\n";
}

}  // namespace metl::gfake
