#include "warehouse/clickhouse/ch_client.h"

#include <cctype>
#include <cstdlib>

#include "core/base64.h"
#include "core/log.h"

namespace metl::warehouse::ch_engine {
namespace {

// Percent-encodes a URL parameter value (RFC 3986 unreserved characters stay).
std::string UrlEncode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

bool IsNumericType(std::string_view type) {
  if (type.substr(0, 9) == "Nullable(") type = type.substr(9);
  return type.substr(0, 3) == "Int" || type.substr(0, 4) == "UInt" || type.substr(0, 5) == "Float" ||
         type.substr(0, 7) == "Decimal";
}

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> out;
  while (true) {
    size_t tab = line.find('\t');
    out.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  return out;
}

// Server errors that a retry may cure: too many simultaneous queries (202), network errors between
// servers (209/210/279: a shard restarting), memory limit (241) is not one of them.
bool TransientCode(int code) { return code == 202 || code == 209 || code == 210 || code == 279 || code == 159; }

}  // namespace

int ParseErrorCode(std::string_view body) {
  size_t at = body.find("Code: ");
  if (at == std::string_view::npos || at > 16) return 0;
  return std::atoi(std::string(body.substr(at + 6, 8)).c_str());
}

std::string ErrorText(std::string_view body) {
  std::string_view s = body;
  if (size_t w = s.find(", e.what() = "); w != std::string_view::npos) s = s.substr(0, w);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  std::string out(s.substr(0, 1500));
  if (s.size() > 1500) out += "...";
  return out;
}

std::string UnescapeTsv(std::string_view f) {
  std::string out;
  out.reserve(f.size());
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '\\' || i + 1 == f.size()) {
      out += f[i];
      continue;
    }
    char c = f[++i];
    switch (c) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case '0': out += '\0'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'a': out += '\a'; break;
      case 'v': out += '\v'; break;
      default: out += c;  // \\ \' and anything else
    }
  }
  return out;
}

Result<QueryResult> ParseTsvWithNamesAndTypes(std::string_view body) {
  QueryResult r;
  std::vector<std::string_view> lines;
  while (!body.empty()) {
    size_t nl = body.find('\n');
    lines.push_back(body.substr(0, nl));
    if (nl == std::string_view::npos) break;
    body.remove_prefix(nl + 1);
  }
  if (lines.size() < 2) return r;  // a statement without a result
  for (auto name : SplitTabs(lines[0])) r.columns.push_back(UnescapeTsv(name));
  auto types = SplitTabs(lines[1]);
  for (size_t c = 0; c < r.columns.size(); ++c) {
    r.kinds.push_back(c < types.size() && IsNumericType(types[c]) ? ColumnKind::kNumber : ColumnKind::kText);
  }
  for (size_t l = 2; l < lines.size(); ++l) {
    auto fields = SplitTabs(lines[l]);
    if (fields.size() != r.columns.size()) {
      return Error(ErrorKind::kInternal, "ClickHouse returned a row of " + std::to_string(fields.size()) +
                                             " fields for " + std::to_string(r.columns.size()) + " columns");
    }
    std::vector<std::optional<std::string>> row;
    row.reserve(fields.size());
    for (auto f : fields) {
      if (f == "\\N") {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(UnescapeTsv(f));
      }
    }
    r.rows.push_back(std::move(row));
  }
  return r;
}

ChClient::ChClient(ChTarget target, std::shared_ptr<http::HttpClient> http, http::RetryOptions retry, bool read_only)
    : target_(std::move(target)), http_(std::move(http)), retry_(retry), read_only_(read_only) {}

std::string ChClient::ShardName(size_t shard) const {
  if (!target_.clustered()) return "the ClickHouse server " + target_.shards[shard].ToString();
  return "ClickHouse shard " + std::to_string(shard + 1) + " (" + target_.shards[shard].ToString() + ")";
}

Result<std::string> ChClient::Post(size_t shard, const std::string& params, std::string body, bool retry) {
  http::HttpRequest req;
  req.method = "POST";
  req.url = target_.BaseUrl(shard) + "?" + params;
  if (read_only_) req.url += "&readonly=1";
  // Basic auth, which every version takes (18.16 takes X-ClickHouse-User/Key too); never a URL parameter:
  // a URL ends up in the server's query log and in proxies' access logs.
  req.headers.emplace_back("Authorization", "Basic " + Base64Encode(target_.user + ":" + target_.password));
  req.headers.emplace_back("Content-Type", "application/octet-stream");
  req.body = std::move(body);
  http::RetryOptions opts = retry_;
  if (!retry) opts.max_retries = 0;
  http::RetryPolicy policy(opts);
  return policy.Run<std::string>([&](std::optional<double>&) -> Result<std::string> {
    auto r = http_->Send(req);
    if (!r.ok()) {
      Error e = std::move(r).error();
      const bool tls = e.message().find("TLS verification failed") != std::string::npos;
      return Error(e.kind(), ShardName(shard) + (tls ? ": " : " is unreachable: ") + e.message())
          .WithHint(TransportHint(e));
    }
    const int status = r->response.status;
    if (status == 200) return std::move(r->response.body);
    const std::string& b = r->response.body;
    const int code = ParseErrorCode(b);
    ErrorKind kind = TransientCode(code) || status == 503 ? ErrorKind::kTransient : ErrorKind::kTerminal;
    std::string hint;
    if (status == 401 || status == 403 || code == 192 || code == 193 || code == 194 || code == 516) {
      kind = ErrorKind::kConfig;
      hint = AuthHint();
    } else if (code == 81) {
      kind = ErrorKind::kConfig;
      hint = "create the database first (CREATE DATABASE " + target_.database + ") or fix its name in --warehouse";
    } else if (code == 164) {
      hint = "this command only reads; the user may also be read-only in ClickHouse";
    } else if (code == 279 || code == 210 || code == 209) {
      hint = "a shard of the cluster is down or unreachable: start it again, then rerun";
    }
    Error e = Error(kind, ShardName(shard) + ": " + ErrorText(b)).WithHttpStatus(status);
    if (!hint.empty()) e = Error(std::move(e).WithHint(hint));
    return e;
  });
}

std::string ChClient::AuthHint() const {
  const std::string& from = target_.password_source;
  if (from.empty()) {
    return "no password was given for user " + target_.user +
           ": export CLICKHOUSE_PASSWORD=... (or set clickhouse_password in the config file, mode 0600)";
  }
  return "check the user (" + target_.user + ") in --warehouse and the password, which came from " + from +
         (from == "CLICKHOUSE_PASSWORD" ? "" : " (CLICKHOUSE_PASSWORD is used when the URI has none)");
}

std::string ChClient::TransportHint(const Error& e) const {
  const std::string& m = e.message();
  if (m.find("TLS verification failed") != std::string::npos) {
    return "the server's certificate is not trusted: give the CA that signed it as ca_file=PATH in --warehouse "
           "(clickhouses://USER@HOST:8443/DB?ca_file=/path/ca.pem), or install that CA in the system's bundle";
  }
  if (target_.secure && (m.find("SSL") != std::string::npos || m.find("TLS") != std::string::npos)) {
    return "check that --warehouse names the server's HTTPS port (<https_port>, 8443 by default), or drop "
           "secure=1 / clickhouses:// for its plain HTTP port";
  }
  return "check that it runs and that --warehouse names its HTTP port (8123 by default; HTTPS: 8443)";
}

Status ChClient::Execute(size_t shard, std::string_view sql, bool database) {
  std::string params = database ? "database=" + target_.database : std::string();
  METL_ASSIGN_OR_RETURN(std::string body, Post(shard, params, std::string(sql), /*retry=*/true));
  (void)body;
  return OkStatus();
}

Result<QueryResult> ChClient::Query(size_t shard, std::string_view sql) {
  std::string q(sql);
  while (!q.empty() && (q.back() == ';' || q.back() == ' ' || q.back() == '\n')) q.pop_back();
  METL_ASSIGN_OR_RETURN(std::string body, Post(shard, "database=" + target_.database,
                                               q + "\nFORMAT TabSeparatedWithNamesAndTypes", /*retry=*/true));
  return ParseTsvWithNamesAndTypes(body);
}

Status ChClient::InsertRowBinary(size_t shard, std::string_view table, std::string body) {
  std::string params = "database=" + target_.database + "&query=" +
                       UrlEncode("INSERT INTO " + std::string(table) + " FORMAT RowBinary");
  METL_ASSIGN_OR_RETURN(std::string r, Post(shard, params, std::move(body), /*retry=*/false));
  (void)r;
  return OkStatus();
}

bool ChClient::Ping(size_t shard) {
  http::HttpRequest req;
  req.url = target_.BaseUrl(shard) + "ping";
  auto r = http_->Send(req);
  return r.ok() && r->response.status == 200;
}

}  // namespace metl::warehouse::ch_engine
