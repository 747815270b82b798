// ChunkStager (chunk_stager.h) hands rows from the parsing thread to the appending one as DuckDB
// data chunks: every row must come out once, in order, with its NULLs and text, and each table
// must stay within its few chunks however far the producer runs ahead.
#include "warehouse/duckdb/chunk_stager.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

namespace metl::warehouse::duckdb_engine {
namespace {

TableDef MakeTable(const char* name) {
  return TableDef{name,
                  "test table",
                  {{"n", LogicalType::kBigInt, false, "", ""}, {"s", LogicalType::kText, true, "", ""}},
                  {"n"},
                  "",
                  true};
}

// Rows n in [from, from + count) of `table`: s is null when n % 3 == 0, else `text` + n.
TableBatch Rows(const TableDef& table, int64_t from, size_t count, const std::string& text) {
  TableBatch batch(table);
  for (size_t i = 0; i < count; ++i) {
    const int64_t n = from + static_cast<int64_t>(i);
    batch.column(0).AppendInt(n);
    if (n % 3 == 0) {
      batch.column(1).AppendNull();
    } else {
      batch.column(1).AppendText(text + std::to_string(n));
    }
  }
  return batch;
}

TEST(ChunkStager, RowsComeOutOnceInOrderAndEachTableKeepsToItsChunks) {
  const TableDef narrow = MakeTable("narrow");
  const TableDef wide = MakeTable("wide");
  const std::string big(8000, 'x');  // ~16 MB a chunk: the least, 2 chunks
  const size_t vector = duckdb_vector_size();
  const int64_t narrow_rows = static_cast<int64_t>(12 * vector + 7);
  const int64_t wide_rows = static_cast<int64_t>(3 * vector + 5);
  ChunkStager stager({&narrow, &wide});

  std::thread producer([&] {
    int64_t n = 0;
    for (size_t size : {1, 2047, 2049, 3, 5000}) {  // batches straddling chunk boundaries
      stager.Consume(Rows(narrow, n, size, "v"));
      n += static_cast<int64_t>(size);
    }
    stager.Consume(Rows(narrow, n, static_cast<size_t>(narrow_rows - n), "v"));
    for (int64_t w = 0; w < wide_rows; w += 1000) {
      stager.Consume(Rows(wide, w, static_cast<size_t>(std::min<int64_t>(1000, wide_rows - w)), big));
    }
    stager.Close();
  });

  // Let the producer run ahead until the narrow table has all the chunks it may have.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (stager.chunks(0) < ChunkStager::kMaxChunksPerTable && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(stager.chunks(0), ChunkStager::kMaxChunksPerTable);

  int64_t next[2] = {0, 0};
  size_t most[2] = {0, 0};
  bool partial[2] = {false, false};  // only a table's last chunk may be partly filled
  while (auto filled = stager.Pop()) {
    const size_t t = filled->table;
    most[t] = std::max(most[t], stager.chunks(t));
    const size_t rows = duckdb_data_chunk_get_size(filled->chunk);
    EXPECT_FALSE(partial[t]) << "a chunk of table " << t << " after a partly filled one";
    partial[t] = rows < vector;
    duckdb_vector nv = duckdb_data_chunk_get_vector(filled->chunk, 0);
    duckdb_vector sv = duckdb_data_chunk_get_vector(filled->chunk, 1);
    const auto* ns = static_cast<const int64_t*>(duckdb_vector_get_data(nv));
    const auto* ss = static_cast<const duckdb_string_t*>(duckdb_vector_get_data(sv));
    uint64_t* validity = duckdb_vector_get_validity(sv);
    for (size_t r = 0; r < rows; ++r, ++next[t]) {
      ASSERT_EQ(ns[r], next[t]);
      const bool is_null = validity && !duckdb_validity_row_is_valid(validity, r);
      ASSERT_EQ(is_null, ns[r] % 3 == 0) << "row " << ns[r];
      if (is_null) continue;
      duckdb_string_t s = ss[r];
      const std::string got(duckdb_string_t_data(&s), duckdb_string_t_length(s));
      ASSERT_EQ(got, (t == 0 ? std::string("v") : big) + std::to_string(ns[r]));
    }
    EXPECT_GT(filled->bytes, rows * 8);
    stager.Recycle(*filled);
  }
  producer.join();
  EXPECT_EQ(next[0], narrow_rows);
  EXPECT_EQ(next[1], wide_rows);
  EXPECT_EQ(most[0], ChunkStager::kMaxChunksPerTable);
  EXPECT_LE(most[1], ChunkStager::kMinChunksPerTable);  // 16 MB chunks: two at most
  EXPECT_EQ(stager.unknown_table(), nullptr);
}

TEST(ChunkStager, RowsOfAnotherTableAreNamedNotStaged) {
  const TableDef known = MakeTable("known");
  const TableDef other = MakeTable("other");
  ChunkStager stager({&known});
  stager.Consume(Rows(other, 0, 10, "v"));
  stager.Close();
  EXPECT_FALSE(stager.Pop().has_value());
  ASSERT_NE(stager.unknown_table(), nullptr);
  EXPECT_EQ(stager.unknown_table()->name, "other");
}

}  // namespace
}  // namespace metl::warehouse::duckdb_engine
