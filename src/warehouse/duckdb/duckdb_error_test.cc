// An engine error keeps DuckDB's message; an out-of-memory one also names the option that sets the
// limit (the message was once lost: the error was move-assigned to itself while the hint was added).
#include "warehouse/duckdb/duckdb_error.h"

#include <gtest/gtest.h>

namespace metl::warehouse::duckdb_engine {
namespace {

TEST(DuckDbError, KeepsTheMessageAndAddsAHintOnlyForOutOfMemory) {
  Error oom = DuckDbError("DuckDB: ", "Out of Memory Error: failed to pin block of size 256.0 KiB");
  EXPECT_EQ(oom.message(), "DuckDB: Out of Memory Error: failed to pin block of size 256.0 KiB");
  EXPECT_NE(oom.context().hint.find("--duckdb-memory-mb"), std::string::npos);

  Error other = DuckDbError("DuckDB append to t: ", "Conversion Error: bad date");
  EXPECT_EQ(other.message(), "DuckDB append to t: Conversion Error: bad date");
  EXPECT_TRUE(other.context().hint.empty());

  EXPECT_EQ(DuckDbError("DuckDB: ", nullptr).message(), "DuckDB: unknown error");
}

TEST(DuckDbError, PermissionDeniedIsAConfigErrorSayingWhatMustBeWritable) {
  Error denied = DuckDbError("DuckDB: ",
                             "TransactionContext Error: Failed to commit: Cannot open file "
                             "\"/x/w.duckdb.wal\": Permission denied");
  EXPECT_EQ(denied.kind(), ErrorKind::kConfig);
  EXPECT_NE(denied.message().find("/x/w.duckdb.wal"), std::string::npos);
  EXPECT_NE(denied.context().hint.find("its folder writable"), std::string::npos);
}

}  // namespace
}  // namespace metl::warehouse::duckdb_engine
