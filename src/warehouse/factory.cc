// OpenWarehouse and CheckWarehouseUrl: the one place that maps a --warehouse URL to an engine. A new
// engine adds one branch to ParseUrl and keeps everything else inside src/warehouse/<engine>/.
#include <algorithm>

#include "warehouse/bigquery/bq_uri.h"
#include "warehouse/bigquery/bq_warehouse.h"
#include "warehouse/clickhouse/ch_warehouse.h"
#include "warehouse/duckdb/duckdb_warehouse.h"
#include "warehouse/postgres/postgres_warehouse.h"
#include "warehouse/warehouse.h"

namespace metl::warehouse {
namespace {

struct ParsedUrl {
  std::string_view engine;
  std::string target;  // duckdb: the file path; postgres: the whole URI
};

Result<ParsedUrl> ParseUrl(std::string_view url) {
  auto starts = [&](std::string_view p) { return url.substr(0, p.size()) == p; };
  if (starts("duckdb:")) {
    std::string path(url.substr(7));
    if (path.substr(0, 2) == "//") path = path.substr(2);  // duckdb:///abs/path
    if (path.empty()) return Error(ErrorKind::kConfig, "--warehouse duckdb: needs a file path, e.g. duckdb:./matomo.duckdb");
    return ParsedUrl{"duckdb", path};
  }
  if (url.size() > 7 && url.substr(url.size() - 7) == ".duckdb" && url.find("://") == std::string_view::npos) {
    return ParsedUrl{"duckdb", std::string(url)};
  }
  if (starts("postgres://") || starts("postgresql://")) return ParsedUrl{"postgres", std::string(url)};
  if (starts("bigquery://")) return ParsedUrl{"bigquery", std::string(url)};
  if (starts("clickhouse://") || starts("clickhouses://")) return ParsedUrl{"clickhouse", std::string(url)};
  // Only the scheme is echoed: the rest may hold a password.
  std::string scheme(url.substr(0, std::min(url.find(':'), size_t{20})));
  return Error(ErrorKind::kConfig, "unknown --warehouse scheme '" + scheme + "'")
      .WithHint("use duckdb:PATH, postgres://USER@HOST:PORT/DB?schema=matomo bigquery://PROJECT/DATASET?location=EU or clickhouse://USER@HOST:8123/DB");
}

}  // namespace

Result<std::unique_ptr<Warehouse>> OpenWarehouse(std::string_view url, const WarehouseOptions& options) {
  METL_ASSIGN_OR_RETURN(ParsedUrl parsed, ParseUrl(url));
  if (parsed.engine == "duckdb") return OpenDuckDbWarehouse(parsed.target, options);
  if (parsed.engine == "bigquery") {
    BigQueryOptions bq;
    bq.read_only = options.read_only;  // `matomo-etl sql`: one SELECT / WITH query (bq_read_only.h)
    bq.landing = options.landing;
    bq.dry_run = options.dry_run;
    return OpenBigQueryWarehouseWithDefaultCredentials(parsed.target, bq);
  }
  if (options.dry_run) {
    return Error(ErrorKind::kInternal, "a dry run opens only a BigQuery warehouse (" + std::string(parsed.engine) + ")");
  }
  if (parsed.engine == "clickhouse") return OpenClickHouseWarehouse(parsed.target, options);
  return OpenPostgresWarehouse(parsed.target, options);
}

Result<WarehouseLocation> CheckWarehouseUrl(std::string_view url) {
  METL_ASSIGN_OR_RETURN(ParsedUrl parsed, ParseUrl(url));
  WarehouseLocation where;
  where.engine = parsed.engine;
  if (parsed.engine == "duckdb") {
    METL_TRY(CheckDuckDbPath(parsed.target));
    where.file = parsed.target;
    std::error_code ec;
    where.file_exists = std::filesystem::exists(where.file, ec);
    return where;
  }
  if (parsed.engine == "bigquery") {
    // The URI only: credentials and the dataset are checked when the load opens it.
    METL_TRY(bq_engine::ParseBigQueryUri(parsed.target, std::nullopt));
    return where;
  }
  if (parsed.engine == "clickhouse") {
    METL_TRY(CheckClickHouseUri(parsed.target));
    return where;
  }
  METL_TRY(CheckPostgresUri(parsed.target));
  return where;
}

}  // namespace metl::warehouse
