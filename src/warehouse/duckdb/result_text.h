// Renders a DuckDB query result as text, one typed vector at a time (Session::Query). The deprecated
// duckdb_value_varchar gives nullptr for several types (TIMESTAMPTZ among them), which made every
// timestamptz column read as "" and let table comparisons pass on empty strings; here every
// supported type has its own rendering, in PostgreSQL's text forms where the two engines share a type:
//   TIMESTAMPTZ  2026-11-25 23:19:02+00   (UTC; fraction only when non-zero, trailing zeros dropped)
//   TIMESTAMP    2026-11-25 23:19:02
//   DATE         2026-11-25
//   DECIMAL      12.500000                (exact, the column's scale)
//   BOOLEAN      true / false
//   JSON/VARCHAR the text as stored
// A type without a rendering (lists, structs, intervals...) is an error naming the column, never "".
#pragma once

#include <duckdb.h>

#include "core/error.h"
#include "warehouse/warehouse.h"

namespace metl::warehouse::duckdb_engine {

// Consumes `result` (fetches its chunks); the caller still destroys it.
Result<QueryResult> ResultToText(duckdb_result& result);

}  // namespace metl::warehouse::duckdb_engine
