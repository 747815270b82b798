// The DuckDB appender path gathers rows into whole chunks across batches (chunk_appender.h): every
// row must land exactly once, in order, with its NULLs and text, whatever the batch sizes, including
// batches that straddle chunk boundaries and a last partial chunk.
#include <gtest/gtest.h>

#include <string>

#include "normalize/schema.h"
#include "warehouse/duckdb/duckdb_warehouse.h"

namespace metl::warehouse {
namespace {

const TableDef& AppendTable() {
  static const TableDef table{
      "t_append",
      "test table",
      {{"site_id", LogicalType::kBigInt, false, "", ""},
       {"visit_date", LogicalType::kDate, false, "", ""},
       {"n", LogicalType::kBigInt, false, "", ""},
       {"s", LogicalType::kText, true, "", ""},
       {"price", LogicalType::kDecimal, true, "", ""}},
      {"site_id", "visit_date", "n"},
      "visit_date",
      true};
  return table;
}

TEST(DuckDbChunkAppender, RowsOfOddBatchSizesLandOnceInOrderWithNullsAndText) {
  auto wh = OpenDuckDbWarehouse(":memory:");
  ASSERT_TRUE(wh.ok()) << wh.error().ToString();
  std::vector<TableDef> tables = AllTables();
  tables.push_back(AppendTable());
  ASSERT_TRUE((*wh)->Migrate(tables).ok());
  auto session = (*wh)->Connect();
  ASSERT_TRUE(session.ok());

  const int64_t day = 20782;  // 2026-11-25 as days since 1970-01-01
  PartitionKey key{7, CivilDate::FromDays(day)};
  auto load = (*session)->BeginPartition(key, {&AppendTable()});
  ASSERT_TRUE(load.ok()) << load.error().ToString();
  int64_t n = 0;
  for (size_t size : {1, 2047, 2049, 3, 5000, 2048, 4096, 17}) {
    TableBatch batch(AppendTable());
    for (size_t i = 0; i < size; ++i, ++n) {
      batch.column(0).AppendInt(7);
      batch.column(1).AppendInt(day);
      batch.column(2).AppendInt(n);
      if (n % 3 == 0) {
        batch.column(3).AppendNull();
      } else {
        batch.column(3).AppendText("row " + std::to_string(n));
      }
      if (n % 5 == 0) {
        batch.column(4).AppendNull();
      } else {
        batch.column(4).AppendInt(n * 1000001);  // micro-units: n * 1.000001
      }
    }
    (*load)->Consume(batch);
  }
  LedgerEntry entry;
  entry.key = key;
  entry.status = std::string(kLedgerLoaded);
  ASSERT_TRUE((*load)->Commit(entry).ok());

  auto r = (*session)->Query(
      "SELECT count(*), count(DISTINCT n), min(n), max(n), count(s), count(price), "
      "sum(CASE WHEN s = concat('row ', n) THEN 1 ELSE 0 END), "
      "sum(CASE WHEN (n % 3 = 0) = (s IS NULL) THEN 1 ELSE 0 END), "
      "sum(CASE WHEN (n % 5 = 0) = (price IS NULL) AND (price IS NULL OR price * 1000000 = n * 1000001) "
      "THEN 1 ELSE 0 END) FROM t_append");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const int64_t total = n;
  auto v = [&](int i) { return std::stoll(r->rows.at(0).at(i).value()); };
  EXPECT_EQ(v(0), total);
  EXPECT_EQ(v(1), total);
  EXPECT_EQ(v(2), 0);
  EXPECT_EQ(v(3), total - 1);
  EXPECT_EQ(v(4), total - (total + 2) / 3);
  EXPECT_EQ(v(5), total - (total + 4) / 5);
  EXPECT_EQ(v(6), v(4));   // every non-null text belongs to its own row
  EXPECT_EQ(v(7), total);  // NULLs exactly where they were sent
  EXPECT_EQ(v(8), total);
}

}  // namespace
}  // namespace metl::warehouse
