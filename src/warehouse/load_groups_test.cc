#include "warehouse/load_groups.h"

#include <gtest/gtest.h>

namespace metl::warehouse {
namespace {

using Groups = std::vector<std::vector<size_t>>;

TEST(PlanLoadGroups, SmallDaysShareATransactionUntilTheGroupIsFull) {
  //                          0    1    2    3    4    5
  std::vector<int64_t> visits{40, 50, 30, 200, 10, 20};
  EXPECT_EQ(PlanLoadGroups({0, 1, 2, 3, 4, 5}, visits, 100, 100), (Groups{{0, 1, 2}, {3}, {4, 5}}));
}

TEST(PlanLoadGroups, OnlyTheDuePartitionsInTheirOrder) {
  std::vector<int64_t> visits{40, 50, 30, 200, 10, 20};
  EXPECT_EQ(PlanLoadGroups({5, 1, 4}, visits, 60, 100), (Groups{{5, 1}, {4}}));
  EXPECT_EQ(PlanLoadGroups({}, visits, 60, 100), Groups{});
}

TEST(PlanLoadGroups, ExactlyFullClosesTheGroup) {
  std::vector<int64_t> visits{50, 50, 1};
  EXPECT_EQ(PlanLoadGroups({0, 1, 2}, visits, 100, 100), (Groups{{0, 1}, {2}}));
}

TEST(PlanLoadGroups, NoGroupingGivesEachPartitionItsOwnTransaction) {
  std::vector<int64_t> visits{1, 2, 3};
  EXPECT_EQ(PlanLoadGroups({0, 1, 2}, visits, 0, 100), (Groups{{0}, {1}, {2}}));
}

TEST(PlanLoadGroups, AGroupHoldsAtMostMaxPartitions) {
  std::vector<int64_t> visits(7, 1);
  EXPECT_EQ(PlanLoadGroups({0, 1, 2, 3, 4, 5, 6}, visits, 1000, 3), (Groups{{0, 1, 2}, {3, 4, 5}, {6}}));
}

TEST(PlanLoadGroups, EmptyDaysJoinTheOpenGroup) {
  std::vector<int64_t> visits{0, 0, 0, 5};
  EXPECT_EQ(PlanLoadGroups({0, 1, 2, 3}, visits, 5, 100), (Groups{{0, 1, 2, 3}}));
}

}  // namespace
}  // namespace metl::warehouse
