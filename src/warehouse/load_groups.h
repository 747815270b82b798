// Which due partitions share a transaction (Capabilities::group_visits).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace metl::warehouse {

// Groups `due` (indices into `visits`, the manifests' visit counts) in order: a group closes once it
// holds `group_visits` visits or more, so a day that large stands alone and small days share a
// transaction with the next ones, or once it has `max_partitions` partitions, which bounds what a
// failed or killed group has to redo. group_visits <= 0 puts every partition in a group of its own.
std::vector<std::vector<size_t>> PlanLoadGroups(const std::vector<size_t>& due, const std::vector<int64_t>& visits,
                                                int64_t group_visits, size_t max_partitions);

}  // namespace metl::warehouse
