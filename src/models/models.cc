#include "models/models.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "core/log.h"
#include "models/report_models.h"

namespace metl::models {
namespace {

std::vector<std::string_view> SplitStatements(std::string_view sql) {
  std::vector<std::string_view> out;
  while (!sql.empty()) {
    size_t end = sql.find(";\n");
    std::string_view stmt = sql.substr(0, end);
    if (stmt.find_first_not_of(" \n\t") != std::string_view::npos) out.push_back(stmt);
    if (end == std::string_view::npos) break;
    sql.remove_prefix(end + 2);
  }
  return out;
}


}  // namespace

static std::string StatementLabel(std::string_view stmt) {
  size_t start = stmt.find_first_not_of(" \n\t");
  if (start == std::string_view::npos) return "";
  stmt.remove_prefix(start);
  size_t end = stmt.find_first_of("(\n");
  std::string_view head = stmt.substr(0, std::min<size_t>(end, 60));
  while (!head.empty() && head.back() == ' ') head.remove_suffix(1);
  return std::string(head);
}

Status TimedExecute(warehouse::Session& session, std::string_view model, std::string_view stmt) {
  // One debug line per statement with its duration (`--log-level debug`): which model a slow rebuild spends
  // its time in, on any engine.
  const auto start = std::chrono::steady_clock::now();
  Status st = session.Execute(stmt);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (CurrentLogLevel() == LogLevel::kDebug) {
    LogDebug("model statement", {{"model", model}, {"statement", StatementLabel(stmt)}, {"seconds", seconds},
                                 {"ok", st.ok()}});
  }
  return st;
}

Status PlannerSettings(warehouse::Session& session, const warehouse::Capabilities& caps) {
  if (caps.dialect != "postgres" || !caps.transactions) return OkStatus();
  return session.Execute("SET LOCAL enable_nestloop = off");
}

Status RunModels(warehouse::Session& session, const warehouse::Capabilities& caps,
                 const std::vector<warehouse::PartitionKey>* touched) {
  // The report models' SQL with the touched days and the dialect's type names filled in; kept alive here
  // because Model holds views.
  std::vector<std::string> report_sql;
  std::vector<Model> models = ModelsFor(caps.dialect);
  if (caps.report_models) {
    // ClickHouse rebuilds the touched days in staging tables of this run and swaps them in.
    const bool clickhouse = caps.dialect == "clickhouse";
    const std::vector<Model> reports = clickhouse ? ChReportModels() : ReportModels();
    const std::string token = clickhouse ? StagingRunToken() : "";
    for (const Model& m : reports) {
      report_sql.push_back(clickhouse ? BindChReportSql(m.name, m.sql, touched, token)
                                      : BindReportSql(m.sql, touched, caps.dialect));
    }
    for (size_t i = 0; i < reports.size(); ++i) models.push_back(Model{reports[i].name, reports[i].dialect, report_sql[i]});
  }
  if (caps.scripts) {  // one script, its transaction inside (BigQuery)
    std::string script = "BEGIN TRANSACTION;\n";
    for (const Model& m : models) {
      for (std::string_view stmt : SplitStatements(m.sql)) script += std::string(stmt) + ";\n";
    }
    Status st = session.Execute(script + "COMMIT TRANSACTION;");
    if (!st.ok()) return Error(st.error().kind(), "models failed: " + st.error().message(), st.error().context());
    return OkStatus();
  }
  if (caps.transactions) METL_TRY(session.Execute("BEGIN TRANSACTION"));
  METL_TRY(PlannerSettings(session, caps));
  for (const Model& m : models) {
    for (std::string_view stmt : SplitStatements(m.sql)) {
      Status st = TimedExecute(session, m.name, stmt);
      if (!st.ok()) {
        if (caps.transactions) (void)session.Execute("ROLLBACK");
        return Error(ErrorKind::kInternal, "model " + std::string(m.name) + " failed: " + st.error().message());
      }
    }
  }
  if (caps.transactions) METL_TRY(session.Execute("COMMIT"));
  return OkStatus();
}

std::string StagingRunToken() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  const char* hex = "0123456789abcdef";
  std::string out;
  uint64_t v = rng();
  for (int i = 0; i < 8; ++i, v >>= 4) out += hex[v & 15];
  return out;
}

}  // namespace metl::models
