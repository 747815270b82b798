// The self-contained HTML page of `matomo-etl report`: CSS and SVG inline, no script, no font or
// image fetched. Totals carry data-metric (and data-site, data-value) attributes so that a test or a
// script can read the numbers the page shows and compare them with the warehouse.
#pragma once

#include <string>
#include <vector>

#include "report/report_data.h"

namespace metl::report {

std::string RenderHtml(const std::vector<SiteReport>& sites, const std::string& generated_at,
                       const std::string& warehouse_description);

}  // namespace metl::report
