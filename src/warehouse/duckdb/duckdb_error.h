// Errors of the DuckDB engine, with a hint where DuckDB's own message leaves the user guessing.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace metl::warehouse::duckdb_engine {

// "DuckDB: <message>"; an out-of-memory error names the option that sets the limit, a permission
// error (kConfig) what must be writable.
inline Error DuckDbError(std::string_view context, const char* message) {
  std::string text = message ? message : "unknown error";
  const bool out_of_memory = text.find("Out of Memory") != std::string::npos;
  if (text.find("Permission denied") != std::string::npos) {
    // The file opened, but DuckDB also writes <file>.wal (and spills to <file>.tmp/) next to it: a
    // folder this user may not write is the same configuration problem as an unwritable file (exit 2).
    return Error(ErrorKind::kConfig, std::string(context) + text)
        .WithHint(
            "make the DuckDB file and its folder writable by the user running matomo-etl (DuckDB writes "
            "<file>.wal and <file>.tmp/ next to the file), or point --warehouse elsewhere");
  }
  Error err(ErrorKind::kInternal, std::string(context) + text);
  if (!out_of_memory) return err;
  return std::move(err).WithHint(
      "DuckDB ran out of its memory limit: raise --duckdb-memory-mb (MATOMO_ETL_DUCKDB_MEMORY_MB), "
      "or free disk space for its spill folder next to the warehouse file");
}

}  // namespace metl::warehouse::duckdb_engine
