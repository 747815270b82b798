// ClickHouse's HTTP interface (libcurl through the shared HttpClient): statements, queries read as
// TabSeparatedWithNamesAndTypes, and INSERTs with a RowBinary body, each sent to one shard. 18.16
// sends no exception header: an error is the HTTP status plus a body starting "Code: N, ..." (newer
// servers: "Code: N. DB::Exception: ..."), so only the leading code is parsed.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "http/http_client.h"
#include "http/retry_policy.h"
#include "warehouse/clickhouse/ch_uri.h"
#include "warehouse/warehouse.h"

namespace metl::warehouse::ch_engine {

// "Code: 60, e.displayText() = DB::Exception: Table x doesn't exist." -> 60; 0 when absent.
int ParseErrorCode(std::string_view body);
// The server's error text without the "e.what() = ..." tail, cut to a readable length.
std::string ErrorText(std::string_view body);
// TabSeparatedWithNamesAndTypes -> QueryResult (\N = NULL; numeric types -> kNumber).
Result<QueryResult> ParseTsvWithNamesAndTypes(std::string_view body);
// ClickHouse's TSV escaping of one field (\t \n \\ \0 ...), undone.
std::string UnescapeTsv(std::string_view field);

class ChClient {
 public:
  ChClient(ChTarget target, std::shared_ptr<http::HttpClient> http, http::RetryOptions retry, bool read_only);

  const ChTarget& target() const { return target_; }
  size_t shard_count() const { return target_.shards.size(); }
  // "shard 2 (127.0.0.1:19123)" or "the server 127.0.0.1:8123", for messages.
  std::string ShardName(size_t shard) const;

  // A statement without result rows. `database`: false for statements run before it exists.
  Status Execute(size_t shard, std::string_view sql, bool database = true);
  Result<QueryResult> Query(size_t shard, std::string_view sql);
  // INSERT INTO `table` FORMAT RowBinary with `rows` (RowBinary bytes) as the body. Not retried: a
  // failed insert into staging is redone from a fresh staging table by the caller.
  Status InsertRowBinary(size_t shard, std::string_view table, std::string body);
  // GET /ping: whether the shard answers at all.
  bool Ping(size_t shard);

 private:
  Result<std::string> Post(size_t shard, const std::string& params, std::string body, bool retry);
  // What to do after a refused login: names where the password came from (CLICKHOUSE_PASSWORD...).
  std::string AuthHint() const;
  // What to do after a transport failure: an untrusted certificate names ca_file=.
  std::string TransportHint(const Error& e) const;

  ChTarget target_;
  std::shared_ptr<http::HttpClient> http_;
  http::RetryOptions retry_;
  bool read_only_;
};

}  // namespace metl::warehouse::ch_engine
