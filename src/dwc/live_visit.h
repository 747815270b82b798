// One visit of the raw log tables rendered as Matomo 5's Live.getLastVisitsDetails renders it
// (DWC.md §2 gives the rules with Matomo's source lines), restricted to the fields the curated
// tables use. The result goes through the same normalizer as a visit fetched from Live, so the
// curated rows of both exits mean the same by construction. Unlike Live, no visit is cut at 500 actions.
#pragma once

#include <memory>
#include <string>

#include "core/error.h"
#include "core/time_zone.h"
#include "dwc/raw_store.h"

namespace metl::dwc {

// What a visit's rendering needs from its site.
struct SiteContext {
  int64_t site_id = 0;
  std::shared_ptr<const TimeZone> zone;
  bool ecommerce = false;
  std::string main_url;  // for Live's http -> https rewrite of the site's own URLs
  std::vector<CustomDimensionConfig> dimensions;
};

// Loads a site's context from the store; a site row missing, or a time zone that cannot be loaded,
// is a kData/kConfig error.
Result<SiteContext> LoadSiteContext(const RawStore& store, int64_t site_id);

// The Live JSON object of `visit` (a log_visit row of the context's site).
std::string RenderLiveVisit(const RawStore& store, const SiteContext& site, const RawRow& visit);

// Text transformations of Live, public for their unit tests.
std::string HtmlSpecialCharsDecode(std::string_view text);  // &amp; &quot; &#039; &#39; &lt; &gt;
std::string PhpUrlDecode(std::string_view text);            // %XX and '+' -> ' '
// Rebuilds an action URL from log_action.name and url_prefix (DWC.md §2.5).
std::string RebuildActionUrl(std::string_view name, std::optional<int64_t> prefix, std::string_view main_url);

}  // namespace metl::dwc
