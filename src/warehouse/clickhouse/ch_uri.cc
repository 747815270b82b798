#include "warehouse/clickhouse/ch_uri.h"

#include <cctype>
#include <cstdlib>

namespace metl::warehouse::ch_engine {
namespace {

Error UriError(const std::string& what) {
  return Error(ErrorKind::kConfig, "bad ClickHouse --warehouse URI: " + what)
      .WithHint(
          "use clickhouse://USER@HOST:8123/DB, or for a cluster "
          "clickhouse://USER@HOST:8123/DB?cluster=NAME&shards=HOST1:8123,HOST2:8123 (password in CLICKHOUSE_PASSWORD)");
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::strtol(std::string(s.substr(i + 1, 2)).c_str(), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

Result<ChEndpoint> ParseEndpoint(std::string_view s, int default_port) {
  ChEndpoint e;
  size_t colon = s.rfind(':');
  e.host = std::string(s.substr(0, colon));
  if (colon != std::string_view::npos) {
    std::string port(s.substr(colon + 1));
    if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5) {
      return UriError("the port of '" + std::string(s) + "' is not a number");
    }
    e.port = std::atoi(port.c_str());
  } else {
    e.port = default_port;
  }
  if (e.host.empty() || e.host.find_first_of("/?#@ ") != std::string::npos) {
    return UriError("bad host '" + e.host + "'");
  }
  if (e.port <= 0 || e.port > 65535) return UriError("port out of range in '" + std::string(s) + "'");
  return e;
}

bool ValidIdent(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

std::string ChTarget::BaseUrl(size_t shard) const {
  return std::string(secure ? "https://" : "http://") + shards[shard].ToString() + "/";
}

bool IsClickHouseUri(std::string_view uri) {
  return uri.substr(0, 13) == "clickhouse://" || uri.substr(0, 14) == "clickhouses://";
}

Result<ChTarget> ParseClickHouseUri(std::string_view uri, const ChPasswordSources& passwords) {
  ChTarget t;
  std::string_view rest;
  if (uri.substr(0, 13) == "clickhouse://") {
    rest = uri.substr(13);
  } else if (uri.substr(0, 14) == "clickhouses://") {
    rest = uri.substr(14);
    t.secure = true;
  } else {
    return UriError("it does not start with clickhouse://");
  }
  std::string_view query;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view path;
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    path = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  std::string_view hostport = rest;
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    hostport = rest.substr(at + 1);
    size_t colon = userinfo.find(':');
    t.user = PercentDecode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) {
      t.password = PercentDecode(userinfo.substr(colon + 1));
      t.password_in_uri = true;
    }
  }
  if (t.user.empty()) t.user = "default";
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (!path.empty()) t.database = PercentDecode(path);
  if (!ValidIdent(t.database)) return UriError("the database name '" + t.database + "' is not [A-Za-z0-9_]+");
  std::string shards;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    size_t eq = kv.find('=');
    std::string key(kv.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : PercentDecode(kv.substr(eq + 1));
    if (key == "cluster") {
      t.cluster = value;
    } else if (key == "shards") {
      shards = value;
    } else if (key == "secure") {
      t.secure = value == "1" || value == "true";
    } else if (key == "ca_file") {
      if (value.empty()) return UriError("ca_file= needs the path of a PEM CA bundle");
      t.ca_file = value;
    } else if (key == "password") {
      t.password = value;
      t.password_in_uri = true;
    } else {
      return UriError("unknown parameter '" + key + "' (known: cluster, shards, secure, ca_file)");
    }
  }
  // After the query: secure=1 changes the default port.
  METL_ASSIGN_OR_RETURN(ChEndpoint main, ParseEndpoint(hostport, t.secure ? 8443 : 8123));
  if (!t.cluster.empty() && !ValidIdent(t.cluster)) return UriError("the cluster name '" + t.cluster + "' is not [A-Za-z0-9_]+");
  if (t.cluster.empty() != shards.empty()) {
    return UriError("cluster= and shards= go together: the cluster's name and every shard's HTTP endpoint");
  }
  if (shards.empty()) {
    t.shards.push_back(main);
  } else {
    std::string_view s = shards;
    while (!s.empty()) {
      size_t comma = s.find(',');
      METL_ASSIGN_OR_RETURN(ChEndpoint e, ParseEndpoint(s.substr(0, comma), t.secure ? 8443 : 8123));
      t.shards.push_back(e);
      s = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 1);
    }
  }
  if (!t.ca_file.empty() && !t.secure) {
    return UriError("ca_file= verifies an HTTPS server: add secure=1 or use clickhouses://");
  }
  if (t.password_in_uri) {
    t.password_source = "the --warehouse URI";
  } else if (passwords.env && !passwords.env->empty()) {
    t.password = *passwords.env;
    t.password_source = "CLICKHOUSE_PASSWORD";
  } else if (passwords.config && !passwords.config->empty()) {
    t.password = *passwords.config;
    t.password_source = "clickhouse_password in the config file";
  }
  t.redacted = std::string(t.secure ? "clickhouses://" : "clickhouse://") + t.user + "@" + main.ToString() + "/" +
               t.database;
  if (t.clustered()) {
    t.redacted += "?cluster=" + t.cluster + "&shards=";
    for (size_t i = 0; i < t.shards.size(); ++i) t.redacted += (i ? "," : "") + t.shards[i].ToString();
  }
  return t;
}

}  // namespace metl::warehouse::ch_engine
