#include "warehouse/batch_pipe.h"

namespace metl::warehouse {

void BatchPipe::Consume(const TableBatch& batch) {
  std::unique_ptr<TableBatch> copy;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& s : spare_) {
      if (&s->table() != &batch.table()) continue;
      copy = std::move(s);
      s = std::move(spare_.back());
      spare_.pop_back();
      break;
    }
  }
  if (copy) {
    *copy = batch;  // keeps the spare's capacity
  } else {
    copy = std::make_unique<TableBatch>(batch);
  }
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return queue_.size() < capacity_; });
  queue_.push_back(std::move(copy));
  changed_.notify_all();
}

void BatchPipe::Close(Status status) {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  status_ = std::move(status);
  changed_.notify_all();
}

std::unique_ptr<TableBatch> BatchPipe::Pop() {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return !queue_.empty() || closed_; });
  if (queue_.empty()) return nullptr;
  auto batch = std::move(queue_.front());
  queue_.pop_front();
  changed_.notify_all();
  return batch;
}

void BatchPipe::Recycle(std::unique_ptr<TableBatch> batch) {
  std::lock_guard<std::mutex> lock(mu_);
  spare_.push_back(std::move(batch));
}

Status BatchPipe::producer_status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

}  // namespace metl::warehouse
