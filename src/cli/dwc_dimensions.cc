#include "cli/dwc_dimensions.h"

#include <string>

#include "core/log.h"
#include "extract/extract_run.h"

namespace metl::cli {

Result<DwcDimensions> ApplyDwcDimensions(CommandContext& ctx, dwc::RawStore& store, const std::set<int64_t>& sites) {
  DwcDimensions out;
  const Config& config = ctx.config;
  const std::string option = config.Has("dwc_custom_dimensions") ? config.String("dwc_custom_dimensions") : "";
  if (!option.empty()) {
    METL_ASSIGN_OR_RETURN(auto list, dwc::ParseDimensionOption(option));
    for (int64_t site : sites) {  // the option is the whole mapping: a site it does not name has none
      std::vector<dwc::CustomDimensionConfig> mine;
      for (const auto& c : list) {
        if (c.site_id == site) mine.push_back(c);
      }
      store.SetCustomDimensions(site, mine);
    }
    out.source = dwc::DimensionSource::kConfig;
  } else if (!config.String("url").empty()) {
    auto token = ResolveMatomoToken(config, ctx.env);
    if (!token.ok()) {
      // The URL alone (set for `verify`, say) does not make the API a requirement of the load.
      LogWarn("a Matomo URL is set but no token: custom dimensions are not read from Matomo's API",
              {{"reason", token.error().message()},
               {"hint", "set MATOMO_TOKEN_AUTH (or token_file) to map them through the API (docs/dwc.md)"}});
    } else {
      METL_ASSIGN_OR_RETURN(auto client, extract::MakeClient(config, *token));
      for (int64_t site : sites) {
        METL_ASSIGN_OR_RETURN(auto list, dwc::FetchConfiguredCustomDimensions(*client, site));
        store.SetCustomDimensions(site, list);
      }
      out.source = dwc::DimensionSource::kApi;
    }
  }
  if (out.source == dwc::DimensionSource::kNone && store.HasCustomDimensions()) out.source = dwc::DimensionSource::kFile;
  for (int64_t site : sites) out.dimensions += static_cast<int64_t>(store.CustomDimensions(site).size());
  for (const auto& [site, columns] : dwc::UnmappedDimensionColumns(store, sites)) {
    ++out.unmapped_sites;
    std::string list;
    for (const auto& c : columns) list += (list.empty() ? "" : ", ") + c;
    LogWarn("the site's log rows hold custom dimension values that no known dimension maps: left out of "
            "matomo_custom_dimensions",
            {{"site", site},
             {"columns", list},
             {"mapping", dwc::DimensionSourceName(out.source)},
             {"hint", "configure url and a token (the mapping is then read from Matomo's API), or set "
                      "dwc_custom_dimensions, or put custom_dimensions.jsonl in the export folder (docs/dwc.md)"}});
  }
  return out;
}

}  // namespace metl::cli
