#include "dwc/live_visit.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "dwc/country_names.h"
#include "dwc/json_out.h"
#include "dwc/labels.h"
#include "dwc/raw_decode.h"
#include "normalize/coerce.h"

namespace metl::dwc {
namespace {

constexpr int64_t kTypePageUrl = 1, kTypePageTitle = 4, kTypeOutlink = 2, kTypeDownload = 3, kTypeSiteSearch = 8,
                  kTypeContent = 13;

std::optional<int64_t> Epoch(const RawRow& row, std::string_view column) {
  auto text = row.Text(column);
  return text ? ParseUtcDateTime(*text) : std::nullopt;
}

std::optional<std::string> NonEmpty(std::optional<std::string> s) {
  if (s && s->empty()) return std::nullopt;
  return s;
}

// A number literal rounded to `digits` decimals (MySQL ROUND / PHP round: half away from zero),
// integral values without a fraction (Live turns them into integers).
std::optional<std::string> Rounded(const std::optional<std::string>& literal, int digits) {
  if (!literal) return std::nullopt;
  int64_t limit = 1;
  for (int i = 0; i < 18; ++i) limit *= 10;
  auto scaled = ParseDecimalScaled(*literal, digits, limit);
  if (!scaled) return std::nullopt;
  int64_t unit = 1;
  for (int i = 0; i < digits; ++i) unit *= 10;
  int64_t v = *scaled;
  std::string sign = v < 0 ? "-" : "";
  uint64_t a = v < 0 ? static_cast<uint64_t>(-v) : static_cast<uint64_t>(v);
  std::string out = sign + std::to_string(a / unit);
  uint64_t frac = a % unit;
  if (frac) {
    std::string f = std::to_string(frac);
    f.insert(0, static_cast<size_t>(digits) - f.size(), '0');
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

std::optional<std::string> NameOf(const RawRow* action) {
  return action ? action->Text("name") : std::nullopt;
}
std::optional<std::string> DecodedName(const RawRow* action) {
  auto n = NameOf(action);
  if (n) return HtmlSpecialCharsDecode(*n);
  return n;
}

// One entry of actionDetails with the keys Live sorts by.
struct Entry {
  std::optional<int64_t> time;  // UTC epoch of server_time
  std::optional<int64_t> idlink_va;
  std::optional<int64_t> type_num;  // log_action type of an lva row
  std::string type_str;             // "goal", "ecommerceOrder", ... (empty for lva rows)
  std::optional<std::string> url;   // the raw url key Live sorts by
  std::optional<int64_t> page_id_action;
  std::optional<int64_t> goal_id;
  size_t index = 0;
  std::string json;
};

// PHP 8's <=> for the sort keys: numbers numerically, else as strings.
int CompareType(const Entry& a, const Entry& b) {
  if (a.type_num && b.type_num) return *a.type_num < *b.type_num ? -1 : *a.type_num > *b.type_num;
  std::string sa = a.type_num ? std::to_string(*a.type_num) : a.type_str;
  std::string sb = b.type_num ? std::to_string(*b.type_num) : b.type_str;
  return sa.compare(sb) < 0 ? -1 : sa.compare(sb) > 0;
}

template <typename T>
int CompareOpt(const std::optional<T>& a, const std::optional<T>& b) {
  if (!a && !b) return 0;
  if (!a) return -1;  // a missing key sorts first
  if (!b) return 1;
  return *a < *b ? -1 : (*b < *a ? 1 : 0);
}

bool LiveOrder(const Entry& a, const Entry& b) {
  if (int c = CompareOpt(a.time, b.time)) return c < 0;
  if (int c = CompareOpt(a.idlink_va, b.idlink_va)) return c < 0;
  if (int c = CompareType(a, b)) return c < 0;
  if (int c = CompareOpt(a.url, b.url)) return c < 0;
  if (int c = CompareOpt(a.page_id_action, b.page_id_action)) return c < 0;
  if (int c = CompareOpt(a.goal_id, b.goal_id)) return c < 0;
  return a.index < b.index;
}

// Live's action `timestamp`: the site-local wall time written as if it were UTC (matomo#22720).
std::optional<int64_t> LocalAsUtc(const SiteContext& site, std::optional<int64_t> utc) {
  if (!utc) return std::nullopt;
  return site.zone->ToLocal(*utc);
}

void Dimensions(JsonOut& out, const SiteContext& site, const RawRow& row, std::string_view scope) {
  for (const auto& d : site.dimensions) {
    if (!d.active || d.scope != scope) continue;
    out.Field("dimension" + std::to_string(d.id), row.Text("custom_dimension_" + std::to_string(d.index)));
  }
}

// The goal, order and cart entries of a visit (Goals and Ecommerce VisitorDetails).
void ConversionEntries(const RawStore& store, const SiteContext& site, int64_t idvisit, std::vector<Entry>* entries) {
  for (const RawRow* c : store.ConversionsOf(idvisit)) {
    auto idgoal = c->Int("idgoal");
    if (!idgoal) continue;
    Entry e;
    e.time = Epoch(*c, "server_time");
    e.idlink_va = c->Int("idlink_va");
    e.index = entries->size();
    JsonOut out;
    out.BeginObject();
    // idpageview of the action the conversion happened on (LEFT JOIN log_link_visit_action).
    const RawRow* lva = store.LinkAction(e.idlink_va);
    out.Field("idpageview", lva ? lva->Text("idpageview") : std::nullopt);
    if (*idgoal > 0) {
      e.type_str = "goal";
      const RawRow* goal = store.Goal(site.site_id, *idgoal);
      if (goal && goal->Int("deleted").value_or(0) != 0) goal = nullptr;
      e.goal_id = goal ? idgoal : std::nullopt;
      e.url = c->Text("url");
      out.Field("type", "goal");
      out.Field("goalName", goal ? std::optional<std::string>(HtmlSpecialCharsDecode(goal->Text("name").value_or("")))
                                 : std::nullopt);
      out.IntField("goalId", e.goal_id);
      out.NumberField("revenue", c->Text("revenue").has_value() ? c->Text("revenue") : std::optional<std::string>("0"));
      out.IntField("goalPageId", e.idlink_va);
      out.Field("url", c->Text("url"));
    } else {
      const bool cart = *idgoal == -1;
      e.type_str = cart ? "ecommerceAbandonedCart" : "ecommerceOrder";
      out.Field("type", e.type_str);
      if (!cart) out.Field("orderId", c->Text("idorder"));
      auto money = [&](std::string_view key, std::string_view column) {
        out.NumberField(key, Rounded(c->Text(column), 2).value_or("0"));
      };
      money("revenue", "revenue");
      if (!cart) {
        money("revenueSubTotal", "revenue_subtotal");
        money("revenueTax", "revenue_tax");
        money("revenueShipping", "revenue_shipping");
        money("revenueDiscount", "revenue_discount");
      }
      out.IntField("items", c->Int("items"));
      // Items of the order, or of the cart (idorder "0"); removed items excluded; no SKU action: dropped.
      const std::string order = cart ? "0" : c->Text("idorder").value_or("");
      out.Key("itemDetails").BeginArray();
      for (const RawRow* item : store.ItemsOf(idvisit)) {
        if (item->Text("idorder").value_or("") != order || item->Int("deleted").value_or(0) != 0) continue;
        const RawRow* sku = store.Action(item->Int("idaction_sku"));
        if (!sku) continue;
        out.BeginObject();
        out.Field("itemSKU", NameOf(sku));
        out.Field("itemName", NameOf(store.Action(item->Int("idaction_name"))));
        out.Field("itemCategory", NameOf(store.Action(item->Int("idaction_category"))));
        out.NumberField("price", Rounded(item->Text("price"), 2));
        out.IntField("quantity", item->Int("quantity"));
        out.EndObject();
      }
      out.EndArray();
    }
    out.IntField("timestamp", LocalAsUtc(site, e.time));
    out.EndObject();
    e.json = out.str();
    entries->push_back(std::move(e));
  }
}

}  // namespace

std::string HtmlSpecialCharsDecode(std::string_view text) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {{"&amp;", '&'},  {"&quot;", '"'},  {"&#039;", '\''},
                                                                    {"&#39;", '\''}, {"&apos;", '\''}, {"&lt;", '<'},
                                                                    {"&gt;", '>'}};
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    bool matched = false;
    if (text[i] == '&') {
      for (const auto& [entity, ch] : kEntities) {
        if (text.substr(i, entity.size()) == entity) {
          out += ch;
          i += entity.size();
          matched = true;
          break;
        }
      }
    }
    if (!matched) out += text[i++];
  }
  return out;
}

std::string PhpUrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string RebuildActionUrl(std::string_view name, std::optional<int64_t> prefix, std::string_view main_url) {
  auto starts_ci = [](std::string_view s, std::string_view p) {
    if (s.size() < p.size()) return false;
    for (size_t i = 0; i < p.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(s[i])) != p[i]) return false;
    }
    return true;
  };
  std::string url(name);
  if (!url.empty() && !starts_ci(url, "http://") && !starts_ci(url, "https://")) {
    static constexpr std::string_view kPrefixes[] = {"http://", "http://www.", "https://", "https://www."};
    if (prefix && *prefix >= 0 && *prefix <= 3) url = std::string(kPrefixes[*prefix]) + url;
    // Host in lower case, an empty fragment dropped (PageUrl::reconstructNormalizedUrl).
    size_t scheme = url.find("://");
    if (scheme != std::string::npos) {
      size_t host_end = url.find_first_of("/?#", scheme + 3);
      if (host_end == std::string::npos) host_end = url.size();
      for (size_t i = scheme + 3; i < host_end; ++i)
        url[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(url[i])));
    }
    if (!url.empty() && url.back() == '#') url.pop_back();
  }
  url = HtmlSpecialCharsDecode(url);
  // http:// URLs of a host the site declares with https:// are shown as https:// (main URL only:
  // the export has no alias URLs).
  if (starts_ci(url, "http://") && starts_ci(main_url, "https://")) {
    std::string_view host = std::string_view(main_url).substr(8);
    host = host.substr(0, host.find_first_of("/?#"));
    std::string_view rest = std::string_view(url).substr(7);
    std::string_view url_host = rest.substr(0, rest.find_first_of("/?#"));
    if (!host.empty() && url_host == host) url = "https://" + std::string(rest);
  }
  return url;
}

Result<SiteContext> LoadSiteContext(const RawStore& store, int64_t site_id) {
  const RawRow* row = store.Site(site_id);
  if (!row) {
    return Error(ErrorKind::kData,
                 "the export has visits of site " + std::to_string(site_id) + " but no row of the site table for it")
        .WithSite(site_id)
        .WithHint("include the `site` table in the Data Warehouse Connector export (its time zone defines the days)");
  }
  SiteContext c;
  c.site_id = site_id;
  std::string tz = row->Text("timezone").value_or("UTC");
  auto zone = TimeZone::Load(tz);
  if (!zone.ok()) return zone.error();
  c.zone = *zone;
  c.ecommerce = row->Int("ecommerce").value_or(0) != 0;
  c.main_url = row->Text("main_url").value_or("");
  c.dimensions = store.CustomDimensions(site_id);
  return c;
}

std::string RenderLiveVisit(const RawStore& store, const SiteContext& site, const RawRow& visit) {
  const int64_t idvisit = visit.Int("idvisit").value_or(0);
  const auto first_time = Epoch(visit, "visit_first_action_time");
  const auto last_time = Epoch(visit, "visit_last_action_time");
  const int64_t total_time = visit.Int("visit_total_time").value_or(0);

  // actionDetails: link_visit_action rows, then goals, orders and carts; timeSpent before the sort.
  const auto& rows = store.ActionsOf(idvisit);
  std::vector<Entry> entries;
  entries.reserve(rows.size() + 4);
  std::vector<std::optional<int64_t>> types(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const RawRow* url = store.Action(rows[i]->Int("idaction_url"));
    const RawRow* title = store.Action(rows[i]->Int("idaction_name"));
    types[i] = url ? url->Int("type") : (title ? title->Int("type") : std::nullopt);
  }
  auto is_pageview = [&](size_t i) { return types[i] == kTypePageUrl || types[i] == kTypePageTitle; };
  for (size_t i = 0; i < rows.size(); ++i) {
    const RawRow& lva = *rows[i];
    const RawRow* url_action = store.Action(lva.Int("idaction_url"));
    const RawRow* title_action = store.Action(lva.Int("idaction_name"));
    const RawRow* category = store.Action(lva.Int("idaction_event_category"));
    const std::optional<int64_t> type = types[i];
    const bool is_event = category && NonEmpty(category->Text("type")).has_value();
    Entry e;
    e.time = Epoch(lva, "server_time");
    e.idlink_va = lva.Int("idlink_va");
    e.type_num = type;
    e.url = NameOf(url_action);
    e.page_id_action = url_action ? url_action->Int("idaction") : std::nullopt;
    e.index = entries.size();

    JsonOut out;
    out.BeginObject();
    if (is_event) {
      out.Field("type", "event");
    } else if (type == kTypePageUrl || type == kTypePageTitle || !type) {
      out.Field("type", "action");
    } else if (type == kTypeOutlink) {
      out.Field("type", "outlink");
    } else if (type == kTypeDownload) {
      out.Field("type", "download");
    } else if (type == kTypeSiteSearch) {
      out.Field("type", "search");
    } else {
      out.IntField("type", type);  // 13 (content) stays a number, as in Live
    }
    std::optional<std::string> url;
    if (e.url) url = RebuildActionUrl(*e.url, url_action->Int("url_prefix"), site.main_url);
    out.Field("url", url);
    const std::optional<std::string> page_title = DecodedName(title_action);
    if (type == kTypeSiteSearch) {
      out.Field("siteSearchKeyword", page_title);
      out.Field("siteSearchCategory", NonEmpty(lva.Text("search_cat")));
      out.IntField("siteSearchCount", lva.Int("search_count"));
    } else if (is_event) {
      out.Field("eventCategory", DecodedName(category));
      out.Field("eventAction", DecodedName(store.Action(lva.Int("idaction_event_action"))));
      if (NonEmpty(page_title)) out.Field("eventName", page_title);
      if (auto value = Rounded(lva.Text("custom_float"), 3)) out.NumberField("eventValue", value);
    } else {
      out.Field("pageTitle", page_title);
    }
    out.IntField("pageIdAction", e.page_id_action);
    out.Field("idpageview", lva.Text("idpageview"));
    out.IntField("pageId", e.idlink_va);
    out.IntField("pageviewPosition", lva.Int("pageview_position"));
    if (is_pageview(i)) {
      // Time until the next pageview: the next rows' time_spent_ref_action up to and including it;
      // for the last pageview, the rest of the visit when above 10 s.
      int64_t spent = 0;
      bool ended = true;
      for (size_t j = i + 1; j < rows.size(); ++j) {
        spent += rows[j]->Int("time_spent_ref_action").value_or(0);
        if (is_pageview(j)) {
          ended = false;
          break;
        }
      }
      if (ended && e.time && first_time) {
        int64_t rest = total_time - (*e.time - *first_time);
        if (rest > 10) spent = rest;
      }
      out.IntField("timeSpent", spent);
    }
    // Page load: the sum of the six timings, only when all are known and positive.
    int64_t load = 0;
    bool known = true;
    for (const char* col : {"time_network", "time_server", "time_transfer", "time_dom_processing",
                            "time_dom_completion", "time_on_load"}) {
      auto v = lva.Int(col);
      if (!v)
        known = false;
      else
        load += *v;
    }
    if (known && load > 0) out.IntField("pageLoadTimeMilliseconds", load);
    if (!is_event && type && (*type <= 4 || *type == kTypeSiteSearch || *type == 10)) {
      auto gt = lva.Double("custom_float");
      if (gt && *gt > 0) out.NumberField("generationTimeMilliseconds", lva.Text("custom_float"));
    }
    if (type == kTypeContent) {
      out.Field("contentName", DecodedName(store.Action(lva.Int("idaction_content_name"))));
      out.Field("contentPiece", DecodedName(store.Action(lva.Int("idaction_content_piece"))));
      out.Field("contentTarget", DecodedName(store.Action(lva.Int("idaction_content_target"))));
      out.Field("contentInteraction", DecodedName(store.Action(lva.Int("idaction_content_interaction"))));
    }
    if (auto price = NonEmpty(lva.Text("product_price"))) out.NumberField("productViewPrice", price);
    if (auto name = NonEmpty(NameOf(store.Action(lva.Int("idaction_product_name")))))
      out.Field("productViewName", name);
    if (auto sku = NonEmpty(NameOf(store.Action(lva.Int("idaction_product_sku"))))) out.Field("productViewSku", sku);
    std::vector<std::string> categories;
    for (const char* col : {"idaction_product_cat", "idaction_product_cat2", "idaction_product_cat3",
                            "idaction_product_cat4", "idaction_product_cat5"}) {
      if (auto name = NonEmpty(NameOf(store.Action(lva.Int(col))))) categories.push_back(*name);
    }
    if (!categories.empty()) {
      out.Key("productViewCategories").BeginArray();
      for (const auto& c : categories) out.String(c);
      out.EndArray();
    }
    out.IntField("timestamp", LocalAsUtc(site, e.time));
    Dimensions(out, site, lva, "action");
    out.EndObject();
    e.json = out.str();
    entries.push_back(std::move(e));
  }
  ConversionEntries(store, site, idvisit, &entries);
  std::stable_sort(entries.begin(), entries.end(), LiveOrder);

  // The visit.
  JsonOut out;
  out.BeginObject();
  out.IntField("idSite", site.site_id);
  out.IntField("idVisit", idvisit);
  if (auto ip = visit.Text("location_ip")) {
    auto bytes = DecodeBinary(*ip, {4, 16});
    out.Field("visitIp", IpToString(bytes.value_or("")));
  }
  auto hex_of = [&](std::string_view column) -> std::optional<std::string> {
    auto text = visit.Text(column);
    if (!text) return std::nullopt;
    auto bytes = DecodeBinary(*text, {8});
    if (!bytes) return std::nullopt;
    return HexOf(*bytes);
  };
  const auto visitor = hex_of("idvisitor");
  out.Field("visitorId", visitor);
  out.Field("fingerprint", hex_of("config_id"));
  out.Key("actionDetails").BeginArray();
  for (const Entry& e : entries) out.Number(e.json);
  out.EndArray();
  int64_t goal_conversions = 0;
  for (const RawRow* c : store.ConversionsOf(idvisit)) goal_conversions += c->Int("idgoal").value_or(0) > 0;
  out.IntField("goalConversions", goal_conversions);
  out.IntField("lastActionTimestamp", last_time);
  out.IntField("serverTimestamp", last_time);
  out.IntField("firstActionTimestamp", first_time);
  out.Field("userId", NonEmpty(visit.Text("user_id")));
  const int64_t returning = visit.Int("visitor_returning").value_or(0);
  out.Field("visitorType", returning == 2 ? "returningCustomer" : returning == 1 ? "returning" : "new");
  out.IntField("visitConverted", visit.Int("visit_goal_converted"));
  out.IntField("visitCount", visit.Int("visitor_count_visits"));
  static constexpr const char* kEcommerceStatus[] = {"none", "ordered", "abandonedCart", "orderedThenAbandonedCart"};
  const int64_t buyer = visit.Int("visit_goal_buyer").value_or(0);
  out.Field("visitEcommerceStatus", buyer >= 0 && buyer <= 3 ? kEcommerceStatus[buyer] : "none");
  auto days = [&](std::string_view key, std::string_view column) {
    auto seconds = visit.Int(column);
    out.IntField(key, seconds ? *seconds / 86400 : 0);
  };
  days("daysSinceFirstVisit", "visitor_seconds_since_first");
  days("daysSinceLastEcommerceOrder", "visitor_seconds_since_order");
  days("daysSinceLastVisit", "visitor_seconds_since_last");
  out.IntField("visitDuration", total_time);
  out.IntField("searches", visit.Int("visit_total_searches"));
  out.IntField("actions", visit.Int("visit_total_actions"));
  out.IntField("interactions", visit.Int("visit_total_interactions"));
  out.IntField("events", visit.Int("visit_total_events"));

  static constexpr std::pair<int64_t, const char*> kReferrerTypes[] = {
      {1, "direct"}, {2, "search"}, {3, "website"}, {6, "campaign"}, {7, "social"}};
  std::string referrer_type;
  auto ref = visit.Int("referer_type");
  for (const auto& [code, name] : kReferrerTypes) {
    if (ref == code) referrer_type = name;
  }
  out.Field("referrerType", referrer_type);
  out.Field("referrerName", HtmlSpecialCharsDecode(visit.Text("referer_name").value_or("")));
  std::string keyword = HtmlSpecialCharsDecode(visit.Text("referer_keyword").value_or(""));
  if (referrer_type == "search" && keyword.empty()) keyword = "Keyword not defined";
  out.Field("referrerKeyword", PhpUrlDecode(keyword));
  {
    // UrlHelper::isLookLikeUrl: a scheme (or none) followed by "//".
    auto url = visit.Text("referer_url");
    bool looks = false;
    if (url) {
      size_t slashes = url->find("//");
      looks = slashes != std::string::npos;
      for (size_t i = 0; looks && i < slashes; ++i) {
        char ch = (*url)[i];
        looks = std::isalnum(static_cast<unsigned char>(ch)) || ch == '+' || ch == '.' || ch == '-' ||
                (ch == ':' && i + 1 == slashes);
      }
    }
    out.Field("referrerUrl", looks ? url : std::nullopt);
  }
  out.Field("languageCode", visit.Text("location_browser_lang"));
  out.Field("deviceType", DeviceTypeLabel(visit.Int("config_device_type")));
  out.Field("deviceBrand", DeviceBrandLabel(visit.Text("config_device_brand").value_or("")));
  out.Field("deviceModel", DeviceModelLabel(visit.Text("config_device_model").value_or("")));
  const std::string os = visit.Text("config_os").value_or("");
  out.Field("operatingSystemName", os.empty() ? std::nullopt : std::optional<std::string>(OsLabel(os)));
  out.Field("operatingSystemCode", NonEmpty(visit.Text("config_os")));
  out.Field("operatingSystemVersion", NonEmpty(visit.Text("config_os_version")));
  out.Field("browserFamily", NonEmpty(visit.Text("config_browser_engine")));
  const std::string browser = visit.Text("config_browser_name").value_or("");
  out.Field("browserName", browser.empty() ? std::nullopt : std::optional<std::string>(BrowserLabel(browser)));
  out.Field("browserCode", NonEmpty(visit.Text("config_browser_name")));
  out.Field("browserVersion", NonEmpty(visit.Text("config_browser_version")));
  if (site.ecommerce) {
    // Live's totals count the visitor's whole history on the site (here: every conversion held).
    int64_t orders = 0, carts = 0, order_items = 0, cart_items = 0;
    int64_t order_cents = 0, cart_cents = 0;
    const auto& mine = visitor ? store.ConversionsOfVisitor(site.site_id, *visitor) : store.ConversionsOf(-1);
    for (const RawRow* c : mine) {
      auto goal = c->Int("idgoal");
      auto cents = ParseDecimalScaled(c->Text("revenue").value_or("0"), 2, int64_t{1} << 60).value_or(0);
      if (goal == 0) {
        ++orders;
        order_cents += cents;
        order_items += c->Int("items").value_or(0);
      } else if (goal == -1) {
        ++carts;
        cart_cents += cents;
        cart_items += c->Int("items").value_or(0);
      }
    }
    auto money = [](int64_t cents) { return Rounded(std::to_string(cents) + "e-2", 2).value_or("0"); };
    out.NumberField("totalEcommerceRevenue", money(order_cents));
    out.IntField("totalEcommerceConversions", orders);
    out.IntField("totalEcommerceItems", order_items);
    out.NumberField("totalAbandonedCartsRevenue", money(cart_cents));
    out.IntField("totalAbandonedCarts", carts);
    out.IntField("totalAbandonedCartsItems", cart_items);
  }
  const std::string country = visit.Text("location_country").value_or("");
  out.Field("continentCode", country.empty() ? std::nullopt : std::optional<std::string>(ContinentCode(country)));
  out.Field("country", CountryName(country));  // Matomo's English label, from iso-codes (country_names.h)
  out.Field("countryCode", NonEmpty(visit.Text("location_country")));
  out.Field("regionCode", NonEmpty(visit.Text("location_region")));
  out.Field("city", NonEmpty(visit.Text("location_city")));
  auto coordinate = [&](std::string_view key, std::string_view column) {
    auto v = visit.Double(column);
    out.NumberField(key, v && *v != 0 ? visit.Text(column) : std::nullopt);
  };
  coordinate("latitude", "location_latitude");
  coordinate("longitude", "location_longitude");
  out.Field("visitLocalTime", visit.Text("visitor_localtime"));
  out.Field("resolution", NonEmpty(visit.Text("config_resolution")));
  Dimensions(out, site, visit, "visit");
  out.EndObject();
  return out.str();
}

}  // namespace metl::dwc
