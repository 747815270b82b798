#include "sim/aggregate_api.h"

#include "sim/aggregates.h"
#include "sim/column_filter.h"

namespace metl::sim {

Result<std::string> RenderAggregateJson(const std::string& method, const std::vector<const SimVisit*>& visits,
                                        bool single_day, const std::optional<std::string>& id_goal) {
  if (method == "VisitsSummary.get") {
    std::string json = VisitsSummaryJson(visits);
    // Unique visitors are not summed over periods longer than a day (Matomo leaves them out).
    if (!single_day && json != "[]") json = FilterVisitColumns(json, ColumnFilter::Parse("", "nb_uniq_visitors"));
    return json;
  }
  if (method == "Actions.get") return ActionsJson(visits);
  if (method == "Goals.get") {
    std::optional<std::string_view> goal;
    if (id_goal && !id_goal->empty()) goal = *id_goal;
    return GoalsJson(visits, goal);
  }
  return Error(ErrorKind::kTerminal, "unsupported aggregate method " + method);
}

}  // namespace metl::sim
