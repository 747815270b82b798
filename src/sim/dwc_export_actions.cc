// log_link_visit_action: a row per actionDetails entry that is a hit (pageview, event, site search,
// outlink, download, content), with the log_action ids of its URL, title and names; goals, orders and
// carts go to Exporter::Conversion.
#include <algorithm>

#include "sim/dwc_exporter.h"

namespace metl::sim::dwcx {

using simdjson::dom::element;

void Exporter::Entry(VisitRows& s, element a) {
  std::string type;
  std::string_view ts;
  if (a["type"].get(ts) == simdjson::SUCCESS) {
    type = std::string(ts);
  } else {
    type = std::to_string(GetInt(a, "type").value_or(0));  // content entries carry a number
  }
  int64_t when = ServerTime(*s.site, GetInt(a, "timestamp").value_or(0), s.first, s.last);
  std::string server_time = Str(FormatDateTime(when));
  if (type == "goal" || type == "ecommerceOrder" || type == "ecommerceAbandonedCart") {
    Conversion(s, a, type, server_time);
    return;
  }
  // A log_link_visit_action row.
  Row r;
  int64_t idlink = GetInt(a, "pageId").value_or(s.idvisit * 1000 + static_cast<int64_t>(s.pageviews));
  r["idlink_va"] = Int(idlink);
  r["idsite"] = Int(s.site->id);
  r["idvisitor"] = s.idvisitor;
  r["idvisit"] = Int(s.idvisit);
  r["idaction_url_ref"] = Int(s.prev_url.value_or(0));
  r["idaction_name_ref"] = Int(s.prev_name.value_or(0));
  r["server_time"] = server_time;
  r["time_spent_ref_action"] = Int(std::max<int64_t>(0, when - s.prev_time));
  SetOpt(r, "pageview_position", GetInt(a, "pageviewPosition"));
  SetOpt(r, "idpageview", GetStr(a, "idpageview"));  // '' as stored, as Live shows it
  SetOpt(r, "custom_dimension_1", GetStr(a, "dimension2"));
  std::string url = GetStr(a, "url").value_or("");
  std::optional<int64_t> url_id, name_id;
  if (type == "action") {
    url_id = UrlAction(kPageUrl, url);
    if (auto title = GetStr(a, "pageTitle")) name_id = ActionId(kPageTitle, *title);
    if (auto ms = GetInt(a, "pageLoadTimeMilliseconds")) {
      // Live gives only the sum of the six timings: all of it lands in time_server.
      for (const char* t :
           {"time_network", "time_transfer", "time_dom_processing", "time_dom_completion", "time_on_load"}) {
        r[t] = Int(0);
      }
      r["time_server"] = Int(*ms);
    }
    if (auto sku = GetStr(a, "productViewSku")) {
      r["idaction_product_sku"] = Int(ActionId(kItemSku, *sku));
      if (auto n = GetStr(a, "productViewName")) r["idaction_product_name"] = Int(ActionId(kItemName, *n));
      if (auto p = GetDouble(a, "productViewPrice")) r["product_price"] = Float(*p);
      simdjson::dom::array cats;
      if (a["productViewCategories"].get(cats) == simdjson::SUCCESS) {
        const char* cols[] = {"idaction_product_cat", "idaction_product_cat2", "idaction_product_cat3",
                              "idaction_product_cat4", "idaction_product_cat5"};
        size_t k = 0;
        for (element cat : cats) {
          std::string_view name;
          if (k < 5 && cat.get(name) == simdjson::SUCCESS) r[cols[k++]] = Int(ActionId(kItemCategory, std::string(name)));
        }
      }
    }
    ++s.pageviews;
  } else if (type == "event") {
    url_id = UrlAction(kEventCategory, url);
    r["idaction_event_category"] = Int(ActionId(kEventCategory, GetStr(a, "eventCategory").value_or("")));
    r["idaction_event_action"] = Int(ActionId(kEventAction, GetStr(a, "eventAction").value_or("")));
    if (auto n = GetStr(a, "eventName")) name_id = ActionId(kEventName, *n);
    if (auto val = GetDouble(a, "eventValue")) r["custom_float"] = Float(*val);
  } else if (type == "search") {
    name_id = ActionId(kSiteSearch, GetStr(a, "siteSearchKeyword").value_or(""));
    r["search_cat"] = Str(GetStr(a, "siteSearchCategory").value_or(""));
    SetOpt(r, "search_count", GetInt(a, "siteSearchCount"));
  } else if (type == "download" || type == "outlink") {
    url_id = ActionId(type == "download" ? kDownload : kOutlink, HtmlEscape(url));
  } else if (GetStr(a, "contentName")) {
    url_id = ActionId(kContentName, HtmlEscape(url));
    r["idaction_content_name"] = Int(ActionId(kContentName, GetStr(a, "contentName").value_or("")));
    if (auto p = GetStr(a, "contentPiece")) r["idaction_content_piece"] = Int(ActionId(kContentPiece, *p));
    if (auto t = GetStr(a, "contentTarget")) r["idaction_content_target"] = Int(ActionId(kContentTarget, *t));
    if (auto i = GetStr(a, "contentInteraction")) {
      r["idaction_content_interaction"] = Int(ActionId(kContentInteraction, *i));
    }
  } else {
    url_id = UrlAction(kPageUrl, url);
  }
  SetOpt(r, "idaction_url", url_id);
  SetOpt(r, "idaction_name", name_id);
  day_rows_["log_link_visit_action"].push_back(RowJson(r, kLvaColumns));
  if (type == "action") {
    if (!s.entry_url) {
      s.entry_url = url_id;
      s.entry_name = name_id;
    }
    s.exit_url = url_id;
    s.exit_name = name_id;
  }
  if (url_id) s.prev_url = url_id;
  if (name_id && type == "action") s.prev_name = name_id;
  s.prev_time = when;
}

}  // namespace metl::sim::dwcx
