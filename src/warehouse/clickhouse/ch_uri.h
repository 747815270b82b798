// The ClickHouse warehouse URI:
//   clickhouse://USER@HOST:8123/DB                       one server, over its HTTP interface
//   clickhouse://USER@HOST:8123/DB?cluster=NAME&shards=HOST1:PORT1,HOST2:PORT2
//                                                        a sharded cluster (remote_servers NAME), each
//                                                        shard's HTTP endpoint listed (the cluster's own
//                                                        config knows only native ports)
//   ?secure=1 (or clickhouses://) talks HTTPS, the server's certificate verified against the system's
//   CA bundle, or against ca_file=PATH (a PEM bundle: a private CA). Verification is never turned off.
// The password comes from the URI (works, with a warning), else CLICKHOUSE_PASSWORD, else the config
// file's clickhouse_password: the precedence of PostgreSQL's URI, PGPASSWORD, ~/.pgpass. It travels
// only in an Authorization: Basic header, never in a URL, a log line or an error.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace metl::warehouse::ch_engine {

struct ChEndpoint {
  std::string host;
  int port = 8123;
  std::string ToString() const { return host + ":" + std::to_string(port); }
};

struct ChTarget {
  std::string user = "default";
  std::string password;  // a secret: never logged
  std::string database = "default";
  bool secure = false;
  std::string cluster;             // "" = one server
  std::vector<ChEndpoint> shards;  // one entry for a single server; shard i = i-th of `shards=`
  bool password_in_uri = false;
  // Where the password came from, for the hint of an authentication error: "the --warehouse URI",
  // "CLICKHOUSE_PASSWORD", "clickhouse_password in the config file", or "" (none given).
  std::string password_source;
  std::string ca_file;   // ca_file=PATH: the CA bundle that verifies an HTTPS server ("" = the system's)
  std::string redacted;  // for messages: no password
  bool clustered() const { return !cluster.empty(); }
  std::string BaseUrl(size_t shard) const;  // http(s)://host:port/
};

bool IsClickHouseUri(std::string_view uri);
// Where a password may come from besides the URI, in order: CLICKHOUSE_PASSWORD's value (nullopt or
// empty when unset), then the config file's clickhouse_password.
struct ChPasswordSources {
  std::optional<std::string> env;
  std::optional<std::string> config;
};
Result<ChTarget> ParseClickHouseUri(std::string_view uri, const ChPasswordSources& passwords = {});

}  // namespace metl::warehouse::ch_engine
