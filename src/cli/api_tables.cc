#include "cli/api_tables.h"

#include <simdjson.h>

#include <cmath>
#include <cstdlib>
#include <set>

#include "core/exit_codes.h"
#include "core/log.h"
#include "extract/extract_run.h"
#include "matomo/client.h"
#include "normalize/coerce.h"
#include "normalize/table_batch.h"
#include "warehouse/ddl.h"

namespace metl::cli {
namespace {

using simdjson::dom::element;

// Sets column `name` of the row being appended from a loose JSON value (number, numeric string,
// "0"/"1" booleans, text); absent or unparseable values are NULL.
void Put(TableBatch& b, std::vector<bool>& done, std::string_view name, const element* v) {
  int i = b.table().ColumnIndex(name);
  if (i < 0 || done[i]) return;
  done[i] = true;
  ColumnVector& col = b.column(i);
  if (!v || v->is_null()) {
    col.AppendNull();
    return;
  }
  std::string text;
  if (v->is_string()) {
    text = std::string(v->get_string().value());
  } else if (v->is_bool()) {
    text = v->get_bool().value() ? "1" : "0";
  } else if (v->is_int64()) {
    text = std::to_string(v->get_int64().value());
  } else if (v->is_number()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", v->get_double().value());
    text = buf;
  } else {
    col.AppendNull();
    return;
  }
  switch (col.type()) {
    case LogicalType::kText:
    case LogicalType::kJson: col.AppendText(text); return;
    case LogicalType::kBool: col.AppendInt(text == "1" || text == "true" ? 1 : 0); return;
    case LogicalType::kDecimal:
    case LogicalType::kWideDecimal: {
      // Exact from the text, like the normalizer (a double wrapped 1e13 and rounded many decimals);
      // beyond DECIMAL(18,6) it is null.
      auto micros = ParseDecimalMicros(text);
      if (micros) col.AppendInt(*micros); else col.AppendNull();
      return;
    }
    case LogicalType::kDouble: col.AppendDouble(std::strtod(text.c_str(), nullptr)); return;
    case LogicalType::kTimestampTz: {
      auto t = ParseTimestamp(text);
      if (t.ok()) {
        col.AppendInt(*t * 1000000);
      } else {
        col.AppendNull();
      }
      return;
    }
    default: {
      char* end = nullptr;
      long long n = std::strtoll(text.c_str(), &end, 10);
      if (end == text.c_str()) {
        col.AppendNull();
      } else {
        col.AppendInt(n);
      }
    }
  }
}

void FinishRow(TableBatch& b, std::vector<bool>& done, int64_t now) {
  int u = b.table().ColumnIndex("updated_at");
  if (u >= 0 && !done[u]) {
    b.column(u).AppendInt(now * 1000000);
    done[u] = true;
  }
  for (size_t i = 0; i < done.size(); ++i) {
    if (!done[i]) b.column(i).AppendNull();
  }
}

element Field(const element& obj, std::string_view key, bool& found) {
  element v;
  found = !obj[key].get(v);
  return v;
}

void PutField(TableBatch& b, std::vector<bool>& done, std::string_view column, const element& obj, std::string_view key) {
  bool found = false;
  element v = Field(obj, key, found);
  Put(b, done, column, found ? &v : nullptr);
}

}  // namespace

Status RefreshApiTables(matomo::MatomoClient& client, warehouse::Session& session, const std::vector<int64_t>& sites,
                        int64_t now) {
  const TableDef* sites_def = FindTable("matomo_sites");
  const TableDef* goals_def = FindTable("matomo_goals");
  if (!sites_def || !goals_def) return Error(ErrorKind::kInternal, "schema lacks matomo_sites or matomo_goals");
  TableBatch site_rows(*sites_def), goal_rows(*goals_def);
  simdjson::dom::parser parser;
  for (int64_t site : sites) {
    matomo::Params params = {{"idSite", std::to_string(site)}, {"format", "JSON"}};
    METL_ASSIGN_OR_RETURN(std::string body, client.CallRaw("SitesManager.getSiteFromId", params));
    element doc;
    if (parser.parse(body).get(doc) || !doc.is_object()) {
      return Error(ErrorKind::kData, "SitesManager.getSiteFromId: unexpected response").WithSite(site);
    }
    std::vector<bool> done(sites_def->columns.size(), false);
    PutField(site_rows, done, "site_id", doc, "idsite");
    PutField(site_rows, done, "name", doc, "name");
    PutField(site_rows, done, "main_url", doc, "main_url");
    PutField(site_rows, done, "timezone", doc, "timezone");
    PutField(site_rows, done, "currency", doc, "currency");
    PutField(site_rows, done, "ecommerce", doc, "ecommerce");
    PutField(site_rows, done, "sitesearch", doc, "sitesearch");
    PutField(site_rows, done, "type", doc, "type");
    PutField(site_rows, done, "created_at", doc, "ts_created");
    FinishRow(site_rows, done, now);

    METL_ASSIGN_OR_RETURN(std::string goals_body, client.CallRaw("Goals.getGoals", params));
    element goals;
    if (parser.parse(goals_body).get(goals)) {
      return Error(ErrorKind::kData, "Goals.getGoals: unexpected response").WithSite(site);
    }
    std::vector<element> list;
    if (goals.is_array()) {
      for (element g : goals.get_array()) list.push_back(g);
    } else if (goals.is_object()) {  // keyed by idgoal when PHP's array is not a list
      for (auto [k, g] : goals.get_object()) list.push_back(g);
    }
    for (const element& g : list) {
      if (!g.is_object()) continue;
      std::vector<bool> gdone(goals_def->columns.size(), false);
      // site_id comes from the request, not from the goal (older versions omit idsite).
      {
        int i = goals_def->ColumnIndex("site_id");
        goal_rows.column(i).AppendInt(site);
        gdone[i] = true;
      }
      PutField(goal_rows, gdone, "goal_id", g, "idgoal");
      PutField(goal_rows, gdone, "name", g, "name");
      PutField(goal_rows, gdone, "description", g, "description");
      PutField(goal_rows, gdone, "match_attribute", g, "match_attribute");
      PutField(goal_rows, gdone, "pattern", g, "pattern");
      PutField(goal_rows, gdone, "pattern_type", g, "pattern_type");
      PutField(goal_rows, gdone, "case_sensitive", g, "case_sensitive");
      PutField(goal_rows, gdone, "allow_multiple", g, "allow_multiple");
      PutField(goal_rows, gdone, "revenue", g, "revenue");
      PutField(goal_rows, gdone, "deleted", g, "deleted");
      FinishRow(goal_rows, gdone, now);
    }
  }
  return session.ReplaceSiteRows(sites, {&site_rows, &goal_rows});
}

Result<std::vector<int64_t>> SitesMissingFromApiTables(warehouse::Session& session, const std::vector<int64_t>& sites) {
  if (sites.empty()) return std::vector<int64_t>{};
  METL_ASSIGN_OR_RETURN(auto present,
                        session.Query("SELECT DISTINCT site_id FROM matomo_sites WHERE " + warehouse::SiteIdIn(sites)));
  std::set<int64_t> have;
  for (const auto& row : present.rows) {
    if (row.at(0)) have.insert(std::strtoll(row[0]->c_str(), nullptr, 10));
  }
  std::vector<int64_t> missing;
  for (int64_t s : sites) {
    if (!have.count(s)) missing.push_back(s);
  }
  return missing;
}

int FillMissingApiTables(const CommandContext& ctx, warehouse::Warehouse& warehouse,
                         const std::vector<int64_t>& sites) {
  auto session = warehouse.Connect();
  Result<std::vector<int64_t>> missing =
      session.ok() ? SitesMissingFromApiTables(**session, sites) : Result<std::vector<int64_t>>(session.error());
  if (!missing.ok()) {
    LogWarn("could not read matomo_sites", {{"error", missing.error().ToString()}});
    return kExitPartitionsFailed;
  }
  if (missing->empty()) return kExitOk;
  std::string list;
  for (int64_t s : *missing) list += (list.empty() ? "" : ",") + std::to_string(s);
  if (ctx.config.String("url").empty()) {
    LogWarn("matomo_sites and matomo_goals have no rows for site(s) " + list +
                " (a new or rebuilt warehouse): configure the Matomo url (url in matomo-etl.toml or "
                "MATOMO_ETL_URL) and token, then run `matomo-etl load` again, or run `matomo-etl sync`",
            {{"sites", *missing}});
    return kExitOk;
  }
  auto client = extract::MakeClient(ctx.config, ctx.env);
  Status st = client.ok() ? RefreshApiTables(**client, **session, *missing, ctx.clock->NowEpochSeconds())
                          : Status(client.error());
  if (!st.ok()) {
    LogWarn("could not fill matomo_sites and matomo_goals for site(s) " + list +
                "; rerun `matomo-etl load` once Matomo is reachable, or run `matomo-etl sync`",
            {{"error", st.error().ToString()}});
    return kExitPartitionsFailed;
  }
  LogInfo("filled matomo_sites and matomo_goals from the API", {{"sites", *missing}});
  return kExitOk;
}

}  // namespace metl::cli
