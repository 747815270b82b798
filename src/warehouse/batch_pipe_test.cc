// BatchPipe: batches cross from the producing thread to the consuming one in order, whole, with
// recycled buffers holding no stale rows, and the producer's outcome reaches the consumer.
#include "warehouse/batch_pipe.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace metl::warehouse {
namespace {

TEST(BatchPipe, BatchesArriveInOrderWholeAndRecycledBuffersHoldNoStaleRows) {
  const TableDef& visits = *FindTable("matomo_visits");
  const TableDef& raw = *FindTable("matomo_raw_visits");
  BatchPipe pipe(1);
  constexpr int kBatches = 200;
  std::thread producer([&] {
    for (int i = 0; i < kBatches; ++i) {
      TableBatch b(i % 3 == 0 ? raw : visits);
      const size_t rows = 1 + (i * 37) % 50;  // sizes go up and down: a recycled buffer is often bigger
      for (size_t r = 0; r < rows; ++r) {
        for (size_t c = 0; c < b.column_count(); ++c) {
          if (c == 0)
            b.column(c).AppendInt(i);
          else
            b.column(c).AppendNull();
        }
      }
      pipe.Consume(b);
    }
    pipe.Close(Error(ErrorKind::kData, "line 7 is not JSON"));
  });
  int seen = 0;
  while (auto batch = pipe.Pop()) {
    EXPECT_EQ(&batch->table(), seen % 3 == 0 ? &raw : &visits);
    EXPECT_EQ(batch->rows(), 1 + (seen * 37) % 50u) << seen;
    for (size_t r = 0; r < batch->rows(); ++r) EXPECT_EQ(batch->column(0).Int(r), seen);
    ++seen;
    pipe.Recycle(std::move(batch));
  }
  producer.join();
  EXPECT_EQ(seen, kBatches);
  Status st = pipe.producer_status();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message(), "line 7 is not JSON");
}

}  // namespace
}  // namespace metl::warehouse
