// The DuckDB engine (embedded default): `--warehouse duckdb:PATH`. Only this folder includes
// duckdb.h; the rest of the program sees the Warehouse interface.
#pragma once

#include <memory>
#include <string>

#include "warehouse/warehouse.h"

namespace metl::warehouse {

// Opens (creating when missing) the DuckDB file. Extensions are never installed or downloaded.
Result<std::unique_ptr<Warehouse>> OpenDuckDbWarehouse(const std::string& path, const WarehouseOptions& options = {});

}  // namespace metl::warehouse
