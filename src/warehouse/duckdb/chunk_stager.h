// Copies a partition's rows into DuckDB data chunks on the thread that parses them, and hands the
// whole chunks to the thread that appends them (DuckDbPartitionLoad::ConsumeFrom).
//
// Why: on a 100,000-visit day the appending thread is the one that sets the wall time (DuckDB's
// appends, spill and commit), while the parsing thread idles two thirds of the time. Filling the
// chunks (typed copies, 616 MB of raw JSON into the chunks' heaps, DuckDB's UTF-8 check of every
// string) needs no connection, so it moves over to the parsing thread, and the batch copy of the
// generic hand-over (BatchPipe) goes away. bench/results/profile.md has the figures.
//
// Rows of a table keep their order: a table's chunks are filled one at a time and queued in that
// order. Memory stays bounded: each table has a few chunks, and the producer waits for one to come
// back before it fills another. How many: as many as hold kStagedBytesPerTable, from 2 (one being
// filled, one queued or being appended: a raw-visits chunk is ~12 MB) to 6 (a chunk of custom
// dimensions is well under 1 MB). With two each, the appending thread waited 0.57 s of a 6.6-6.9 s
// load (100,000 visits): an append that writes a whole row group to the file takes a while, the
// producer meanwhile blocked on the one table whose two chunks were both queued, and then had
// little ready. With up to six: 0.03-0.07 s.
#pragma once

#include <duckdb.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

#include "normalize/table_batch.h"
#include "warehouse/duckdb/chunk_appender.h"

namespace metl::warehouse::duckdb_engine {

class ChunkStager final : public RowSink {
 public:
  static constexpr size_t kMinChunksPerTable = 2;
  static constexpr size_t kMaxChunksPerTable = 6;
  static constexpr size_t kStagedBytesPerTable = size_t{16} << 20;

  // Stages rows of `tables` (a batch of any other table is a programming error: Consume drops it
  // and `unknown_table()` names it).
  explicit ChunkStager(const std::vector<const TableDef*>& tables);
  ~ChunkStager() override;
  ChunkStager(const ChunkStager&) = delete;
  ChunkStager& operator=(const ChunkStager&) = delete;

  // Producer side. Copies the batch's rows (the normalizer reuses its batches) into the table's
  // chunk; a chunk that fills up is queued. Waits while the table has no chunk free.
  void Consume(const TableBatch& batch) override;
  // Producer side: queues the partly filled chunks; Pop returns nothing once they are taken.
  void Close();

  struct Filled {
    size_t table = 0;  // index into the tables given to the constructor
    duckdb_data_chunk chunk = nullptr;
    size_t bytes = 0;  // about what it holds (FillingChunk::bytes)
  };
  // Consumer side: the next whole chunk (in the order they filled up), or nullopt once the
  // producer has closed and every chunk was taken. The chunk must come back through Recycle.
  std::optional<Filled> Pop();
  void Recycle(Filled filled);

  const TableDef* unknown_table() const;
  // How many chunks table `t` has now (filling, queued, being appended or free): for tests.
  size_t chunks(size_t t) const;

 private:
  struct Table {
    const TableDef* def = nullptr;
    FillingChunk filling;               // producer side only
    size_t limit = kMinChunksPerTable;  // chunks it may have, once one was filled (see above)
    size_t created = 0;
    std::vector<duckdb_data_chunk> free;
  };
  // Producer side: a chunk for table `t` to fill, waiting for one to come back if need be.
  duckdb_data_chunk TakeChunk(size_t t);
  void Queue(size_t t);

  std::vector<Table> tables_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::deque<Filled> queue_;
  bool closed_ = false;
  const TableDef* unknown_table_ = nullptr;
};

}  // namespace metl::warehouse::duckdb_engine
