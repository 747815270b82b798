// PrepareFor sizes the embedded DuckDB for the loads (memory per partition, workers on the cores the
// loads leave free) and gives the models DuckDB's own defaults back.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "warehouse/duckdb/duckdb_warehouse.h"

namespace metl::warehouse {
namespace {

struct Settings {
  std::string memory_limit;
  int threads = 0;
};

Settings Current(Warehouse& wh) {
  auto session = wh.Connect();
  EXPECT_TRUE(session.ok());
  if (!session.ok()) return {};
  auto r = (*session)->Query("SELECT current_setting('memory_limit'), current_setting('threads')");
  EXPECT_TRUE(r.ok() && r->rows.size() == 1);
  if (!r.ok() || r->rows.size() != 1) return {};
  return {r->rows[0][0].value_or(""), std::stoi(r->rows[0][1].value_or("0"))};
}

// "18.8 GiB" -> MiB. DuckDB says its limit with one decimal, so a restored limit is equal to the
// default only to within that rounding.
double MiB(const std::string& text) {
  const double v = std::stod(text);
  if (text.find("GiB") != std::string::npos) return v * 1024;
  if (text.find("TiB") != std::string::npos) return v * 1024 * 1024;
  return v;
}

std::unique_ptr<Warehouse> Open(int64_t memory_mb) {
  WarehouseOptions options;
  options.duckdb_memory_mb = memory_mb;
  auto wh = OpenDuckDbWarehouse(":memory:", options);
  EXPECT_TRUE(wh.ok()) << wh.error().ToString();
  return wh.ok() ? std::move(*wh) : nullptr;
}

TEST(DuckDbPrepareFor, BoundsTheLoadsAndRestoresTheDefaultsForTheModels) {
  auto wh = Open(64);
  ASSERT_TRUE(wh);
  const Settings defaults = Current(*wh);
  ASSERT_GE(defaults.threads, 1);

  ASSERT_TRUE(wh->PrepareFor(1).ok());
  Settings one = Current(*wh);
  EXPECT_EQ(one.memory_limit, "61.0 MiB");  // 64 MB
  EXPECT_EQ(one.threads, std::max(1, defaults.threads - 1));

  ASSERT_TRUE(wh->PrepareFor(2).ok());
  Settings two = Current(*wh);
  EXPECT_EQ(two.memory_limit, "122.0 MiB");  // 2 x 64 MB
  EXPECT_EQ(two.threads, std::max(1, defaults.threads - 3));

  ASSERT_TRUE(wh->PrepareFor(0).ok());
  Settings after = Current(*wh);
  EXPECT_NEAR(MiB(after.memory_limit), MiB(defaults.memory_limit), 0.01 * MiB(defaults.memory_limit));
  EXPECT_EQ(after.threads, defaults.threads);
}

TEST(DuckDbPrepareFor, NoLimitLeavesDuckDbsMemoryButStillSizesTheWorkers) {
  auto wh = Open(0);
  ASSERT_TRUE(wh);
  const Settings defaults = Current(*wh);
  ASSERT_TRUE(wh->PrepareFor(1).ok());
  Settings one = Current(*wh);
  EXPECT_EQ(one.memory_limit, defaults.memory_limit);
  EXPECT_EQ(one.threads, std::max(1, defaults.threads - 1));
  ASSERT_TRUE(wh->PrepareFor(0).ok());
  EXPECT_EQ(Current(*wh).threads, defaults.threads);
}

}  // namespace
}  // namespace metl::warehouse
