// A DuckDB partition load gathers rows into whole chunks across batches (chunk_appender.h), on the
// loading thread or staged on a second one (chunk_stager.h): every row must land exactly once, in
// order, with its NULLs and text, whatever the batch sizes, including batches that straddle chunk
// boundaries and a last partial chunk; and an error on either side must leave nothing behind.
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

struct Loaded {
  std::unique_ptr<Warehouse> warehouse;
  std::unique_ptr<Session> session;
};

Loaded OpenWithAppendTable() {
  auto wh = OpenDuckDbWarehouse(":memory:");
  EXPECT_TRUE(wh.ok()) << wh.error().ToString();
  std::vector<TableDef> tables = AllTables();
  tables.push_back(AppendTable());
  EXPECT_TRUE((*wh)->Migrate(tables).ok());
  auto session = (*wh)->Connect();
  EXPECT_TRUE(session.ok());
  return Loaded{std::move(wh).value(), std::move(session).value()};
}

constexpr int64_t kDay = 20782;  // 2026-11-25 as days since 1970-01-01

// Rows n in [from, from + size): s null when n % 3 == 0, price null when n % 5 == 0; n itself
// null (which the table refuses) at row `null_n_at`.
TableBatch AppendRows(int64_t from, size_t size, int64_t null_n_at = -1) {
  TableBatch batch(AppendTable());
  for (size_t i = 0; i < size; ++i) {
    const int64_t n = from + static_cast<int64_t>(i);
    batch.column(0).AppendInt(7);
    batch.column(1).AppendInt(kDay);
    if (n == null_n_at) {
      batch.column(2).AppendNull();
    } else {
      batch.column(2).AppendInt(n);
    }
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
  return batch;
}

int64_t CountRows(Session& session) {
  auto r = session.Query("SELECT count(*) FROM t_append");
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return std::stoll(r->rows.at(0).at(0).value());
}

// Batches of odd sizes (straddling chunk boundaries, a last partial chunk) through Consume on this
// thread, or through ConsumeFrom (the loader's way: staged on a second thread).
void LoadOddBatches(bool staged) {
  Loaded db = OpenWithAppendTable();
  PartitionKey key{7, CivilDate::FromDays(kDay)};
  auto load = db.session->BeginPartition(key, {&AppendTable()});
  ASSERT_TRUE(load.ok()) << load.error().ToString();
  int64_t n = 0;
  auto feed = [&](RowSink& sink) {
    for (size_t size : {1, 2047, 2049, 3, 5000, 2048, 4096, 17}) {
      sink.Consume(AppendRows(n, size));
      n += static_cast<int64_t>(size);
    }
    return OkStatus();
  };
  if (staged) {
    ASSERT_TRUE((*load)->ConsumeFrom(feed).ok());
  } else {
    ASSERT_TRUE(feed(**load).ok());
  }
  LedgerEntry entry;
  entry.key = key;
  entry.status = std::string(kLedgerLoaded);
  ASSERT_TRUE((*load)->Commit(entry).ok());

  auto r = db.session->Query(
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

TEST(DuckDbChunkAppender, RowsOfOddBatchSizesLandOnceInOrderWithNullsAndText) { LoadOddBatches(/*staged=*/false); }

TEST(DuckDbChunkAppender, StagedOnASecondThreadTheSameRowsLandOnce) { LoadOddBatches(/*staged=*/true); }

// An engine error in the middle (a NULL in a NOT NULL column) must not leave the producer waiting
// for chunks that never come back: the rest is drained, Commit reports the error, nothing lands.
TEST(DuckDbChunkAppender, AnAppendErrorWhileStagingFailsTheCommitAndNothingLands) {
  Loaded db = OpenWithAppendTable();
  PartitionKey key{7, CivilDate::FromDays(kDay)};
  auto load = db.session->BeginPartition(key, {&AppendTable()});
  ASSERT_TRUE(load.ok()) << load.error().ToString();
  Status produced = (*load)->ConsumeFrom([&](RowSink& sink) {
    sink.Consume(AppendRows(0, 4096));
    sink.Consume(AppendRows(4096, 2048, /*null_n_at=*/4196));
    for (int k = 0; k < 40; ++k) sink.Consume(AppendRows(6144 + k * 2048, 2048));  // far more than it may stage
    return OkStatus();
  });
  EXPECT_TRUE(produced.ok()) << produced.error().ToString();
  LedgerEntry entry;
  entry.key = key;
  entry.status = std::string(kLedgerLoaded);
  Status committed = (*load)->Commit(entry);
  ASSERT_FALSE(committed.ok());
  EXPECT_NE(committed.error().message().find("NOT NULL"), std::string::npos) << committed.error().ToString();
  EXPECT_EQ(CountRows(*db.session), 0);
}

TEST(DuckDbChunkAppender, AProducerErrorIsReturnedAndNothingLands) {
  Loaded db = OpenWithAppendTable();
  PartitionKey key{7, CivilDate::FromDays(kDay)};
  auto load = db.session->BeginPartition(key, {&AppendTable()});
  ASSERT_TRUE(load.ok()) << load.error().ToString();
  Status produced = (*load)->ConsumeFrom([&](RowSink& sink) -> Status {
    sink.Consume(AppendRows(0, 5000));
    return Error(ErrorKind::kData, "line 5001 is not JSON");
  });
  ASSERT_FALSE(produced.ok());
  EXPECT_EQ(produced.error().message(), "line 5001 is not JSON");
  (*load)->Abort();
  EXPECT_EQ(CountRows(*db.session), 0);
}

}  // namespace
}  // namespace metl::warehouse
