#include "warehouse/load_groups.h"

namespace metl::warehouse {

std::vector<std::vector<size_t>> PlanLoadGroups(const std::vector<size_t>& due, const std::vector<int64_t>& visits,
                                                int64_t group_visits, size_t max_partitions) {
  std::vector<std::vector<size_t>> groups;
  int64_t in_open_group = 0;
  bool open = false;
  for (size_t i : due) {
    if (!open) {
      groups.emplace_back();
      in_open_group = 0;
      open = true;
    }
    groups.back().push_back(i);
    in_open_group += visits[i];
    if (group_visits <= 0 || in_open_group >= group_visits || groups.back().size() >= max_partitions) open = false;
  }
  return groups;
}

}  // namespace metl::warehouse
