// The report tables' schema (issue 15): Matomo's own reports rebuilt as flat daily tables by the models
// (src/models/report_sql.cc). Declared here, beside the curated schema, so that DDL, docs/schema.md and
// `verify --reports` read one declaration.
#pragma once

#include <vector>

#include "normalize/schema.h"

namespace metl {

// matomo_pages_daily, matomo_page_titles_daily, matomo_referrers_daily, ... in docs order.
std::vector<TableDef> ReportTables();

}  // namespace metl
