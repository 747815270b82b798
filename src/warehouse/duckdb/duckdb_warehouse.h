// The DuckDB engine (embedded default): `--warehouse duckdb:PATH`. Only this folder includes
// duckdb.h; the rest of the program sees the Warehouse interface.
#pragma once

#include <memory>
#include <string>

#include "warehouse/warehouse.h"

namespace metl::warehouse {

// Opens (creating when missing) the DuckDB file. Extensions are never installed or downloaded.
Result<std::unique_ptr<Warehouse>> OpenDuckDbWarehouse(const std::string& path, const WarehouseOptions& options = {});
// Whether PATH can be opened for writing, checked without opening, creating or locking it: an existing
// file must be a readable and writable file; a missing one needs a writable folder (the nearest
// existing one, where its folders do not exist yet). A lock held by another process is only found
// by opening.
Status CheckDuckDbPath(const std::string& path);

}  // namespace metl::warehouse
