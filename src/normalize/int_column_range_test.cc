// Regression (found by tests/e2e/hostile_roundtrip_test.cc): visitCount 9223372036854775807 went to
// a 32-bit column; DuckDB stored it truncated (-1), PostgreSQL refused the whole partition. Now a
// value outside int32 is NULL in a kInt column, in every engine; kBigInt keeps the int64 limits.
#include <gtest/gtest.h>

#include <cstdint>

#include "normalize/table_batch.h"

namespace metl {
namespace {

TEST(IntColumnRange, OutOfInt32IsNullInAnIntColumnAndExactInABigIntColumn) {
  ColumnVector small(LogicalType::kInt);
  for (int64_t v : {int64_t{INT32_MAX}, int64_t{INT32_MAX} + 1, int64_t{INT32_MIN}, int64_t{INT32_MIN} - 1, INT64_MAX}) {
    small.AppendInt(v);
  }
  ASSERT_EQ(small.size(), 5u);
  EXPECT_EQ(small.Int(0), INT32_MAX);
  EXPECT_TRUE(small.IsNull(1));
  EXPECT_EQ(small.Int(2), INT32_MIN);
  EXPECT_TRUE(small.IsNull(3));
  EXPECT_TRUE(small.IsNull(4));

  ColumnVector big(LogicalType::kBigInt);
  big.AppendInt(INT64_MAX);
  big.AppendInt(INT64_MIN);
  EXPECT_EQ(big.Int(0), INT64_MAX);
  EXPECT_EQ(big.Int(1), INT64_MIN);
}

}  // namespace
}  // namespace metl
