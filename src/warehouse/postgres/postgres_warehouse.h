// The PostgreSQL engine: `--warehouse postgres://USER@HOST:PORT/DB?schema=matomo` (or postgresql://).
// Only this folder includes libpq-fe.h; the rest of the program sees the Warehouse interface.
// A partition is replaced in ONE transaction: advisory lock, DELETE by (site_id, date), COPY FROM STDIN
// per table, ledger row, COMMIT. A killed load leaves an aborted transaction, i.e. nothing.
#pragma once

#include <memory>
#include <string_view>

#include "warehouse/warehouse.h"

namespace metl::warehouse {

// Parses the URI (a config error names what is wrong, never the password); connects lazily in
// Migrate/Connect, so that opening never blocks.
Result<std::unique_ptr<Warehouse>> OpenPostgresWarehouse(std::string_view uri, const WarehouseOptions& options = {});
// The same check of the URI, without a Warehouse.
Status CheckPostgresUri(std::string_view uri);

}  // namespace metl::warehouse
