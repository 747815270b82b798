#include "sim/site_catalog.h"

#include <utility>

#include "sim/visit_json_writer.h"

namespace metl::sim {
namespace {

std::string E(std::string_view s) { return PhpJsonEscape(s); }
std::string Q(std::string_view s) { return PhpJsonString(s); }

struct SiteProfile {
  const char* name;
  const char* host;
  const char* timezone;
  const char* currency;
  const char* symbol;  // UTF-8
  bool shop;
};

// Site 1 and 2 mirror the reference Matomo; the rest vary zones, currencies and ecommerce.
constexpr SiteProfile kProfiles[] = {
    {"Demo Shop", "shop.example.com", "UTC", "EUR", "\xE2\x82\xAC", true},
    {"Demo Blog", "blog.example.org", "America/New_York", "USD", "$", false},
    {"Demo Shop Berlin", "berlin.example.de", "Europe/Berlin", "EUR", "\xE2\x82\xAC", true},
    {"Demo News Sydney", "news.example.com.au", "Australia/Sydney", "AUD", "A$", false},
    {"Demo Store India", "store.example.in", "Asia/Kolkata", "INR", "\xE2\x82\xB9", true},
    {"Demo Magazine London", "mag.example.co.uk", "Europe/London", "GBP", "\xC2\xA3", false},
};

std::string Money(const std::string& symbol, int64_t cents) {
  std::string s = symbol;
  AppendInt(s, cents / 100);
  if (cents % 100 != 0) {
    s.push_back('.');
    Append2(s, static_cast<int>(cents % 100));
  }
  return s;
}

void AddGoal(SiteCatalog& c, int64_t id, const std::string& name, int64_t cents, const std::string& match,
             const std::string& pattern, const std::string& symbol) {
  CatalogGoal g;
  g.id = id;
  g.name = E(name);
  g.revenue_cents = cents;
  g.subtitle = E(cents == 0 ? name : name + " (" + Money(symbol, cents) + " revenue)");
  c.goals.push_back(std::move(g));
  SimGoal sg;
  sg.id = id;
  sg.name = name;
  sg.revenue = static_cast<double>(cents) / 100.0;
  sg.match_attribute = match;
  sg.pattern = pattern;
  c.site.goals.push_back(std::move(sg));
}

CatalogLink Link(const std::string& url, int goal_index) {
  CatalogLink l;
  l.url = E(url);
  l.url_text = url;
  l.goal_index = goal_index;
  return l;
}

int AddPage(SiteCatalog& c, const std::string& path, const std::string& title, const char* dim2, PageRole role,
            int product = -1) {
  CatalogPage p;
  p.url_text = std::string(c.site.main_url) + path;
  p.url = E(p.url_text);
  p.title = E(title);
  p.dim2 = dim2 ? Q(dim2) : "null";
  p.role = role;
  p.product = product;
  c.pages.push_back(std::move(p));
  int idx = static_cast<int>(c.pages.size()) - 1;
  switch (role) {
    case PageRole::kProduct: c.product_pages.push_back(idx); break;
    case PageRole::kList: c.list_pages.push_back(idx); break;
    case PageRole::kArticle: c.article_pages.push_back(idx); break;
    case PageRole::kOther: c.other_pages.push_back(idx); break;
    case PageRole::kHome: c.home = idx; break;
    case PageRole::kCart: c.cart = idx; break;
    case PageRole::kCheckout: c.checkout = idx; break;
    case PageRole::kSuccess: c.success = idx; break;
    case PageRole::kContact: c.contact = idx; c.other_pages.push_back(idx); break;
  }
  return idx;
}

void BuildShop(SiteCatalog& c, const std::string& sym) {
  const std::string& n = c.site.name;
  struct P { const char* sku; const char* name; const char* cat; int64_t cents; };
  static constexpr P kProducts[] = {
      {"SKU-TS-500", "Tech Tee", "Shirts", 2999},          {"SKU-RS-100", "Road Runner 100", "Shoes", 8990},
      {"SKU-BG-040", "Gym Duffel Bag", "Accessories", 4900}, {"SKU-HL-600", "Headlamp 400lm", "Accessories", 3995},
      {"SKU-JK-210", "Trail Jacket", "Jackets", 14950},     {"SKU-SK-010", "Merino Socks", "Accessories", 1295},
      {"SKU-PK-900", "Winter Parka", "Jackets", 24900},     {"SKU-TR-300", "Trail Runner GTX", "Shoes", 12900},
      {"SKU-CP-020", "Running Cap", "Accessories", 1990},   {"SKU-LS-700", "Long Sleeve Base", "Shirts", 3450},
  };
  AddPage(c, "/", n + " - Home", "home", PageRole::kHome);
  for (const char* cat : {"Shoes", "Shirts", "Jackets", "Accessories"}) {
    std::string lower = cat;
    for (auto& ch : lower) ch = static_cast<char>(ch | 0x20);
    AddPage(c, "/category/" + lower, std::string(cat) + " - " + n, "category", PageRole::kList);
  }
  for (const auto& p : kProducts) {
    CatalogProduct cp{E(p.sku), E(p.name), E(p.cat), p.cents, p.sku, 0};
    c.products.push_back(std::move(cp));
    std::string sku = p.sku;
    for (auto& ch : sku) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch | 0x20 : ch);
    AddPage(c, "/product/" + sku, std::string(p.name) + " - " + n, "product", PageRole::kProduct,
            static_cast<int>(c.products.size()) - 1);
  }
  AddPage(c, "/cart", "Cart - " + n, "checkout", PageRole::kCart);
  AddPage(c, "/checkout", "Checkout - " + n, "checkout", PageRole::kCheckout);
  AddPage(c, "/checkout/success", "Thank you - " + n, "checkout", PageRole::kSuccess);
  AddPage(c, "/contact", "Contact - " + n, "info", PageRole::kContact);
  AddPage(c, "/about", "About us - " + n, "info", PageRole::kOther);
  AddPage(c, "/shipping?ref=footer", "Shipping & Returns - " + n, nullptr, PageRole::kOther);

  AddGoal(c, 1, "Contact page visited", 500, "url", "/contact", sym);
  AddGoal(c, 2, "Brochure download", 100, "file", "brochure", sym);
  AddGoal(c, 3, "Newsletter signup", 200, "event_action", "submit", sym);
  c.contact_goal = 0;
  c.events = {
      {E("Ecommerce"), E("add_to_cart"), "", 2, -1},  // name/value filled from the product
      {E("Product"), E("add_to_wishlist"), "", 0, -1},
      {E("Scroll"), E("depth"), E("75%"), 1, -1},
      {E("Form"), E("submit"), E("newsletter"), 0, 2},
      {E("Navigation"), E("open_menu"), E("main"), 0, -1},
      {E("Video"), E("play"), E("Product video \"Road Runner\""), 1, -1},
  };
  c.outlinks = {Link("https://www.trustpilot.com/review/" + std::string(c.site.main_url.substr(8)), -1),
                Link("https://maps.google.com/?q=Demo+Shop", -1),
                Link("https://www.instagram.com/demoshop/", -1)};
  c.downloads = {Link(c.site.main_url + "/files/brochure-2026.pdf", 1),
                 Link(c.site.main_url + "/files/returns-form.docx", -1)};
  c.contents = {{E("Hero Banner"), E("/img/banner-bf-2026.jpg"), E("/sale")},
                {E("Newsletter Box"), E("Get 10% off"), E("/newsletter")}};
  for (const char* k : {"trail shoes", "winter jacket", "gym bag", "socks merino", "running shoes", "sale",
                        "size guide", "waterproof jacket", "shop example", "gr\xC3\xB6\xC3\x9F" "e 44"}) {
    c.search_keywords.push_back(E(k));
    c.search_keywords_text.push_back(k);
  }
  c.search_categories = {E("Shoes"), E("Jackets"), E("Accessories")};
}

void BuildBlog(SiteCatalog& c, const std::string& sym) {
  const std::string& n = c.site.name;
  struct A { const char* slug; const char* title; const char* cat; };
  static constexpr A kArticles[] = {
      {"winter-running-tips?utm_content=carousel-1", "10 Winter Running Tips", "Running"},
      {"marathon-training-plan", "A 16-Week Marathon Plan", "Running"},
      {"matomo-api-guide", "Exporting raw data with the Matomo API", "Analytics"},
      {"gdpr-analytics", "GDPR & Web Analytics", "Privacy"},
      {"mariadb-tuning", "MariaDB tuning for Matomo", "Databases"},
      {"c++-json-parsing", "Parsing JSON fast in C++", "Programming"},
      {"caf\xC3\xA9-culture", "Caf\xC3\xA9 Culture in Vienna \xE2\x98\x95", "Travel"},
      {"shoe-review-2026", "Shoe review: the 2026 line-up", "Running"},
  };
  AddPage(c, "/", n + " - Home", "Home", PageRole::kHome);
  AddPage(c, "/articles", "Articles", nullptr, PageRole::kList);
  for (const auto& a : kArticles) {
    AddPage(c, std::string("/articles/") + a.slug, std::string("Articles / ") + a.title, a.cat,
            PageRole::kArticle);
  }
  AddPage(c, "/about", "About", nullptr, PageRole::kOther);
  AddPage(c, "/newsletter", "Newsletter", "Newsletter", PageRole::kContact);

  AddGoal(c, 1, "Video played", 50, "event_action", "play", sym);
  AddGoal(c, 2, "Engaged reader", 0, "visit_nb_pageviews", "3", sym);
  c.engaged_goal = 1;
  c.events = {
      {E("Video"), E("play"), E("Intro to Matomo API"), 0, 0},
      {E("Video"), E("pause"), E("Intro to Matomo API"), 0, -1},
      {E("Video"), E("complete"), E("Intro to Matomo API"), 1, -1},
      {E("Scroll"), E("depth"), E("50%"), 1, -1},
      {E("Navigation"), E("open_menu"), "", 0, -1},
      {E("Form"), E("submit"), E("comment"), 2, -1},
  };
  c.outlinks = {Link("https://github.com/matomo-org/matomo", -1),
                Link("https://developer.matomo.org/api-reference/reporting-api", -1)};
  c.downloads = {Link(c.site.main_url + "/files/cheatsheet.pdf", -1),
                 Link(c.site.main_url + "/files/dataset.csv.gz", -1)};
  c.contents = {{E("Sidebar Ad"), E("/img/ad-running.png"), E("https://shop.example.com/")}};
  for (const char* k : {"gdpr", "marathon", "mariadb tuning", "matomo api", "c++ json", "shoes review"}) {
    c.search_keywords.push_back(E(k));
    c.search_keywords_text.push_back(k);
  }
  c.search_categories = {E("Articles")};
}

// The log_action ids Live shows or orders by, one numbering for all sites (an action used by two
// sites, such as a SKU, has one id). The DWC export numbers the other actions after them.
void NumberActions(std::vector<SiteCatalog>& catalogs) {
  auto actions = std::make_shared<LogActions>();
  for (auto& c : catalogs) {
    for (auto& p : c.pages) p.id_action = actions->Id(kPageUrl, PrefixedUrl(p.url_text).name);
    for (auto& p : c.products) p.sku_action = actions->Id(kItemSku, p.sku_text);
    for (auto& l : c.outlinks) l.id_action = actions->Id(kOutlink, HtmlEscape(l.url_text));
    for (auto& l : c.downloads) l.id_action = actions->Id(kDownload, HtmlEscape(l.url_text));
    for (auto& p : c.pages) {
      // An event's URL is the page's, as an event action; a content's, the whole URL as a content action.
      p.event_url_action = actions->Id(kEventCategory, PrefixedUrl(p.url_text).name);
      p.content_url_action = actions->Id(kContentName, HtmlEscape(p.url_text));
    }
  }
  for (auto& c : catalogs) c.actions = actions;
}

}  // namespace

Result<std::vector<SiteCatalog>> BuildCatalogs(int sites, CivilDate from) {
  std::vector<SiteCatalog> out;
  constexpr int kNumProfiles = sizeof(kProfiles) / sizeof(kProfiles[0]);
  for (int i = 0; i < sites; ++i) {
    const SiteProfile& p = kProfiles[i % kNumProfiles];
    SiteCatalog c;
    c.shop = p.shop;
    c.site.id = i + 1;
    c.site.name = p.name;
    std::string host = p.host;
    if (i >= kNumProfiles) {
      c.site.name += " " + std::to_string(i + 1);
      host = "s" + std::to_string(i + 1) + "." + host;
    }
    c.site.main_url = "https://" + host;
    c.site.timezone = p.timezone;
    c.site.currency = p.currency;
    c.site.ecommerce = p.shop;
    c.site.ts_created = (from - 60).ToString() + " 00:00:00";
    auto tz = TimeZone::Load(p.timezone);
    if (!tz.ok()) return std::move(tz).error();
    c.site.tz = *tz;
    c.name_json = E(c.site.name);
    c.currency_json = E(p.currency);
    c.symbol_json = E(p.symbol);
    c.domain_url = E(c.site.main_url);
    if (p.shop) {
      BuildShop(c, p.symbol);
    } else {
      BuildBlog(c, p.symbol);
    }
    c.campaigns = {E("winter-sale"), E("retargeting-nov"), E("affiliate-program"), E("newsletter-2026-11")};
    out.push_back(std::move(c));
  }
  NumberActions(out);
  return out;
}

const std::vector<DeviceProfile>& DeviceProfiles() {
  static const std::vector<DeviceProfile> kDevices = [] {
    struct D { const char* f[16]; std::vector<std::string> res; };
    const D raw[] = {
        {{"Desktop", "desktop", "Unknown", "Generic Desktop", "Windows 10", "Windows", "WIN", "WIN", "10", "Blink",
          "Blink (Chrome, Opera)", "Chrome 130.0", "Chrome", "CH", "CH", "130.0"},
         {"1920x1080", "1366x768", "1536x864", "2560x1440", "1600x900"}},
        {{"Smartphone", "smartphone", "Apple", "iPhone", "iOS 18.1", "iOS", "IOS", "IOS", "18.1", "WebKit",
          "WebKit (Safari)", "Mobile Safari 18.1", "Mobile Safari", "MF", "MF", "18.1"},
         {"430x932", "375x812", "390x844"}},
        {{"Desktop", "desktop", "Apple", "Generic Desktop", "Mac 10.15", "Mac", "MAC", "MAC", "10.15", "WebKit",
          "WebKit (Safari)", "Safari 18.1", "Safari", "SF", "SF", "18.1"},
         {"1440x900", "2560x1600"}},
        {{"Desktop", "desktop", "Unknown", "Generic Desktop", "Windows 10", "Windows", "WIN", "WIN", "10", "Blink",
          "Blink (Chrome, Opera)", "Microsoft Edge 130.0", "Microsoft Edge", "PS", "PS", "130.0"},
         {"1920x1080", "1280x720"}},
        {{"Smartphone", "smartphone", "Samsung", "Galaxy S23 Ultra", "Android 14", "Android", "AND", "AND", "14",
          "Blink", "Blink (Chrome, Opera)", "Chrome Mobile 130.0", "Chrome Mobile", "CM", "CM", "130.0"},
         {"412x915", "360x800"}},
        {{"Desktop", "desktop", "Apple", "Generic Desktop", "Mac 10.15", "Mac", "MAC", "MAC", "10.15", "Blink",
          "Blink (Chrome, Opera)", "Chrome 130.0", "Chrome", "CH", "CH", "130.0"},
         {"2560x1600", "1440x900"}},
        {{"Desktop", "desktop", "Unknown", "Generic Desktop", "Windows 10", "Windows", "WIN", "WIN", "10", "Gecko",
          "Gecko (Firefox)", "Firefox 132.0", "Firefox", "FF", "FF", "132.0"},
         {"1920x1080", "1366x768"}},
        {{"Smartphone", "smartphone", "Google", "Pixel 7", "Android 13", "Android", "AND", "AND", "13", "Blink",
          "Blink (Chrome, Opera)", "Chrome Mobile 130.0", "Chrome Mobile", "CM", "CM", "130.0"},
         {"412x915"}},
        {{"Phablet", "phablet", "Xiaomi", "Redmi Note 11 4G", "Android 14", "Android", "AND", "AND", "14", "Blink",
          "Blink (Chrome, Opera)", "Samsung Browser 26.0", "Samsung Browser", "SB", "SB", "26.0"},
         {"393x873"}},
        {{"Tablet", "tablet", "Samsung", "Galaxy Tab A8 10.5\" WiFi", "Android 13", "Android", "AND", "AND", "13",
          "Blink", "Blink (Chrome, Opera)", "Chrome 129.0", "Chrome", "CH", "CH", "129.0"},
         {"800x1340"}},
        {{"Desktop", "desktop", "Unknown", "Generic Desktop", "GNU/Linux", "GNU/Linux", "LIN", "LIN", "", "Gecko",
          "Gecko (Firefox)", "Firefox 132.0", "Firefox", "FF", "FF", "132.0"},
         {"1920x1080"}},
        {{"Desktop", "desktop", "Unknown", "Generic Desktop", "Ubuntu", "Ubuntu", "UBT", "UBT", "", "Blink",
          "Blink (Chrome, Opera)", "Chrome 129.0", "Chrome", "CH", "CH", "129.0"},
         {"1920x1080", "2560x1440"}},
        {{"Tablet", "tablet", "Apple", "iPad", "iOS 17.6", "iOS", "IOS", "IPA", "17.6", "WebKit", "WebKit (Safari)",
          "Mobile Safari 17.6", "Mobile Safari", "MF", "MF", "17.6"},
         {"810x1080"}},
    };
    // Weights roughly as in the reference responses (Windows/Chrome dominates).
    const int weights[] = {18, 7, 5, 4, 4, 3, 3, 2, 2, 2, 1, 1, 1};
    std::vector<DeviceProfile> out;
    int k = 0;
    for (const auto& d : raw) {
      DeviceProfile p;
      std::string j;
      j += "\"deviceType\":" + Q(d.f[0]) + ",\"deviceTypeIcon\":" +
           Q(std::string("plugins/Morpheus/icons/dist/devices/") + d.f[1] + ".png") + ",\"deviceBrand\":" + Q(d.f[2]) +
           ",\"deviceModel\":" + Q(d.f[3]) + ",\"operatingSystem\":" + Q(d.f[4]) + ",\"operatingSystemName\":" +
           Q(d.f[5]) + ",\"operatingSystemIcon\":" + Q(std::string("plugins/Morpheus/icons/dist/os/") + d.f[6] + ".png") +
           ",\"operatingSystemCode\":" + Q(d.f[7]) + ",\"operatingSystemVersion\":" + Q(d.f[8]) +
           ",\"browserFamily\":" + Q(d.f[9]) + ",\"browserFamilyDescription\":" + Q(d.f[10]) + ",\"browser\":" +
           Q(d.f[11]) + ",\"browserName\":" + Q(d.f[12]) + ",\"browserIcon\":" +
           Q(std::string("plugins/Morpheus/icons/dist/browsers/") + d.f[13] + ".png") + ",\"browserCode\":" +
           Q(d.f[14]) + ",\"browserVersion\":" + Q(d.f[15]) + ",";
      p.json = std::move(j);
      p.resolutions = d.res;
      for (int w = 0; w < weights[k]; ++w) out.push_back(p);
      ++k;
    }
    return out;
  }();
  return kDevices;
}

const std::vector<CountryProfile>& CountryProfiles() {
  static const std::vector<CountryProfile> kCountries = [] {
    struct C {
      const char *continent, *continent_code, *country, *cc, *lang;
      int weight;
      std::vector<CountryProfile::City> cities;
    };
    const C raw[] = {
        {"North America", "amn", "United States", "us", "en-us", 13,
         {{"New York", "NY", "New York", "40.714270", "-74.005970"},
          {"California", "CA", "San Francisco", "37.774930", "-122.419420"},
          {"Virginia", "VA", "Ashburn", "39.043720", "-77.487490"}}},
        {"Europe", "eur", "United Kingdom", "gb", "en-gb", 5, {{"England", "ENG", "London", "51.508530", "-0.125740"}}},
        {"Europe", "eur", "Germany", "de", "de-de", 5,
         {{"Berlin", "BE", "Berlin", "52.524370", "13.410530"},
          {"Bayern", "BY", "M\xC3\xBCnchen", "48.137430", "11.575490"}}},
        {"Europe", "eur", "Spain", "es", "es-es", 3, {{"Madrid", "MD", "Madrid", "40.416500", "-3.702560"}}},
        {"Europe", "eur", "France", "fr", "fr-fr", 3,
         {{"Bourgogne-Franche-Comt\xC3\xA9", "BFC", "Besan\xC3\xA7on", "47.249000", "6.022000"}}},
        {"North America", "amn", "Canada", "ca", "en-ca", 2, {{"Ontario", "ON", "Toronto", "43.700110", "-79.416300"}}},
        {"Europe", "eur", "Italy", "it", "it-it", 2, {{"Lazio", "62", "Rome", "41.894740", "12.483900"}}},
        {"Oceania", "oce", "Australia", "au", "en-au", 2,
         {{"New South Wales", "NSW", "Sydney", "-33.867850", "151.207320"}}},
        {"Europe", "eur", "Poland", "pl", "pl-pl", 2, {{"Mazowieckie", "14", "Warsaw", "52.229770", "21.011780"}}},
        {"Europe", "eur", "Netherlands", "nl", "nl-nl", 1,
         {{"North Holland", "NH", "Amsterdam", "52.374030", "4.889690"}}},
        {"South America", "ams", "Brazil", "br", "pt-br", 1,
         {{"S\xC3\xA3o Paulo", "SP", "S\xC3\xA3o Paulo", "-23.547500", "-46.636110"}}},
        {"Asia", "asi", "Japan", "jp", "ja-jp", 1, {{"Tokyo", "13", "Tokyo", "35.689500", "139.691710"}}},
        {"Europe", "eur", "Sweden", "se", "sv-se", 1, {{"Stockholm", "AB", "Stockholm", "59.332580", "18.064900"}}},
        {"Asia", "asi", "India", "in", "en-in", 1, {{"Karnataka", "KA", "Bengaluru", "12.971940", "77.593690"}}},
    };
    std::vector<CountryProfile> out;
    for (const auto& c : raw) {
      CountryProfile p;
      p.language_json = std::string("\"languageCode\":") + Q(c.lang) + ",\"language\":" +
                        Q(std::string("Language code ") + c.lang) + ",";
      p.country_json = std::string("\"continent\":") + Q(c.continent) + ",\"continentCode\":" + Q(c.continent_code) +
                       ",\"country\":" + Q(c.country) + ",\"countryCode\":" + Q(c.cc) + ",\"countryFlag\":" +
                       Q(std::string("plugins/Morpheus/icons/dist/flags/") + c.cc + ".png") + ",";
      p.country_name = E(c.country);
      for (const auto& city : c.cities) {
        p.cities.push_back({E(city.region), E(city.region_code), E(city.city), city.latitude, city.longitude});
      }
      for (int w = 0; w < c.weight; ++w) out.push_back(p);
    }
    return out;
  }();
  return kCountries;
}

}  // namespace metl::sim
