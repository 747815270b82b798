#include "warehouse/postgres/pg_uri.h"

#include <libpq-fe.h>

#include <vector>

#include "core/hex.h"

namespace metl::warehouse::pg_engine {
namespace {

// Percent-decoding of one query component ('+' stays '+', as libpq reads it).
Result<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) {
      return Error(ErrorKind::kConfig, "bad percent-encoding in the warehouse URI's parameters");
    }
    int hi = HexDigitValue(s[i + 1]);
    int lo = HexDigitValue(s[i + 2]);
    if (hi < 0 || lo < 0) return Error(ErrorKind::kConfig, "bad percent-encoding in the warehouse URI's parameters");
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

size_t SchemeLength(std::string_view uri) {
  if (uri.starts_with("postgres://")) return 11;
  if (uri.starts_with("postgresql://")) return 13;
  return 0;
}

}  // namespace

bool IsPostgresUri(std::string_view uri) {
  return SchemeLength(uri) != 0;
}

std::string RedactPgUri(std::string_view uri) {
  size_t scheme = SchemeLength(uri);
  if (scheme == 0) return "postgres://(unparsable URI)";
  std::string_view rest = uri.substr(scheme);
  size_t query_pos = rest.find('?');
  std::string_view authority_path = rest.substr(0, query_pos);
  std::string_view query = query_pos == std::string_view::npos ? std::string_view() : rest.substr(query_pos + 1);
  std::string out(uri.substr(0, scheme));
  // userinfo ends at the last '@' before the path (a password may contain '@' only percent-encoded,
  // but be generous and take the last one).
  size_t slash = authority_path.find('/');
  std::string_view authority = authority_path.substr(0, slash);
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    size_t colon = userinfo.find(':');
    out.append(userinfo.substr(0, colon));
    out.push_back('@');
    out.append(authority_path.substr(at + 1));
  } else {
    out.append(authority_path);
  }
  if (query_pos != std::string_view::npos) {
    std::string kept;
    for (std::string_view param : Split(query, '&')) {
      std::string_view key = param.substr(0, param.find('='));
      if (key == "password") continue;
      if (!kept.empty()) kept.push_back('&');
      kept.append(param);
    }
    if (!kept.empty()) out.append("?").append(kept);
  }
  return out;
}

Result<PgTarget> ParsePgUri(std::string_view uri) {
  size_t scheme = SchemeLength(uri);
  if (scheme == 0) {
    return Error(ErrorKind::kConfig, "not a PostgreSQL URI: " + RedactPgUri(uri))
        .WithHint("use postgres://USER@HOST:PORT/DB?schema=matomo");
  }
  PgTarget target;
  target.schema = std::string(kDefaultSchema);
  size_t query_pos = uri.find('?');
  std::string conninfo(uri.substr(0, query_pos));
  if (query_pos != std::string_view::npos) {
    std::string kept;
    for (std::string_view param : Split(uri.substr(query_pos + 1), '&')) {
      if (param.empty()) continue;
      size_t eq = param.find('=');
      METL_ASSIGN_OR_RETURN(std::string key, PercentDecode(param.substr(0, eq)));
      if (key == "schema") {
        if (eq == std::string_view::npos) return Error(ErrorKind::kConfig, "the warehouse URI's schema= is empty");
        METL_ASSIGN_OR_RETURN(target.schema, PercentDecode(param.substr(eq + 1)));
        continue;
      }
      if (!kept.empty()) kept.push_back('&');
      kept.append(param);
    }
    if (!kept.empty()) conninfo.append("?").append(kept);
  }
  if (target.schema.empty() || target.schema.find('\0') != std::string::npos || target.schema.size() > 63) {
    return Error(ErrorKind::kConfig, "bad schema name in the warehouse URI: " + RedactPgUri(uri))
        .WithHint("schema must be 1 to 63 characters, e.g. ?schema=matomo");
  }
  // libpq's own parser decides what else is valid (unknown parameters, bad ports, ...).
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &err);
  if (options == nullptr) {
    std::string message = err != nullptr ? err : "out of memory";
    if (err != nullptr) PQfreemem(err);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    return Error(ErrorKind::kConfig, "bad PostgreSQL URI " + RedactPgUri(uri) + ": " + message)
        .WithHint("see https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING");
  }
  PQconninfoFree(options);
  target.conninfo = std::move(conninfo);
  target.redacted = RedactPgUri(uri);
  return target;
}

}  // namespace metl::warehouse::pg_engine
