// VisitsSummary.get / Actions.get / Goals.get bodies for a set of visits (one day, or one
// multi-day period), adapting the generator's aggregate renderers (aggregates.h) to the server.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "sim/dataset.h"

namespace metl::sim {

// `method` is "VisitsSummary.get", "Actions.get" or "Goals.get"; `single_day` decides whether
// nb_uniq_visitors is reported (Matomo reports it for day periods only). `id_goal` is Goals.get's
// idGoal parameter. Errors carry Matomo's message.
Result<std::string> RenderAggregateJson(const std::string& method, const std::vector<const SimVisit*>& visits,
                                        bool single_day, const std::optional<std::string>& id_goal);

}  // namespace metl::sim
