#include "sim/visit_generator.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

#include "sim/visit_json_writer.h"

namespace metl::sim {
namespace {

using namespace std::string_view_literals;

// ---------------------------------------------------------------------------------------------
// Hashing and random numbers: everything derives from (seed, salt, site, day, index).

enum Salt : uint64_t {
  kSaltCount = 1, kSaltStart, kSaltNew, kSaltVisit, kSaltVisitor, kSaltLate, kSaltCont, kSaltPick
};

constexpr uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t H(uint64_t seed, uint64_t salt, int64_t site, int64_t day, int64_t idx) {
  uint64_t h = Mix64(seed ^ (salt * 0xd6e8feb86659fd93ULL));
  h = Mix64(h ^ static_cast<uint64_t>(site));
  h = Mix64(h ^ static_cast<uint64_t>(day));
  return Mix64(h ^ static_cast<uint64_t>(idx));
}

class Rng {
 public:
  explicit Rng(uint64_t s) : s_(s) {}
  uint64_t Next() {
    s_ += 0x9e3779b97f4a7c15ULL;
    uint64_t z = s_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0.
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  int64_t Range(int64_t lo, int64_t hi) { return lo + Below(hi - lo + 1); }  // inclusive
  bool Chance(int percent) { return Below(100) < percent; }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[static_cast<size_t>(Below(static_cast<int64_t>(v.size())))]; }

 private:
  uint64_t s_;
};

// Traffic by site-local hour (quiet nights, busy evenings); index 24 is the total.
constexpr std::array<double, 24> kHourWeights = {2, 1.5, 1, 1, 1, 1.5, 2.5, 4, 5, 6, 6, 6,
                                                 6, 6, 6,   6, 6, 7, 8, 8, 8, 7,   5, 3.5};

// Maps u in [0,1) to a fraction of the day following kHourWeights (inverse CDF, linear per hour).
double DiurnalFraction(double u) {
  static const std::array<double, 25> cum = [] {
    std::array<double, 25> c{};
    for (int h = 0; h < 24; ++h) c[h + 1] = c[h] + kHourWeights[h];
    for (auto& x : c) x /= c[24];
    return c;
  }();
  int h = 0;
  while (h < 23 && cum[h + 1] <= u) ++h;
  double within = (u - cum[h]) / (cum[h + 1] - cum[h]);
  return (h + within) / 24.0;
}

void AppendHex16(std::string& out, uint64_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) out.push_back(kHex[(v >> shift) & 0xF]);
}

// Matomo's idpageview: 6 characters of [A-Za-z0-9].
void AppendPvId(std::string& out, uint32_t pv) {
  static constexpr char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  uint64_t x = Mix64(pv);
  for (int i = 0; i < 6; ++i) {
    out.push_back(kAlnum[x % 62]);
    x /= 62;
  }
}

// ---------------------------------------------------------------------------------------------
// The plan of one visit: its entries in true time order, as offsets from the visit start.

enum class ActType : uint8_t { kPageview, kEvent, kContent, kSearch, kOutlink, kDownload, kGoal, kOrder, kCart };

// idpageview values: 0 = "", 1 = null, other = a 6-char id.
constexpr uint32_t kPvEmpty = 0, kPvNull = 1;

struct Act {
  ActType type = ActType::kPageview;
  int32_t page = -1;  // current page (catalog index)
  int32_t ref = -1;   // event/content/search keyword/outlink/download/goal index
  int32_t pos = 0;    // pageviewPosition
  uint32_t pv = kPvEmpty;
  int32_t aux = -1;   // search: result count (-1 = null); content: 1 = click; event: product; goal: download
  int32_t aux2 = -1;  // search: category (-1 = none)
  // goal: the entry it converted on (Matomo's log_conversion.idlink_va: the pageview of a URL goal, the
  // event or download of an event or file goal), which gives Live its goalPageId and idpageview; -1 for
  // a goal converted without one (a manual conversion, like Matomo's trackGoal).
  int32_t link = -1;
  int32_t item_begin = 0, item_count = 0;
  int32_t load_ms = 0;
  int64_t off = 0;    // seconds after the visit start
  int64_t cents = -1; // event value (-1 = none; value_kind decides int/decimal)
};

struct ItemLine {
  int product;
  int quantity;
};

enum class VisitKind : uint8_t {
  kNormal, kBounce, kCrossing, kContinuation, kContinuationGoalOnly, kContinuationPing, kFallBack, kTruncated
};

constexpr size_t kMaxActionsShown = 500;  // visitor_log_maximum_actions_per_visit

struct Plan {
  std::vector<Act> acts;
  std::vector<ItemLine> items;
  int64_t pre_cart = 0;  // firstActionTimestamp precedes the first entry by this (cart update)
  int64_t ping = 0;      // lastActionTimestamp follows the last entry by this (heartbeat)
  int64_t ping_only_span = 0;
};

int PickPage(const SiteCatalog& c, Rng& r, int prev, bool first, int referrer_kind) {
  if (c.shop) {
    if (first) {
      int x = static_cast<int>(r.Below(100));
      if (x < 40 || referrer_kind == 0) return x < 70 ? c.home : r.Pick(c.product_pages);
      if (x < 75) return r.Pick(c.product_pages);
      return r.Pick(c.list_pages);
    }
    int x = static_cast<int>(r.Below(100));
    if (x < 50) return r.Pick(c.product_pages);
    if (x < 72) return r.Pick(c.list_pages);
    if (x < 82) return c.home;
    if (x < 90 && prev != c.cart) return c.cart;
    return r.Pick(c.other_pages);
  }
  int x = static_cast<int>(r.Below(100));
  if (first) return x < 30 ? c.home : r.Pick(c.article_pages);
  if (x < 65) return r.Pick(c.article_pages);
  if (x < 80) return static_cast<int>(r.Below(2)) == 0 ? c.home : r.Pick(c.list_pages);
  return r.Pick(c.other_pages);
}

int64_t Dwell(Rng& r) {
  // Mostly short, sometimes long reads.
  int64_t x = r.Below(100);
  if (x < 50) return r.Range(4, 60);
  if (x < 85) return r.Range(60, 240);
  return r.Range(240, 900);
}

void BuildPlan(const SiteCatalog& c, VisitKind kind, int referrer_kind, Rng& r, Plan& plan) {
  plan.acts.clear();
  plan.items.clear();
  plan.pre_cart = plan.ping = plan.ping_only_span = 0;
  auto& acts = plan.acts;
  if (kind == VisitKind::kContinuationPing) {
    plan.ping_only_span = r.Range(5, 240);
    return;
  }
  if (kind == VisitKind::kContinuationGoalOnly) {
    // Only a goal converted after midnight (e.g. a delayed event): 0 actions, still converted.
    Act g;
    g.type = ActType::kGoal;
    g.ref = c.contact_goal >= 0 ? c.contact_goal : 0;
    g.page = c.contact >= 0 ? c.contact : c.home;
    acts.push_back(g);
    if (r.Chance(50)) plan.ping = r.Range(10, 120);
    return;
  }
  int pvs = 1;
  switch (kind) {
    case VisitKind::kBounce: pvs = 1; break;
    case VisitKind::kTruncated: pvs = static_cast<int>(r.Range(265, 340)); break;
    case VisitKind::kFallBack: pvs = 6; break;
    case VisitKind::kContinuation: pvs = static_cast<int>(r.Range(1, 3)); break;
    default:
      pvs = 2;
      while (pvs < 30 && r.Chance(62)) ++pvs;
  }
  const bool quiet = kind == VisitKind::kBounce || kind == VisitKind::kFallBack;
  const bool truncated = kind == VisitKind::kTruncated;
  int64_t now = 0;
  int pos = 0, page = -1;
  int cart_lines = 0;
  int64_t last_cart_update = -1;
  for (int p = 0; p < pvs; ++p) {
    if (p > 0) now += truncated ? r.Range(3, 9) : (kind == VisitKind::kFallBack ? r.Range(40, 70) : Dwell(r));
    page = PickPage(c, r, page, p == 0, referrer_kind);
    Act pv;
    pv.type = ActType::kPageview;
    pv.page = page;
    pv.pos = ++pos;
    pv.pv = static_cast<uint32_t>(r.Next() | 2);
    pv.off = now;
    pv.load_ms = static_cast<int32_t>(r.Range(180, 3400));
    const int32_t pv_at = static_cast<int32_t>(acts.size());
    acts.push_back(pv);
    const uint32_t cur_pv = pv.pv;
    if (quiet) continue;
    const CatalogPage& cp = c.pages[static_cast<size_t>(page)];
    if (truncated) {
      Act e;
      e.type = ActType::kEvent;
      e.page = page;
      e.pos = pos;
      e.pv = cur_pv;
      e.ref = c.shop ? 2 : 3;  // scroll depth
      e.cents = 7500;
      e.off = (now += r.Range(1, 4));
      acts.push_back(e);
      continue;
    }
    // A URL goal (or the visit's third pageview) converts on the pageview, at its time.
    bool contact_goal = page == c.contact && c.contact_goal >= 0;
    bool engaged_goal = c.engaged_goal >= 0 && p == 2;
    if (contact_goal || engaged_goal) {
      Act g;
      g.type = ActType::kGoal;
      g.ref = contact_goal ? c.contact_goal : c.engaged_goal;
      g.page = page;
      g.link = pv_at;
      g.off = now;
      acts.push_back(g);
    }
    if (!c.contents.empty() && r.Chance(12)) {
      Act e;
      e.type = ActType::kContent;
      e.page = page;
      e.pos = pos;
      e.pv = kPvEmpty;
      e.ref = static_cast<int32_t>(r.Below(static_cast<int64_t>(c.contents.size())));
      e.aux = r.Chance(33) ? 1 : 0;
      e.off = (now += r.Range(2, 30));
      acts.push_back(e);
    }
    if (c.shop && cp.role == PageRole::kProduct && r.Chance(38) && cart_lines < 6) {
      Act e;
      e.type = ActType::kEvent;
      e.page = page;
      e.pos = pos;
      e.pv = cur_pv;
      e.ref = 0;
      e.aux = cp.product;
      e.cents = c.products[static_cast<size_t>(cp.product)].price_cents;
      e.off = (now += r.Range(5, 90));
      acts.push_back(e);
      plan.items.push_back({cp.product, r.Chance(80) ? 1 : 2});
      ++cart_lines;
      last_cart_update = now;
    } else if (r.Chance(22)) {
      Act e;
      e.type = ActType::kEvent;
      e.page = page;
      e.pos = pos;
      e.pv = r.Chance(97) ? cur_pv : kPvEmpty;
      int first_event = c.shop ? 1 : 0;
      e.ref = static_cast<int32_t>(r.Range(first_event, static_cast<int64_t>(c.events.size()) - 1));
      const CatalogEvent& ev = c.events[static_cast<size_t>(e.ref)];
      if (ev.value_kind == 1) e.cents = r.Range(1, 100) * 100;
      if (ev.value_kind == 2) e.cents = r.Range(100, 9999);
      e.off = (now += r.Range(3, 120));
      acts.push_back(e);
      if (ev.goal_index >= 0) {
        Act g;
        g.type = ActType::kGoal;
        g.ref = ev.goal_index;
        g.page = page;
        g.link = static_cast<int32_t>(acts.size()) - 1;
        g.off = now;
        acts.push_back(g);
      }
    }
    if (r.Chance(8)) {
      Act s;
      s.type = ActType::kSearch;
      s.page = page;
      s.pos = ++pos;
      s.pv = r.Chance(50) ? kPvEmpty : static_cast<uint32_t>(r.Next() | 2);
      s.ref = static_cast<int32_t>(r.Below(static_cast<int64_t>(c.search_keywords.size())));
      s.aux = r.Chance(25) ? -1 : static_cast<int32_t>(r.Pick(std::vector<int>{0, 3, 12, 27, 48}));
      s.aux2 = r.Chance(45) ? static_cast<int32_t>(r.Below(static_cast<int64_t>(c.search_categories.size()))) : -1;
      s.off = (now += r.Range(5, 60));
      acts.push_back(s);
    }
    if (r.Chance(5)) {
      Act o;
      o.type = ActType::kOutlink;
      o.page = page;
      o.pos = pos;
      o.ref = static_cast<int32_t>(r.Below(static_cast<int64_t>(c.outlinks.size())));
      o.off = (now += r.Range(3, 80));
      acts.push_back(o);
    }
    if (r.Chance(4)) {
      Act d;
      d.type = ActType::kDownload;
      d.page = page;
      d.pos = pos;
      d.ref = static_cast<int32_t>(r.Below(static_cast<int64_t>(c.downloads.size())));
      d.off = (now += r.Range(3, 80));
      acts.push_back(d);
      int goal = c.downloads[static_cast<size_t>(d.ref)].goal_index;
      if (goal >= 0) {
        Act g;
        g.type = ActType::kGoal;
        g.ref = goal;
        g.page = page;
        g.aux = d.ref;
        g.link = static_cast<int32_t>(acts.size()) - 1;
        g.off = now;
        acts.push_back(g);
      }
    }
  }
  auto add_pageview = [&](int pg) {
    Act pv;
    pv.type = ActType::kPageview;
    pv.page = pg;
    pv.pos = ++pos;
    pv.pv = static_cast<uint32_t>(r.Next() | 2);
    pv.off = (now += Dwell(r));
    pv.load_ms = static_cast<int32_t>(r.Range(180, 3400));
    acts.push_back(pv);
  };
  if (c.shop && truncated) {
    // The order lands in the cut tail: Goals.get counts it, Live does not show it.
    plan.items.push_back({0, 1});
    Act o;
    o.type = ActType::kOrder;
    o.pv = kPvNull;
    o.item_begin = 0;
    o.item_count = 1;
    o.off = (now += 30);
    acts.push_back(o);
  } else if (!c.shop && truncated) {
    Act g;
    g.type = ActType::kGoal;
    g.ref = 0;
    g.page = page;
    g.off = (now += 5);
    acts.push_back(g);
  } else if (c.shop && !plan.items.empty()) {
    // Matomo's cart holds one line per SKU (a later add replaces the line) and reads an order's
    // items by SKU id (log_conversion_item's primary key): Live lists them in that order.
    std::vector<ItemLine> lines;
    for (auto it = plan.items.rbegin(); it != plan.items.rend(); ++it) {
      bool seen = false;
      for (const ItemLine& l : lines) seen = seen || l.product == it->product;
      if (!seen) lines.push_back(*it);
    }
    std::sort(lines.begin(), lines.end(), [&](const ItemLine& a, const ItemLine& b) {
      return c.products[static_cast<size_t>(a.product)].sku_action < c.products[static_cast<size_t>(b.product)].sku_action;
    });
    plan.items = std::move(lines);
    Act e;
    e.pv = kPvNull;
    e.item_begin = 0;
    e.item_count = static_cast<int32_t>(plan.items.size());
    if (r.Chance(45)) {
      if (r.Chance(15)) {
        // An earlier cart abandoned in the same visit, then the order (status stays "ordered").
        Act cart = e;
        cart.type = ActType::kCart;
        cart.off = (now += r.Range(1, 20));
        acts.push_back(cart);
      }
      add_pageview(c.cart);
      add_pageview(c.checkout);
      e.type = ActType::kOrder;
      e.off = (now += r.Range(20, 200));
      acts.push_back(e);
      add_pageview(c.success);
    } else {
      e.type = ActType::kCart;
      e.off = (now += r.Range(1, 20));
      acts.push_back(e);
      (void)last_cart_update;
    }
  }
  if (c.shop && r.Chance(3)) plan.pre_cart = r.Range(5, 50);
  if (kind != VisitKind::kFallBack && r.Chance(6)) plan.ping = r.Range(10, 300);
}

// ---------------------------------------------------------------------------------------------
// Referrers.

struct Referrer {
  int kind = 0;  // 0 direct, 1 search, 2 website, 3 campaign, 4 social
  int variant = 0;
  int keyword = -1;  // search keyword index (search) or campaign keyword
  bool url_null = false;
};

struct SearchEngine { const char *name, *host, *url; };
constexpr SearchEngine kEngines[] = {
    {"Google", "google.com", "https:\\/\\/www.google.com\\/search?q="},
    {"Bing", "bing.com", "https:\\/\\/www.bing.com\\/search?q="},
    {"DuckDuckGo", "duckduckgo.com", "https:\\/\\/duckduckgo.com\\/?q="},
};
struct Social { const char *name, *host, *url; };
constexpr Social kSocials[] = {
    {"Pinterest", "pinterest.com", "https:\\/\\/www.pinterest.com\\/pin\\/12345\\/"},
    {"Facebook", "facebook.com", "https:\\/\\/www.facebook.com\\/"},
    {"LinkedIn", "linkedin.com", "https:\\/\\/www.linkedin.com\\/feed\\/"},
};
constexpr const char* kWebsites[][2] = {
    {"news.example.net", "https:\\/\\/news.example.net\\/best-gear-2026"},
    {"forum.example.org", "https:\\/\\/forum.example.org\\/t\\/analytics\\/42"},
};
constexpr const char* kCampaignKeywords[] = {"jackets", "partner-42", "mail.example.com", "carousel"};

Referrer PickReferrer(Rng& r) {
  Referrer ref;
  int64_t x = r.Below(100);
  ref.kind = x < 35 ? 1 : x < 58 ? 0 : x < 80 ? 3 : x < 92 ? 4 : 2;
  ref.variant = static_cast<int>(r.Below(3));
  ref.keyword = r.Chance(65) ? static_cast<int>(r.Below(64)) : -1;
  ref.url_null = r.Chance(25);
  return ref;
}

void AppendPlusEncoded(std::string& out, const std::string& escaped) {
  for (char ch : escaped) out.push_back(ch == ' ' ? '+' : ch);
}

// Visit-level referrer keys, from "referrerType" to "referrerSocialNetworkIcon".
void AppendReferrer(std::string& out, const SiteCatalog& c, const Referrer& ref) {
  auto keyword = [&]() -> const std::string& {
    return c.search_keywords[static_cast<size_t>(ref.keyword) % c.search_keywords.size()];
  };
  switch (ref.kind) {
    case 0:
      out += "\"referrerType\":\"direct\",\"referrerTypeName\":\"Direct Entry\",\"referrerName\":\"\","
             "\"referrerKeyword\":\"\",\"referrerKeywordPosition\":null,\"referrerUrl\":null,"
             "\"referrerSearchEngineUrl\":null,\"referrerSearchEngineIcon\":null,"
             "\"referrerSocialNetworkUrl\":null,\"referrerSocialNetworkIcon\":null,"sv;
      return;
    case 1: {
      const SearchEngine& e = kEngines[ref.variant % 3];
      out += "\"referrerType\":\"search\",\"referrerTypeName\":\"Search Engines\",\"referrerName\":\""sv;
      out += e.name;
      out += "\",\"referrerKeyword\":\""sv;
      // Matomo's Live labels a search without keyword (Referrers/API.php, the real sample shows it).
      out += ref.keyword >= 0 ? std::string_view(keyword()) : "Keyword not defined"sv;
      out += "\",\"referrerKeywordPosition\":null,\"referrerUrl\":\""sv;
      out += e.url;
      if (ref.keyword >= 0) AppendPlusEncoded(out, keyword());
      out += "\",\"referrerSearchEngineUrl\":\"http:\\/\\/"sv;
      out += e.host;
      out += "\",\"referrerSearchEngineIcon\":\"plugins\\/Morpheus\\/icons\\/dist\\/searchEngines\\/"sv;
      out += e.host;
      out += ".png\",\"referrerSocialNetworkUrl\":null,\"referrerSocialNetworkIcon\":null,"sv;
      return;
    }
    case 2: {
      const auto& w = kWebsites[ref.variant % 2];
      out += "\"referrerType\":\"website\",\"referrerTypeName\":\"Websites\",\"referrerName\":\""sv;
      out += w[0];
      out += "\",\"referrerKeyword\":\"\",\"referrerKeywordPosition\":null,\"referrerUrl\":\""sv;
      out += w[1];
      out += "\",\"referrerSearchEngineUrl\":null,\"referrerSearchEngineIcon\":null,"
             "\"referrerSocialNetworkUrl\":null,\"referrerSocialNetworkIcon\":null,"sv;
      return;
    }
    case 3: {
      out += "\"referrerType\":\"campaign\",\"referrerTypeName\":\"Campaigns\",\"referrerName\":\""sv;
      out += c.campaigns[static_cast<size_t>(ref.variant + (ref.keyword & 1)) % c.campaigns.size()];
      out += "\",\"referrerKeyword\":\""sv;
      if (ref.keyword >= 0) out += kCampaignKeywords[ref.keyword % 4];
      out += "\",\"referrerKeywordPosition\":null,\"referrerUrl\":"sv;
      out += ref.url_null ? "null" : "\"https:\\/\\/mail.example.com\\/\"";
      out += ",\"referrerSearchEngineUrl\":null,\"referrerSearchEngineIcon\":null,"
             "\"referrerSocialNetworkUrl\":null,\"referrerSocialNetworkIcon\":null,"sv;
      return;
    }
    default: {
      const Social& s = kSocials[ref.variant % 3];
      out += "\"referrerType\":\"social\",\"referrerTypeName\":\"Social Networks\",\"referrerName\":\""sv;
      out += s.name;
      out += "\",\"referrerKeyword\":\"\",\"referrerKeywordPosition\":null,\"referrerUrl\":\""sv;
      out += s.url;
      out += "\",\"referrerSearchEngineUrl\":null,\"referrerSearchEngineIcon\":null,\"referrerSocialNetworkUrl\":\""sv;
      out += s.host;
      out += "\",\"referrerSocialNetworkIcon\":\"plugins\\/Morpheus\\/icons\\/dist\\/socials\\/"sv;
      out += s.host;
      out += ".png\","sv;
      return;
    }
  }
}

// The referrer keys inside a goal entry: name null for direct, keyword null when empty.
void AppendGoalReferrer(std::string& out, const SiteCatalog& c, const Referrer& ref) {
  static constexpr const char* kTypes[] = {"direct", "search", "website", "campaign", "social"};
  out += "\"referrerType\":\""sv;
  out += kTypes[ref.kind];
  out += "\",\"referrerName\":"sv;
  switch (ref.kind) {
    case 0: out += "null"sv; break;
    case 1: out += "\""sv; out += kEngines[ref.variant % 3].name; out += "\""sv; break;
    case 2: out += "\""sv; out += kWebsites[ref.variant % 2][0]; out += "\""sv; break;
    case 3:
      out += "\""sv;
      out += c.campaigns[static_cast<size_t>(ref.variant + (ref.keyword & 1)) % c.campaigns.size()];
      out += "\""sv;
      break;
    default: out += "\""sv; out += kSocials[ref.variant % 3].name; out += "\""sv; break;
  }
  out += ",\"referrerKeyword\":"sv;
  if (ref.kind == 1 && ref.keyword >= 0) {
    out += "\""sv;
    out += c.search_keywords[static_cast<size_t>(ref.keyword) % c.search_keywords.size()];
    out += "\""sv;
  } else if (ref.kind == 3 && ref.keyword >= 0) {
    out += "\""sv;
    out += kCampaignKeywords[ref.keyword % 4];
    out += "\""sv;
  } else {
    out += "null"sv;
  }
  out += ","sv;
}

// ---------------------------------------------------------------------------------------------
// Writing one visit.

struct VisitorFacts {
  uint64_t key = 0;
  bool returning = false;
  int64_t visit_count = 1;
  int64_t seconds_since_first = 0;
  int64_t seconds_since_last = 0;
  bool ordered_before = false;
};

struct VisitInput {
  const SiteCatalog* c = nullptr;
  int64_t id_visit = 0;
  int64_t start = 0;  // UTC of offset 0
  VisitorFacts visitor;
  Referrer referrer;
  const Plan* plan = nullptr;
  uint64_t variation = 0;  // random bits for type variations
};

struct Totals {
  int64_t pageviews = 0, events = 0, searches = 0, outlinks = 0, downloads = 0, goals = 0;
  int64_t orders = 0, order_cents = 0, order_items = 0;
  int64_t carts = 0, cart_cents = 0, cart_items = 0;
};

struct OrderAmounts {
  int64_t subtotal = 0, tax = 0, shipping = 0, revenue = 0, items = 0;
};

OrderAmounts Amounts(const SiteCatalog& c, const Plan& plan, const Act& a, bool order) {
  OrderAmounts m;
  for (int32_t i = a.item_begin; i < a.item_begin + a.item_count; ++i) {
    const ItemLine& line = plan.items[static_cast<size_t>(i)];
    m.subtotal += c.products[static_cast<size_t>(line.product)].price_cents * line.quantity;
    m.items += line.quantity;
  }
  if (order) {
    m.tax = (m.subtotal * 19 + 50) / 100;
    m.shipping = m.subtotal >= 10000 ? 0 : 495;
    m.revenue = m.subtotal + m.tax + m.shipping;
  } else {
    m.revenue = m.subtotal;
  }
  return m;
}

class VisitWriter {
 public:
  VisitWriter(const VisitInput& in, std::string& out) : in_(in), c_(*in.c), out_(out) {}

  void Write(SimVisit& v);

 private:
  int64_t LocalOf(int64_t utc) const {
    if (uniform_offset_) return utc + offset_;
    return c_.site.tz->ToLocal(utc);
  }
  void WriteAction(const Act& a, int64_t next_pv_off, int64_t last_ts);
  void WriteItems(const Act& a);
  void WriteCommonTail(const Act& a);

  const VisitInput& in_;
  const SiteCatalog& c_;
  std::string& out_;
  bool uniform_offset_ = true;
  int64_t offset_ = 0;
  int64_t last_hit_off_ = 0;  // offset of the visit's last entry that is not a goal, order or cart
  std::string date_prefix_;  // "Nov 25, 2026 "
};

void VisitWriter::WriteCommonTail(const Act& a) {
  // "timestamp" (site-local wall time written as UTC) then "dimension2".
  out_ += "\"timestamp\":"sv;
  AppendInt(out_, LocalOf(in_.start + a.off));
  out_ += ",\"dimension2\":"sv;
  if (a.type == ActType::kPageview) {
    out_ += c_.pages[static_cast<size_t>(a.page)].dim2;
  } else {
    out_ += "null"sv;
  }
  out_ += "}"sv;
}

void VisitWriter::WriteItems(const Act& a) {
  out_ += "\"itemDetails\":["sv;
  for (int32_t i = a.item_begin; i < a.item_begin + a.item_count; ++i) {
    const ItemLine& line = in_.plan->items[static_cast<size_t>(i)];
    const CatalogProduct& p = c_.products[static_cast<size_t>(line.product)];
    if (i != a.item_begin) out_ += ","sv;
    out_ += "{\"itemSKU\":\""sv;
    out_ += p.sku;
    out_ += "\",\"itemName\":\""sv;
    out_ += p.name;
    out_ += "\",\"itemCategory\":\""sv;
    out_ += p.category;
    out_ += "\",\"price\":"sv;
    AppendCents(out_, p.price_cents);
    out_ += ",\"quantity\":"sv;
    AppendInt(out_, line.quantity);
    out_ += ",\"categories\":[\""sv;
    out_ += p.category;
    out_ += "\"]}"sv;
  }
  out_ += "],"sv;
}

void AppendPvValue(std::string& out, uint32_t pv) {
  if (pv == kPvNull) {
    out += "null"sv;
  } else if (pv == kPvEmpty) {
    out += "\"\""sv;
  } else {
    out += "\""sv;
    AppendPvId(out, pv);
    out += "\""sv;
  }
}

void VisitWriter::WriteAction(const Act& a, int64_t next_pv_off, int64_t last_ts) {
  const int64_t utc = in_.start + a.off;
  const int64_t local = LocalOf(utc);
  const int64_t page_id = in_.id_visit * 1024 + (&a - in_.plan->acts.data());
  auto server_time = [&] {
    out_ += "\"serverTimePretty\":\""sv;
    out_ += date_prefix_;
    AppendClock(out_, SecondOfDay(local));
    out_ += "\","sv;
  };
  const CatalogPage* page = a.page >= 0 ? &c_.pages[static_cast<size_t>(a.page)] : nullptr;
  switch (a.type) {
    case ActType::kPageview: {
      // Matomo's timeSpent (DWC.md §2.5): until the next pageview; the last pageview gets the rest of the
      // visit when above 10 s, else only the time to the visit's last hit (goals and orders are no hits).
      int64_t spent = next_pv_off >= 0 ? next_pv_off - a.off : last_ts - utc;
      if (next_pv_off < 0 && spent <= 10) spent = last_hit_off_ - a.off;
      out_ += "{\"type\":\"action\",\"url\":\""sv;
      out_ += page->url;
      out_ += "\",\"pageTitle\":\""sv;
      out_ += page->title;
      out_ += "\",\"pageIdAction\":"sv;
      AppendInt(out_, page->id_action);
      out_ += ",\"idpageview\":"sv;
      AppendPvValue(out_, a.pv);
      out_ += ","sv;
      server_time();
      out_ += "\"pageId\":"sv;
      AppendInt(out_, page_id);
      out_ += ",\"pageLoadTime\":\""sv;
      AppendPageLoadTime(out_, a.load_ms);
      out_ += "\","sv;
      const CatalogProduct* product = page->product >= 0 ? &c_.products[static_cast<size_t>(page->product)] : nullptr;
      if (product) {
        out_ += "\"productViewPrice\":"sv;
        AppendCents(out_, product->price_cents);
        out_ += ",\"productViewName\":\""sv;
        out_ += product->name;
        out_ += "\",\"productViewSku\":\""sv;
        out_ += product->sku;
        out_ += "\","sv;
      }
      out_ += "\"timeSpent\":"sv;
      AppendInt(out_, spent);
      out_ += ",\"timeSpentPretty\":\""sv;
      AppendPrettyDuration(out_, spent);
      out_ += "\",\"pageLoadTimeMilliseconds\":"sv;
      AppendInt(out_, a.load_ms);
      out_ += ",\"pageviewPosition\":"sv;
      AppendInt(out_, a.pos);
      out_ += ",\"title\":\""sv;
      out_ += page->title;
      out_ += "\",\"subtitle\":\""sv;
      out_ += page->url;
      out_ += "\",\"icon\":\"\",\"iconSVG\":\"plugins\\/Morpheus\\/images\\/action.svg\",\"timestamp\":"sv;
      AppendInt(out_, local);
      if (product) {
        out_ += ",\"productViewCategories\":[\""sv;
        out_ += product->category;
        out_ += "\"]"sv;
      }
      out_ += ",\"dimension2\":"sv;
      out_ += page->dim2;
      out_ += "}"sv;
      return;
    }
    case ActType::kContent: {
      const CatalogContent& ct = c_.contents[static_cast<size_t>(a.ref)];
      out_ += "{\"type\":13,\"url\":\""sv;
      out_ += page->url;
      out_ += "\",\"pageTitle\":null,\"pageIdAction\":"sv;
      AppendInt(out_, page->content_url_action);
      out_ += ",\"idpageview\":\"\","sv;
      server_time();
      out_ += "\"pageId\":"sv;
      AppendInt(out_, page_id);
      out_ += ",\"contentName\":\""sv;
      out_ += ct.name;
      out_ += "\",\"contentPiece\":\""sv;
      out_ += ct.piece;
      out_ += "\",\"contentTarget\":\""sv;
      out_ += ct.target;
      out_ += a.aux == 1 ? "\",\"contentInteraction\":\"click\"" : "\",\"contentInteraction\":null";
      out_ += ",\"pageviewPosition\":"sv;
      AppendInt(out_, a.pos);
      out_ += ",\"icon\":\"plugins\\/Morpheus\\/images\\/contentimpression.png\","
              "\"iconSVG\":\"plugins\\/Morpheus\\/images\\/contentimpression.svg\",\"title\":\""sv;
      out_ += a.aux == 1 ? "Content Interaction (click)" : "Content Impression";
      out_ += "\",\"subtitle\":\""sv;
      out_ += ct.name;
      out_ += " - "sv;
      out_ += ct.piece;
      out_ += "\","sv;
      break;
    }
    case ActType::kEvent: {
      const CatalogEvent& ev = c_.events[static_cast<size_t>(a.ref)];
      const CatalogProduct* product = a.aux >= 0 ? &c_.products[static_cast<size_t>(a.aux)] : nullptr;
      out_ += "{\"type\":\"event\",\"url\":\""sv;
      out_ += page->url;
      out_ += "\",\"pageIdAction\":"sv;
      AppendInt(out_, page->event_url_action);
      out_ += ",\"idpageview\":"sv;
      AppendPvValue(out_, a.pv);
      out_ += ","sv;
      server_time();
      out_ += "\"pageId\":"sv;
      AppendInt(out_, page_id);
      out_ += ",\"eventCategory\":\""sv;
      out_ += ev.category;
      out_ += "\",\"eventAction\":\""sv;
      out_ += ev.action;
      out_ += "\",\"pageviewPosition\":"sv;
      AppendInt(out_, a.pos);
      out_ += ",\"timestamp\":"sv;
      AppendInt(out_, local);
      out_ += ",\"icon\":\"plugins\\/Morpheus\\/images\\/event.png\",\"iconSVG\":\"plugins\\/Morpheus\\/images\\/"
              "event.svg\",\"title\":\"Event\",\"subtitle\":\"Category: \\\""sv;
      out_ += ev.category;
      out_ += "', Action: \\\""sv;
      out_ += ev.action;
      out_ += "\\\"\""sv;
      if (product) {
        out_ += ",\"eventName\":\""sv;
        out_ += product->name;
        out_ += "\""sv;
      } else if (!ev.name.empty()) {
        out_ += ",\"eventName\":\""sv;
        out_ += ev.name;
        out_ += "\""sv;
      }
      if (a.cents >= 0) {
        out_ += ",\"eventValue\":"sv;
        AppendCents(out_, a.cents);
      }
      out_ += ",\"dimension2\":null}"sv;
      return;
    }
    case ActType::kSearch: {
      const std::string& kw = c_.search_keywords[static_cast<size_t>(a.ref)];
      out_ += "{\"type\":\"search\",\"url\":null,\"pageIdAction\":null,\"idpageview\":"sv;
      AppendPvValue(out_, a.pv);
      out_ += ","sv;
      server_time();
      out_ += "\"pageId\":"sv;
      AppendInt(out_, page_id);
      out_ += ",\"siteSearchKeyword\":\""sv;
      out_ += kw;
      out_ += "\",\"siteSearchCategory\":\""sv;
      if (a.aux2 >= 0) out_ += c_.search_categories[static_cast<size_t>(a.aux2)];
      out_ += "\",\"siteSearchCount\":"sv;
      if (a.aux >= 0) {
        AppendInt(out_, a.aux);
      } else {
        out_ += "null"sv;
      }
      out_ += ",\"pageviewPosition\":"sv;
      AppendInt(out_, a.pos);
      out_ += ",\"icon\":\"plugins\\/Morpheus\\/images\\/search.png\",\"iconSVG\":\"plugins\\/Morpheus\\/images\\/"
              "search.svg\",\"title\":\"Site Search\",\"subtitle\":\""sv;
      out_ += kw;
      if (a.aux2 >= 0) {
        out_ += " - Search Category: "sv;
        out_ += c_.search_categories[static_cast<size_t>(a.aux2)];
      }
      if (a.aux >= 0) {
        out_ += " - Search Results Count: "sv;
        AppendInt(out_, a.aux);
      }
      out_ += "\","sv;
      break;
    }
    case ActType::kOutlink:
    case ActType::kDownload: {
      bool outlink = a.type == ActType::kOutlink;
      const CatalogLink& l = (outlink ? c_.outlinks : c_.downloads)[static_cast<size_t>(a.ref)];
      out_ += outlink ? "{\"type\":\"outlink\",\"url\":\"" : "{\"type\":\"download\",\"url\":\"";
      out_ += l.url;
      out_ += "\",\"pageTitle\":null,\"pageIdAction\":"sv;
      AppendInt(out_, l.id_action);
      out_ += ",\"idpageview\":\"\","sv;
      server_time();
      out_ += "\"pageId\":"sv;
      AppendInt(out_, page_id);
      out_ += ",\"pageviewPosition\":"sv;
      AppendInt(out_, a.pos);
      out_ += outlink ? ",\"icon\":\"plugins\\/Morpheus\\/images\\/link.png\",\"iconSVG\":\"plugins\\/Morpheus\\/"
                        "images\\/link.svg\",\"title\":\"Outlink\",\"subtitle\":\""
                      : ",\"icon\":\"plugins\\/Morpheus\\/images\\/download.png\",\"iconSVG\":\"plugins\\/Morpheus\\/"
                        "images\\/download.svg\",\"title\":\"Download\",\"subtitle\":\"";
      out_ += l.url;
      out_ += "\","sv;
      break;
    }
    case ActType::kGoal: {
      const CatalogGoal& g = c_.goals[static_cast<size_t>(a.ref)];
      out_ += "{\"type\":\"goal\",\"goalName\":\""sv;
      out_ += g.name;
      out_ += "\",\"goalId\":"sv;
      AppendInt(out_, g.id);
      // The idpageview of the entry it converted on (Live's LEFT JOIN on idlink_va).
      out_ += ",\"idpageview\":"sv;
      AppendPvValue(out_, a.link >= 0 ? in_.plan->acts[static_cast<size_t>(a.link)].pv : kPvNull);
      out_ += ",\"revenue\":"sv;
      AppendCents(out_, g.revenue_cents);
      out_ += ",\"goalPageId\":"sv;
      if (a.link < 0) {
        out_ += "null"sv;
      } else {
        AppendInt(out_, in_.id_visit * 1024 + a.link);
      }
      out_ += ","sv;
      server_time();
      out_ += "\"url\":\""sv;
      out_ += a.aux >= 0 ? c_.downloads[static_cast<size_t>(a.aux)].url : page->url;
      out_ += "\","sv;
      AppendGoalReferrer(out_, c_, in_.referrer);
      out_ += "\"icon\":\"plugins\\/Morpheus\\/images\\/goal.png\",\"iconSVG\":\"plugins\\/Morpheus\\/images\\/goal.svg\","
              "\"title\":\"Goal conversion\",\"subtitle\":\""sv;
      out_ += g.subtitle;
      out_ += "\","sv;
      break;
    }
    case ActType::kOrder:
    case ActType::kCart: {
      bool order = a.type == ActType::kOrder;
      OrderAmounts m = Amounts(c_, *in_.plan, a, order);
      char order_id[32] = {};
      if (order) {
        out_ += "{\"type\":\"ecommerceOrder\",\"orderId\":\""sv;
        std::string oid = "O-";
        Ymd d = DateOfEpoch(local).ymd();
        AppendInt(oid, d.year * 10000 + d.month * 100 + d.day);
        oid += "-";
        AppendInt(oid, in_.id_visit);
        std::memcpy(order_id, oid.data(), std::min(oid.size(), sizeof(order_id) - 1));
        out_ += oid;
        out_ += "\",\"revenue\":"sv;
        AppendCents(out_, m.revenue);
        out_ += ",\"revenueSubTotal\":"sv;
        AppendCents(out_, m.subtotal);
        out_ += ",\"revenueTax\":"sv;
        AppendCents(out_, m.tax);
        out_ += ",\"revenueShipping\":"sv;
        AppendCents(out_, m.shipping);
        out_ += ",\"revenueDiscount\":0,\"items\":"sv;
      } else {
        out_ += "{\"type\":\"ecommerceAbandonedCart\",\"revenue\":"sv;
        AppendCents(out_, m.revenue);
        out_ += ",\"items\":"sv;
      }
      AppendInt(out_, m.items);
      out_ += ","sv;
      server_time();
      out_ += "\"idpageview\":null,"sv;
      WriteItems(a);
      out_ += order ? "\"icon\":\"plugins\\/Morpheus\\/images\\/ecommerceOrder.png\",\"iconSVG\":\"plugins\\/"
                      "Morpheus\\/images\\/ecommerceOrder.svg\",\"title\":\"Ordered ("
                    : "\"icon\":\"plugins\\/Morpheus\\/images\\/ecommerceAbandonedCart.png\",\"iconSVG\":\"plugins\\/"
                      "Morpheus\\/images\\/ecommerceAbandonedCart.svg\",\"title\":\"Abandoned Cart";
      if (order) {
        out_ += order_id;
        out_ += ")"sv;
      }
      out_ += "\",\"subtitle\":\""sv;
      out_ += c_.symbol_json;
      std::string money;
      AppendInt(money, m.revenue / 100);
      if (m.revenue % 100 != 0) {
        money += ".";
        Append2(money, static_cast<int>(m.revenue % 100));
      }
      out_ += money;
      out_ += " revenue - "sv;
      AppendInt(out_, m.items);
      out_ += " items: "sv;
      for (int32_t i = a.item_begin; i < a.item_begin + a.item_count; ++i) {
        if (i != a.item_begin) out_ += ", "sv;
        out_ += c_.products[static_cast<size_t>(in_.plan->items[static_cast<size_t>(i)].product)].name;
      }
      out_ += ")\","sv;
      break;
    }
  }
  WriteCommonTail(a);
}

void AppendHour(std::string& out, int64_t second_of_day) { AppendInt(out, second_of_day / 3600); }

void VisitWriter::Write(SimVisit& v) {
  const Plan& plan = *in_.plan;
  const auto& acts = plan.acts;
  const int64_t first_ts = acts.empty() ? in_.start : in_.start + acts.front().off - plan.pre_cart;
  const int64_t last_ts =
      acts.empty() ? in_.start + plan.ping_only_span : in_.start + acts.back().off + plan.ping;
  offset_ = c_.site.tz->OffsetAt(first_ts);
  uniform_offset_ = offset_ == c_.site.tz->OffsetAt(last_ts);
  const int64_t local_first = LocalOf(first_ts), local_last = LocalOf(last_ts);
  date_prefix_.clear();
  AppendShortDatePrefix(date_prefix_, DateOfEpoch(local_last).days());

  Totals t;
  // Distinct pages/links per visit for Actions.get's unique counts (ids: page, 1000+link).
  thread_local std::vector<int32_t> pages, links, keywords;
  pages.clear();
  links.clear();
  keywords.clear();
  for (const Act& a : acts) {
    switch (a.type) {
      case ActType::kPageview: ++t.pageviews; pages.push_back(a.page); break;
      case ActType::kEvent: ++t.events; break;
      case ActType::kSearch: ++t.searches; keywords.push_back(a.ref); break;
      case ActType::kOutlink: ++t.outlinks; links.push_back(a.ref); break;
      case ActType::kDownload: ++t.downloads; links.push_back(1000 + a.ref); break;
      case ActType::kGoal: {
        ++t.goals;
        const CatalogGoal& g = c_.goals[static_cast<size_t>(a.ref)];
        v.conversions.push_back({g.id, CentsText(g.revenue_cents), 0});
        break;
      }
      case ActType::kOrder:
      case ActType::kCart: {
        bool order = a.type == ActType::kOrder;
        OrderAmounts m = Amounts(c_, plan, a, order);
        if (order) {
          ++t.orders;
          t.order_cents += m.revenue;
          t.order_items += m.items;
        } else {
          ++t.carts;
          t.cart_cents += m.revenue;
          t.cart_items += m.items;
        }
        v.conversions.push_back({order ? 0 : -1, CentsText(m.revenue), m.items});
        break;
      }
      case ActType::kContent: break;
    }
  }
  auto distinct = [](std::vector<int32_t>& xs) {
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  };
  distinct(pages);
  distinct(links);
  distinct(keywords);
  v.uniq_pageviews = static_cast<int64_t>(pages.size());
  for (int32_t l : links) ++(l >= 1000 ? v.uniq_downloads : v.uniq_outlinks);
  for (int32_t k : keywords) v.search_keywords.push_back(c_.search_keywords_text[static_cast<size_t>(k)]);
  std::sort(v.search_keywords.begin(), v.search_keywords.end());  // as DescribeVisit gives them
  const int64_t actions = t.pageviews + t.events + t.searches + t.outlinks + t.downloads;
  const bool converted = t.goals > 0 || t.orders > 0;
  const int64_t duration = last_ts - first_ts;
  const uint64_t vk = in_.visitor.key;
  const uint64_t var = in_.variation;

  v.id_visit = in_.id_visit;
  v.first_action_ts = first_ts;
  v.last_action_ts = last_ts;
  v.actions = actions;
  v.visit_duration = duration;
  v.converted = converted;
  v.pageviews = t.pageviews;
  v.downloads = t.downloads;
  v.outlinks = t.outlinks;
  v.searches = t.searches;
  v.events = t.events;

  out_.clear();
  out_.reserve(2600 + acts.size() * 620);
  out_ += "{\"idSite\":"sv;
  AppendInt(out_, c_.site.id);
  out_ += ",\"idVisit\":"sv;
  AppendInt(out_, in_.id_visit);
  out_ += ",\"visitIp\":\""sv;
  uint64_t ip = Mix64(vk + 1);
  AppendInt(out_, 11 + static_cast<int64_t>(ip % 212));
  for (int i = 1; i < 4; ++i) {
    out_ += "."sv;
    AppendInt(out_, static_cast<int64_t>((ip >> (i * 8)) & 0xFF));
  }
  out_ += "\",\"visitorId\":\""sv;
  const size_t visitor_id_at = out_.size();
  AppendHex16(out_, vk);
  v.visitor_id.assign(out_, visitor_id_at, 16);
  out_ += "\",\"fingerprint\":\""sv;
  AppendHex16(out_, Mix64(vk ^ 0x5555));
  out_ += "\",\"actionDetails\":"sv;
  const size_t actions_begin = out_.size();
  out_ += "["sv;
  const size_t shown = std::min(acts.size(), kMaxActionsShown);
  // Next pageview offset for timeSpent, computed backwards once.
  int64_t next_pv = -1;
  std::vector<int64_t>& next_pv_of = *[] {
    thread_local std::vector<int64_t> buf;
    return &buf;
  }();
  next_pv_of.assign(acts.size(), -1);
  last_hit_off_ = 0;
  for (const Act& a : acts) {
    if (a.type != ActType::kGoal && a.type != ActType::kOrder && a.type != ActType::kCart) last_hit_off_ = a.off;
  }
  for (size_t i = acts.size(); i-- > 0;) {
    next_pv_of[i] = next_pv;
    if (acts[i].type == ActType::kPageview) next_pv = acts[i].off;
  }
  for (size_t i = 0; i < shown; ++i) {
    if (i) out_ += ","sv;
    WriteAction(acts[i], next_pv_of[i], last_ts);
  }
  out_ += "]"sv;
  const size_t actions_end = out_.size();
  if (acts.size() > kMaxActionsShown) {
    out_ += ",\"truncatedActionsCount\":"sv;
    AppendInt(out_, static_cast<int64_t>(acts.size() - kMaxActionsShown));
    // What Live cuts off, for the DWC export (which, like Matomo's log tables, holds every action).
    std::string visit_json;
    visit_json.swap(out_);
    out_ += "["sv;
    for (size_t i = shown; i < acts.size(); ++i) {
      if (i > shown) out_ += ","sv;
      WriteAction(acts[i], next_pv_of[i], last_ts);
    }
    out_ += "]"sv;
    v.cut_actions_json.swap(out_);
    out_.swap(visit_json);
  }
  out_ += ",\"goalConversions\":"sv;
  AppendInt(out_, t.goals);
  out_ += ",\"siteCurrency\":\""sv;
  out_ += c_.currency_json;
  out_ += "\",\"siteCurrencySymbol\":\""sv;
  out_ += c_.symbol_json;
  out_ += "\",\"serverDate\":\""sv;
  AppendIsoDate(out_, DateOfEpoch(last_ts).days());
  out_ += "\",\"visitServerHour\":\""sv;
  AppendHour(out_, SecondOfDay(last_ts));
  out_ += "\",\"lastActionTimestamp\":"sv;
  AppendInt(out_, last_ts);
  out_ += ",\"lastActionDateTime\":\""sv;
  AppendIsoDateTime(out_, last_ts);
  out_ += "\",\"siteName\":\""sv;
  out_ += c_.name_json;
  out_ += "\",\"serverTimestamp\":"sv;
  AppendInt(out_, last_ts);
  out_ += ",\"firstActionTimestamp\":"sv;
  AppendInt(out_, first_ts);
  out_ += ",\"serverTimePretty\":\""sv;
  AppendClock(out_, SecondOfDay(local_last));
  out_ += "\",\"serverDatePretty\":\""sv;
  AppendLongDate(out_, DateOfEpoch(local_last).days());
  out_ += "\",\"serverDatePrettyFirstAction\":\""sv;
  AppendLongDate(out_, DateOfEpoch(local_first).days());
  out_ += "\",\"serverTimePrettyFirstAction\":\""sv;
  AppendClock(out_, SecondOfDay(local_first));
  out_ += "\",\"userId\":"sv;
  const bool has_user = Mix64(vk + 5) % 100 < 22;
  if (has_user) {
    const size_t at = out_.size() + 1;
    out_ += "\""sv;
    uint64_t n = Mix64(vk + 6) % 1000;
    if (c_.shop) {
      out_ += "customer"sv;
      AppendInt(out_, static_cast<int64_t>(n));
      out_ += "@example.com"sv;
    } else {
      out_ += "user-"sv;
      if (n < 10000) out_ += n < 1000 ? (n < 100 ? (n < 10 ? "0000" : "000") : "00") : "0";
      AppendInt(out_, static_cast<int64_t>(n));
    }
    v.user_id.assign(out_, at, out_.size() - at);
    out_ += "\""sv;
  } else {
    out_ += "null"sv;
  }
  const VisitorFacts& vf = in_.visitor;
  out_ += vf.returning ? ",\"visitorType\":\"returning\",\"visitorTypeIcon\":\"plugins\\/Live\\/images\\/"
                         "returningVisitor.png\""
                       : ",\"visitorType\":\"new\",\"visitorTypeIcon\":null";
  out_ += converted ? ",\"visitConverted\":1,\"visitConvertedIcon\":\"plugins\\/Morpheus\\/images\\/goal.svg\""
                    : ",\"visitConverted\":0,\"visitConvertedIcon\":null";
  out_ += ",\"visitCount\":"sv;
  AppendInt(out_, vf.visit_count);
  if (t.orders > 0) {
    out_ += ",\"visitEcommerceStatus\":\"ordered\",\"visitEcommerceStatusIcon\":\"plugins\\/Morpheus\\/images\\/"
            "ecommerceOrder.svg\""sv;
  } else if (t.carts > 0) {
    out_ += ",\"visitEcommerceStatus\":\"abandonedCart\",\"visitEcommerceStatusIcon\":\"plugins\\/Morpheus\\/"
            "images\\/ecommerceAbandonedCart.svg\""sv;
  } else {
    out_ += ",\"visitEcommerceStatus\":\"none\",\"visitEcommerceStatusIcon\":null"sv;
  }
  out_ += ",\"daysSinceFirstVisit\":"sv;
  AppendInt(out_, vf.seconds_since_first / 86400);
  out_ += ",\"secondsSinceFirstVisit\":"sv;
  AppendInt(out_, vf.seconds_since_first);
  if (vf.ordered_before) {
    out_ += ",\"daysSinceLastEcommerceOrder\":"sv;
    AppendInt(out_, vf.seconds_since_first / 86400);
    out_ += ",\"secondsSinceLastEcommerceOrder\":"sv;
    AppendInt(out_, vf.seconds_since_first);
  } else if (t.orders > 0) {
    out_ += ",\"daysSinceLastEcommerceOrder\":0,\"secondsSinceLastEcommerceOrder\":0"sv;
  } else {
    out_ += ",\"daysSinceLastEcommerceOrder\":0,\"secondsSinceLastEcommerceOrder\":null"sv;
  }
  out_ += ",\"visitDuration\":"sv;
  AppendInt(out_, duration);
  out_ += ",\"visitDurationPretty\":\""sv;
  AppendPrettyDuration(out_, duration);
  out_ += "\",\"searches\":"sv;
  AppendInt(out_, t.searches);
  out_ += ",\"actions\":"sv;
  AppendInt(out_, actions);
  out_ += ",\"interactions\":"sv;
  AppendInt(out_, t.pageviews + t.searches);
  out_ += ","sv;
  AppendReferrer(out_, c_, in_.referrer);
  const auto& countries = CountryProfiles();
  const CountryProfile& country = countries[Mix64(vk + 3) % countries.size()];
  out_ += country.language_json;
  const auto& devices = DeviceProfiles();
  const DeviceProfile& device = devices[Mix64(vk + 2) % devices.size()];
  out_ += device.json;
  if (c_.site.ecommerce) {
    // Matomo sends SUM()s from MySQL: numeric strings when non-zero, integers when zero; and the
    // same visit can differ between two requests, so both types appear (variation bits).
    auto items = [&](int64_t n, uint64_t bit) {
      if (n > 0 && ((var >> bit) & 7) != 0) {
        out_ += "\""sv;
        AppendInt(out_, n);
        out_ += "\""sv;
      } else {
        AppendInt(out_, n);
      }
    };
    out_ += "\"totalEcommerceRevenue\":"sv;
    AppendCents(out_, t.order_cents);
    out_ += ",\"totalEcommerceConversions\":"sv;
    AppendInt(out_, t.orders);
    out_ += ",\"totalEcommerceItems\":"sv;
    items(t.order_items, 3);
    out_ += ",\"totalAbandonedCartsRevenue\":"sv;
    AppendCents(out_, t.cart_cents);
    out_ += ",\"totalAbandonedCarts\":"sv;
    AppendInt(out_, t.carts);
    out_ += ",\"totalAbandonedCartsItems\":"sv;
    items(t.cart_items, 6);
    out_ += ","sv;
  }
  out_ += "\"events\":"sv;
  AppendInt(out_, t.events);
  out_ += ","sv;
  out_ += country.country_json;
  const uint64_t city_pick = Mix64(vk + 4);
  if (city_pick % 100 < 55) {
    const auto& city = country.cities[(city_pick >> 8) % country.cities.size()];
    out_ += "\"region\":\""sv;
    out_ += city.region;
    out_ += "\",\"regionCode\":\""sv;
    out_ += city.region_code;
    out_ += "\",\"city\":\""sv;
    out_ += city.city;
    out_ += "\",\"location\":\""sv;
    out_ += city.city;
    out_ += ", "sv;
    out_ += city.region;
    out_ += ", "sv;
    out_ += country.country_name;
    out_ += "\",\"latitude\":\""sv;
    out_ += city.latitude;
    out_ += "\",\"longitude\":\""sv;
    out_ += city.longitude;
    out_ += "\","sv;
  } else {
    out_ += "\"region\":null,\"regionCode\":null,\"city\":null,\"location\":\""sv;
    out_ += country.country_name;
    out_ += "\",\"latitude\":null,\"longitude\":null,"sv;
  }
  out_ += "\"visitLocalTime\":\""sv;
  AppendClock(out_, SecondOfDay(local_first));
  out_ += "\",\"visitLocalHour\":\""sv;
  AppendHour(out_, SecondOfDay(local_first));
  out_ += "\",\"daysSinceLastVisit\":"sv;
  AppendInt(out_, vf.seconds_since_last / 86400);
  out_ += ",\"secondsSinceLastVisit\":"sv;
  AppendInt(out_, vf.seconds_since_last);
  out_ += ",\"resolution\":\""sv;
  out_ += device.resolutions[(Mix64(vk + 9) >> 3) % device.resolutions.size()];
  if (Mix64(vk + 8) % 10 == 0) {
    out_ += "\",\"plugins\":\"cookie\",\"pluginsIcons\":[{\"pluginIcon\":\"plugins\\/Morpheus\\/icons\\/dist\\/"
            "plugins\\/cookie.png\",\"pluginName\":\"cookie\"}]"sv;
  } else {
    out_ += "\",\"plugins\":\"cookie, pdf\",\"pluginsIcons\":[{\"pluginIcon\":\"plugins\\/Morpheus\\/icons\\/dist\\/"
            "plugins\\/cookie.png\",\"pluginName\":\"cookie\"},{\"pluginIcon\":\"plugins\\/Morpheus\\/icons\\/dist\\/"
            "plugins\\/pdf.png\",\"pluginName\":\"pdf\"}]"sv;
  }
  out_ += ",\"dimension1\":"sv;
  if (c_.shop) {
    out_ += has_user ? ((vk >> 7) % 3 == 0 ? "\"vip\"" : "\"subscriber\"") : vf.returning ? "\"returning\"" : "\"new\"";
  } else {
    out_ += has_user ? "\"subscriber\"" : "\"anonymous\"";
  }
  out_ += "}"sv;

  v.json.assign(out_);
  v.json_without_actions.reserve(out_.size() - (actions_end - actions_begin) + 2);
  v.json_without_actions.assign(out_, 0, actions_begin);
  v.json_without_actions += "[]";
  v.json_without_actions.append(out_, actions_end, std::string::npos);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Day layout.

int64_t VisitGenerator::NominalCount(int64_t site_id, CivilDate day) const {
  if (p_.visits_per_day <= 0) return 0;
  static constexpr double kWeekday[] = {0.85, 0.8, 1.0, 1.05, 1.05, 1.1, 1.0};  // Thu..Wed from epoch day 0
  int64_t wd = day.days() % 7;
  if (wd < 0) wd += 7;
  double jitter = 0.92 + 0.16 * static_cast<double>(H(p_.seed, kSaltCount, site_id, day.days(), 0) >> 11) * 0x1.0p-53;
  auto n = static_cast<int64_t>(p_.visits_per_day * kWeekday[wd] * jitter + 0.5);
  return std::clamp<int64_t>(n, 1, SlotsPerDay() - 8 - (n / 100 + 1));
}

namespace {

// How many of a day's first slots run until just before midnight (and continue the next day).
int64_t CrossingCount(int64_t n) { return n >= 10 ? 2 : (n >= 3 ? 1 : 0); }
constexpr int64_t kContinuationSlots = 2;  // slots 0..1 of a day: continuations from the day before
constexpr int kReturningPercent = 30;

struct DayLayout {
  int64_t site = 0;
  CivilDate day;
  int64_t start = 0, end = 0;  // UTC [start, end)
  int64_t n = 0;               // regular visits
  int64_t crossing = 0;
  int64_t fall_back_at = -1;   // UTC instant of a DST fall-back transition inside the day
};

}  // namespace

std::vector<SimVisit> VisitGenerator::GenerateDay(const SiteCatalog& c, CivilDate day, bool late) const {
  const TimeZone& tz = *c.site.tz;
  const int64_t site = c.site.id;
  const uint64_t seed = p_.seed;

  auto layout_of = [&](CivilDate d) {
    DayLayout l;
    l.site = site;
    l.day = d;
    l.start = tz.DayStartUtc(d);
    l.end = tz.DayEndUtc(d);
    l.n = NominalCount(site, d);
    l.crossing = CrossingCount(l.n);
    if (l.end - l.start > 86400) {
      // Find the transition: the offset differs between the day's start and end.
      int64_t lo = l.start, hi = l.end - 1;
      int32_t o = tz.OffsetAt(lo);
      while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        (tz.OffsetAt(mid) == o ? lo : hi) = mid;
      }
      l.fall_back_at = hi;
    }
    return l;
  };
  // Start of a regular slot: stratified over the day so it grows with the slot index.
  auto slot_start = [&](const DayLayout& l, int64_t i) {
    double u = (static_cast<double>(i) + static_cast<double>(H(seed, kSaltStart, site, l.day.days(), i) >> 11) *
                                             0x1.0p-53) / static_cast<double>(std::max<int64_t>(l.n, 1));
    return l.start + static_cast<int64_t>(DiurnalFraction(u) * static_cast<double>(l.end - l.start - 1));
  };
  auto is_new_slot = [&](CivilDate d, int64_t i) {
    return H(seed, kSaltNew, site, d.days(), i) % 100 >= kReturningPercent;
  };
  // The visitor of regular slot i: new, or a visitor first seen in a new slot of an earlier day.
  auto visitor_of = [&](const DayLayout& l, int64_t i, int64_t first_ts) {
    VisitorFacts f;
    uint64_t h = H(seed, kSaltNew, site, l.day.days(), i);
    if (h % 100 < kReturningPercent) {
      int64_t back = 1 + static_cast<int64_t>((h >> 8) % 4);
      DayLayout prev = layout_of(l.day - back);
      for (int attempt = 0; attempt < 4; ++attempt) {
        int64_t j = static_cast<int64_t>(H(seed, kSaltPick, site, l.day.days(), i * 4 + attempt) %
                                         static_cast<uint64_t>(std::max<int64_t>(prev.n, 1)));
        if (!is_new_slot(prev.day, j)) continue;
        f.key = H(seed, kSaltVisitor, site, prev.day.days(), j);
        f.returning = true;
        f.seconds_since_first = std::max<int64_t>(1, first_ts - slot_start(prev, j));
        f.visit_count = 2 + static_cast<int64_t>((h >> 20) % static_cast<uint64_t>(back));
        f.seconds_since_last = f.visit_count == 2 ? f.seconds_since_first
                                                  : f.seconds_since_first * (30 + static_cast<int64_t>((h >> 28) % 60)) / 100;
        f.ordered_before = c.shop && Mix64(f.key + 7) % 100 < 25;
        return f;
      }
    }
    f.key = H(seed, kSaltVisitor, site, l.day.days(), i);
    return f;
  };

  const DayLayout l = layout_of(day);
  std::vector<SimVisit> visits;
  if (l.n == 0) return visits;
  const DayLayout yesterday = layout_of(day - 1);
  const int64_t slots = SlotsPerDay();
  const int64_t day_index = day - p_.from;
  auto id_of = [&](int64_t slot) { return 1 + ((day_index * slots + slot) * p_.sites) + (site - 1); };

  thread_local Plan plan;
  thread_local std::string buf;
  int64_t prev_last = -1;

  auto place_and_write = [&](int64_t slot, VisitKind kind, Rng& r, int64_t wanted_start, bool tie,
                             const VisitorFacts* fixed_visitor, int64_t regular_index) {
    Referrer ref = PickReferrer(r);
    BuildPlan(c, kind, ref.kind, r, plan);
    const int64_t first_rel = plan.acts.empty() ? 0 : plan.acts.front().off - plan.pre_cart;
    const int64_t last_rel = plan.acts.empty() ? plan.ping_only_span : plan.acts.back().off + plan.ping;
    int64_t start = wanted_start;
    if (kind == VisitKind::kCrossing) start = l.end - 1 - last_rel - r.Range(0, 25);
    if (tie && prev_last >= 0) {
      int64_t s = prev_last - last_rel;
      if (s + first_rel >= l.start && s + last_rel < l.end) start = s;
    }
    if (start + last_rel > l.end - 1) start = l.end - 1 - last_rel;
    if (start + first_rel < l.start) start = l.start - first_rel;
    VisitInput in;
    in.c = &c;
    in.id_visit = id_of(slot);
    in.start = start;
    in.referrer = ref;
    in.plan = &plan;
    in.variation = r.Next();
    const int64_t first_ts = start + first_rel;
    if (fixed_visitor) {
      in.visitor = *fixed_visitor;
    } else {
      in.visitor = visitor_of(l, regular_index, first_ts);
    }
    SimVisit v;
    VisitWriter(in, buf).Write(v);
    prev_last = v.last_action_ts;
    visits.push_back(std::move(v));
  };

  if (late) {
    // A few visits that reach the API after the day was first read (--late-data).
    const int64_t count = std::max<int64_t>(1, l.n / 100);
    for (int64_t j = 0; j < count; ++j) {
      Rng r(H(seed, kSaltLate, site, day.days(), j));
      int64_t start = l.start + static_cast<int64_t>(r.Below(l.end - l.start - 1));
      VisitKind kind = r.Chance(26) ? VisitKind::kBounce : VisitKind::kNormal;
      VisitorFacts f;
      f.key = H(seed, kSaltLate + 100, site, day.days(), j);
      place_and_write(kContinuationSlots + l.n + j, kind, r, start, false, &f, 0);
    }
  } else {
    // Continuations of yesterday's late-night visits, just after midnight.
    for (int64_t j = 0; j < yesterday.crossing; ++j) {
      Rng r(H(seed, kSaltCont, site, day.days(), j));
      VisitKind kind = VisitKind::kContinuation;
      if (j == 0) kind = (day.days() & 1) ? VisitKind::kContinuationGoalOnly : VisitKind::kContinuationPing;
      VisitorFacts f = visitor_of(yesterday, j, yesterday.end - 600);
      f.returning = true;
      f.visit_count += 1;
      f.seconds_since_last = r.Range(300, 1500);
      f.seconds_since_first = f.visit_count == 2 ? f.seconds_since_last : f.seconds_since_first + 600;
      place_and_write(j, kind, r, l.start + r.Range(1, 90), false, &f, 0);
    }
    for (int64_t i = 0; i < l.n; ++i) {
      Rng r(H(seed, kSaltVisit, site, day.days(), i));
      int64_t start = slot_start(l, i);
      VisitKind kind = r.Chance(26) ? VisitKind::kBounce : VisitKind::kNormal;
      if (i < l.crossing) kind = VisitKind::kCrossing;
      if (l.fall_back_at >= 0 && i == l.crossing) {
        kind = VisitKind::kFallBack;  // crosses the fall-back change: local timestamps go backwards
        start = l.fall_back_at - 150;
      } else if (l.fall_back_at >= 0 && (i == l.crossing + 1 || i == l.crossing + 2)) {
        start = i == l.crossing + 1 ? l.fall_back_at - 3000 + r.Range(0, 1500) : l.fall_back_at + r.Range(300, 2400);
      } else if (l.n >= 20 && (i == l.crossing + 3 || i % 997 == 500)) {
        kind = VisitKind::kTruncated;
      }
      bool tie = i > l.crossing + 3 && i % 37 == 20;
      place_and_write(kContinuationSlots + i, kind, r, start, tie, nullptr, i);
    }
  }
  std::stable_sort(visits.begin(), visits.end(),
                   [](const SimVisit& a, const SimVisit& b) { return a.last_action_ts < b.last_action_ts; });
  return visits;
}

}  // namespace metl::sim
