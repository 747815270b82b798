#include "warehouse/duckdb/chunk_stager.h"

#include <algorithm>

namespace metl::warehouse::duckdb_engine {

ChunkStager::ChunkStager(const std::vector<const TableDef*>& tables) {
  tables_.resize(tables.size());
  for (size_t t = 0; t < tables.size(); ++t) tables_[t].def = tables[t];
}

ChunkStager::~ChunkStager() {
  for (Table& t : tables_) {
    if (t.filling.chunk) duckdb_destroy_data_chunk(&t.filling.chunk);
    for (auto& c : t.free) duckdb_destroy_data_chunk(&c);
  }
  for (Filled& f : queue_) duckdb_destroy_data_chunk(&f.chunk);
}

void ChunkStager::Consume(const TableBatch& batch) {
  if (batch.rows() == 0) return;
  size_t t = 0;
  while (t < tables_.size() && tables_[t].def->name != batch.table().name) ++t;
  if (t == tables_.size()) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!unknown_table_) unknown_table_ = &batch.table();
    return;
  }
  Table& table = tables_[t];
  for (size_t start = 0; start < batch.rows();) {
    if (!table.filling.chunk) table.filling.chunk = TakeChunk(t);
    start = table.filling.Fill(batch, start);
    if (table.filling.full()) Queue(t);
  }
}

void ChunkStager::Close() {
  for (size_t t = 0; t < tables_.size(); ++t) {
    if (tables_[t].filling.rows > 0) Queue(t);
  }
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  changed_.notify_all();
}

std::optional<ChunkStager::Filled> ChunkStager::Pop() {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return !queue_.empty() || closed_; });
  if (queue_.empty()) return std::nullopt;
  Filled f = queue_.front();
  queue_.pop_front();
  return f;
}

void ChunkStager::Recycle(Filled filled) {
  duckdb_data_chunk_reset(filled.chunk);
  std::lock_guard<std::mutex> lock(mu_);
  tables_[filled.table].free.push_back(filled.chunk);
  changed_.notify_all();
}

const TableDef* ChunkStager::unknown_table() const {
  std::lock_guard<std::mutex> lock(mu_);
  return unknown_table_;
}

size_t ChunkStager::chunks(size_t t) const {
  std::lock_guard<std::mutex> lock(mu_);
  return tables_[t].created;
}

duckdb_data_chunk ChunkStager::TakeChunk(size_t t) {
  Table& table = tables_[t];
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return !table.free.empty() || table.created < table.limit; });
  if (!table.free.empty()) {
    duckdb_data_chunk c = table.free.back();
    table.free.pop_back();
    return c;
  }
  ++table.created;
  lock.unlock();
  return CreateChunk(*table.def);
}

void ChunkStager::Queue(size_t t) {
  Table& table = tables_[t];
  const bool whole = table.filling.full();
  const size_t bytes = table.filling.bytes();
  duckdb_data_chunk chunk = table.filling.Take();
  std::lock_guard<std::mutex> lock(mu_);
  if (whole) {
    table.limit = std::clamp(kStagedBytesPerTable / std::max<size_t>(bytes, 1), kMinChunksPerTable, kMaxChunksPerTable);
  }
  queue_.push_back(Filled{t, chunk, bytes});
  changed_.notify_all();
}

}  // namespace metl::warehouse::duckdb_engine
