// Errors of the DuckDB engine, with a hint where DuckDB's own message leaves the user guessing.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace metl::warehouse::duckdb_engine {

// "DuckDB: <message>"; an out-of-memory error names the option that sets the limit.
inline Error DuckDbError(std::string_view context, const char* message) {
  std::string text = message ? message : "unknown error";
  const bool out_of_memory = text.find("Out of Memory") != std::string::npos;
  Error err(ErrorKind::kInternal, std::string(context) + text);
  if (!out_of_memory) return err;
  return std::move(err).WithHint(
      "DuckDB ran out of its memory limit: raise --duckdb-memory-mb (MATOMO_ETL_DUCKDB_MEMORY_MB), "
      "or free disk space for its spill folder next to the warehouse file");
}

}  // namespace metl::warehouse::duckdb_engine
