// OpenWarehouse: the one place that maps a --warehouse URL to an engine. A new engine adds one
// branch here and keeps everything else inside src/warehouse/<engine>/.
#include <algorithm>

#include "warehouse/duckdb/duckdb_warehouse.h"
#include "warehouse/postgres/postgres_warehouse.h"
#include "warehouse/warehouse.h"

namespace metl::warehouse {

Result<std::unique_ptr<Warehouse>> OpenWarehouse(std::string_view url, const WarehouseOptions& options) {
  auto starts = [&](std::string_view p) { return url.substr(0, p.size()) == p; };
  if (starts("duckdb:")) {
    std::string path(url.substr(7));
    if (path.substr(0, 2) == "//") path = path.substr(2);  // duckdb:///abs/path
    if (path.empty()) return Error(ErrorKind::kConfig, "--warehouse duckdb: needs a file path, e.g. duckdb:./matomo.duckdb");
    return OpenDuckDbWarehouse(path, options);
  }
  if (url.size() > 7 && url.substr(url.size() - 7) == ".duckdb" && url.find("://") == std::string_view::npos) {
    return OpenDuckDbWarehouse(std::string(url), options);
  }
  if (starts("postgres://") || starts("postgresql://")) {
    return OpenPostgresWarehouse(url, options);
  }
  // Only the scheme is echoed: the rest may hold a password.
  std::string scheme(url.substr(0, std::min(url.find(':'), size_t{20})));
  return Error(ErrorKind::kConfig, "unknown --warehouse scheme '" + scheme + "'")
      .WithHint("use duckdb:PATH or postgres://USER@HOST:PORT/DB?schema=matomo");
}

}  // namespace metl::warehouse
