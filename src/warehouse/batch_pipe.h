// Hands normalized batches from the thread that parses a partition to the thread that appends them to
// the warehouse, so that one partition keeps two cores busy: parsing (simdjson, zstd) and the engine's
// appends overlap instead of taking turns. Bounded: at most `capacity` batches wait, so memory stays flat
// (a batch of 2,048 raw visits is ~12 MB). PartitionLoad::ConsumeFrom's default (PostgreSQL); DuckDB
// hands over filled data chunks instead (duckdb/chunk_stager.h).
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "core/error.h"
#include "normalize/table_batch.h"

namespace metl::warehouse {

class BatchPipe final : public RowSink {
 public:
  explicit BatchPipe(size_t capacity) : capacity_(capacity) {}

  // Producer side: copies the batch (the normalizer reuses its buffers) and waits while the pipe is full.
  void Consume(const TableBatch& batch) override;
  // Producer side: no more batches; `status` is how producing ended.
  void Close(Status status);

  // Consumer side: the next batch, or nullptr once the pipe is closed and drained.
  std::unique_ptr<TableBatch> Pop();
  // Consumer side: a batch it is done with, whose buffers the next copy of that table reuses (no
  // allocation, no page faults for the 12 MB of a raw-visits batch).
  void Recycle(std::unique_ptr<TableBatch> batch);
  // Consumer side, after Pop gave nullptr: how producing ended.
  Status producer_status() const;

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<TableBatch>> queue_;
  std::vector<std::unique_ptr<TableBatch>> spare_;
  bool closed_ = false;
  Status status_ = OkStatus();
};

}  // namespace metl::warehouse
