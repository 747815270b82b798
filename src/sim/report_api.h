// The report methods matomo-sim serves beyond VisitsSummary/Actions/Goals.get (issue 15): Actions.getPageUrls
// and getPageTitles (flat), getSiteSearchKeywords, Referrers.getReferrerType/getAll/getCampaigns,
// DevicesDetection.getType, UserCountry.getCountry, Events.getCategory/getAction/getName,
// Goals.get for ecommerce orders, Goals.getItemsSku/getItemsCategory and
// CustomDimensions.getCustomDimension. Computed here from the visits' own Live JSON, by Matomo's
// definitions as this file reads them, sharing nothing with matomo-etl's SQL models: the e2e tests
// compare the two.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "sim/dataset.h"

namespace metl::sim {

struct ReportParams {
  std::optional<std::string> id_goal;       // Goals.get
  std::optional<std::string> id_dimension;  // CustomDimensions.getCustomDimension
  bool abandoned_carts = false;             // Goals.getItems*
};

// Whether `method` ("Module.action") is one of the report methods above.
bool IsReportMethod(const std::string& method);
// Whether this file renders `method` with these parameters (Goals.get only for idGoal=ecommerceOrder).
bool RendersReport(const std::string& method, const ReportParams& params);

// The key of a recorded report file (replay: reports/agg_<key>_s<site>_<date>.json), e.g.
// "Goals.get_idGoal-2", "Goals.getItemsSku_abandoned", "Referrers.getAll".
std::string ReportFileKey(const std::string& method, const ReportParams& params);

// One day's report as Matomo's JSON: a list of labelled rows (Goals.get: one object).
Result<std::string> RenderReportJson(const std::string& method, const ReportParams& params,
                                     const std::vector<const SimVisit*>& visits);

}  // namespace metl::sim
