#include "sim/visit_referrer.h"

#include <string_view>

#include "sim/visit_json_writer.h"

namespace metl::sim::gen {
namespace {

using namespace std::string_view_literals;

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

void AppendPlusEncoded(std::string& out, const std::string& escaped) {
  for (char ch : escaped) out.push_back(ch == ' ' ? '+' : ch);
}

}  // namespace

Referrer PickReferrer(Rng& r) {
  Referrer ref;
  int64_t x = r.Below(100);
  ref.kind = x < 35 ? 1 : x < 58 ? 0 : x < 80 ? 3 : x < 92 ? 4 : 2;
  ref.variant = static_cast<int>(r.Below(3));
  ref.keyword = r.Chance(65) ? static_cast<int>(r.Below(64)) : -1;
  ref.url_null = r.Chance(25);
  return ref;
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

}  // namespace metl::sim::gen
