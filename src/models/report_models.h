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

// The same models in ClickHouse's SQL (ch_report_sql.cc): each fills the staging table {STG} with the rows
// of the days in {V}.
std::vector<Model> ChReportModels();

// A ClickHouse report model as a script: a staging table created like `table`, filled for the touched
// days, then swapped in: each touched (site, day) by REPLACE PARTITION (atomic for readers; a day without
// rows is emptied), or, for every day (`days` null), the whole table by one RENAME. `token` keeps
// concurrent runs' staging tables apart; a killed run's are dropped a day later with the loader's.
// "" when `days` is empty.
std::string BindChReportSql(std::string_view table, std::string_view sql,
                            const std::vector<warehouse::PartitionKey>* days, std::string_view token);

}  // namespace metl::models
