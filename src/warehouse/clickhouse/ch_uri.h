// The ClickHouse warehouse URI:
//   clickhouse://USER@HOST:8123/DB                       one server, over its HTTP interface
//   clickhouse://USER@HOST:8123/DB?cluster=NAME&shards=HOST1:PORT1,HOST2:PORT2
//                                                        a sharded cluster (remote_servers NAME), each
//                                                        shard's HTTP endpoint listed (the cluster's own
//                                                        config knows only native ports)
//   ?secure=1 (or clickhouses://) talks HTTPS.
// The password comes from CLICKHOUSE_PASSWORD; one in the URI works, with a warning. It travels only
// in an Authorization: Basic header, never in a URL, a log line or an error.
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
  std::string redacted;  // for messages: no password
  bool clustered() const { return !cluster.empty(); }
  std::string BaseUrl(size_t shard) const;  // http(s)://host:port/
};

bool IsClickHouseUri(std::string_view uri);
// `env_password`: CLICKHOUSE_PASSWORD's value, nullopt when unset.
Result<ChTarget> ParseClickHouseUri(std::string_view uri, std::optional<std::string> env_password);

}  // namespace metl::warehouse::ch_engine
