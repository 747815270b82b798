// site, goal and custom_dimensions: the configuration tables, written with the first day.
#include "sim/dwc_exporter.h"
#include "sim/site_json.h"

namespace metl::sim::dwcx {

Status Exporter::WriteSiteTables() {
  for (const auto& s : dataset_.Sites()) {
    Row r;
    r["idsite"] = Int(s.id);
    r["name"] = Str(s.name);
    r["main_url"] = Str(s.main_url);
    r["ts_created"] = Str(s.ts_created);
    r["ecommerce"] = Int(s.ecommerce ? 1 : 0);
    r["sitesearch"] = Int(1);
    for (const char* c : {"sitesearch_keyword_parameters", "sitesearch_category_parameters", "excluded_ips",
                          "excluded_parameters", "excluded_user_agents", "excluded_referrers", "group"}) {
      r[c] = Str("");
    }
    r["timezone"] = Str(s.timezone);
    r["currency"] = Str(s.currency);
    r["exclude_unknown_urls"] = Int(0);
    r["type"] = Str("website");
    r["keep_url_fragment"] = Int(0);
    r["creator_login"] = Str("anonymous");
    day_rows_["site"].push_back(RowJson(r, kSiteColumns));
    for (const auto& g : s.goals) {
      Row gr;
      gr["idsite"] = Int(s.id);
      gr["idgoal"] = Int(g.id);
      gr["name"] = Str(g.name);
      gr["description"] = Str("");
      gr["match_attribute"] = Str(g.match_attribute);
      gr["pattern"] = Str(g.pattern);
      gr["pattern_type"] = Str("contains");
      gr["case_sensitive"] = Int(0);
      gr["allow_multiple"] = Int(0);
      gr["revenue"] = Float(g.revenue);
      gr["deleted"] = Int(0);
      gr["event_value_as_revenue"] = Int(0);
      day_rows_["goal"].push_back(RowJson(gr, kGoalColumns));
    }
    // The generator's dimensions (the simulator's API serves the same: site_json.h).
    for (const SimDimension& d : o_.custom_dimensions ? SiteDimensions(s) : std::vector<SimDimension>{}) {
      Row dr;
      dr["idcustomdimension"] = Int(d.id);
      dr["idsite"] = Int(s.id);
      dr["name"] = Str(d.name);
      dr["index"] = Int(d.index);
      dr["scope"] = Str(d.scope);
      dr["active"] = Int(1);
      dr["extractions"] = Str("[]");
      dr["case_sensitive"] = Int(1);
      day_rows_["custom_dimensions"].push_back(RowJson(dr, kCustomDimensionColumns));
    }
  }
  return OkStatus();
}

}  // namespace metl::sim::dwcx
