// The engine-neutral warehouse test suite: end-to-end tests are written once and parameterized
// over WarehouseTargets(): DuckDB, BigQuery (google-fake, one per test process) and PostgreSQL (the server from postgres_server.h: the ctest fixture,
// METL_TEST_POSTGRES_URL, or one started on first use), each PostgreSQL test getting a schema of its own. Tests read the warehouse through the same Warehouse interface
// the loader writes with (for DuckDB: the real file, through the C API).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "harness.h"

namespace metl::e2e {

struct WarehouseTarget {
  std::string engine;    // "duckdb", "postgres", "bigquery"
  std::string base_url;  // postgres: the server URL; duckdb: unused
  // A fresh, empty warehouse URL for one test, placed under `tmp` where the engine has files.
  // Without a PostgreSQL server: "" after a fatal failure (METL_REQUIRE_POSTGRES=1, as under ctest)
  // or a skip. Call it from SetUp(), which stops the test, or return when it gives "".
  std::string FreshUrl(const TempDir& tmp) const;
};

std::vector<WarehouseTarget> WarehouseTargets();
std::string TargetName(const WarehouseTarget& t);  // "duckdb", "postgres"
// gtest prints a parameter with PrintTo: the engine, not "64-byte object <...>".
void PrintTo(const WarehouseTarget& t, std::ostream* os);

// Runs a TEST_P suite of WarehouseTarget on every engine, named Suite.Test/duckdb and Suite.Test/postgres
// (no instantiation prefix: ctest names are e2e.LoadSim.SyncTwiceLeavesTheWarehouseIdentical/duckdb).
std::string TargetTestName(const ::testing::TestParamInfo<WarehouseTarget>& info);
#define METL_INSTANTIATE_WAREHOUSE_SUITE(Suite) \
  INSTANTIATE_TEST_SUITE_P(, Suite, ::testing::ValuesIn(::metl::e2e::WarehouseTargets()), ::metl::e2e::TargetTestName)

// One query at a time: opens the warehouse, runs it, closes it again (a DuckDB file allows one
// writing process, and the binary under test must be able to open it between queries).
struct Rows {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
};
Rows QueryWarehouse(const std::string& url, const std::string& sql);
int64_t QueryInt(const std::string& url, const std::string& sql);  // first column of the first row
// Every table's content as sorted text rows, for "the warehouse is identical" checks.
std::string DumpTables(const std::string& url, const std::vector<std::string>& tables,
                       const std::vector<std::string>& skip_columns = {});

}  // namespace metl::e2e
