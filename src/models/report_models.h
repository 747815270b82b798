// The report tables' models (issue 15; SQL in report_sql.cc): rebuilt for the (site, day)s a load touched,
// or for every day on a full refresh.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "models/models.h"
#include "warehouse/warehouse.h"

namespace metl::models {

// The report models, in docs order; their SQL holds {V}, {D}, {TEXT} and {FLOAT} (see BindReportSql).
std::vector<Model> ReportModels();

// Fills a report model's placeholders: {V} and {D} with the touched days as a predicate on (site_id,
// visit_date) and (site_id, date) — TRUE when `days` is null (every day), FALSE when it is empty — and
// {TEXT}/{FLOAT} with the dialect's type names.
std::string BindReportSql(std::string_view sql, const std::vector<warehouse::PartitionKey>* days,
                          std::string_view dialect);

}  // namespace metl::models
