#include "models/channels.h"

#include <initializer_list>

namespace metl::models {
namespace {

constexpr std::string_view kMedium = "lower(coalesce(v.campaign_medium, ''))";
// A campaign visit without a medium (core Matomo keeps none) whose campaign name contains one of `words`.
std::string NameWithoutMedium(std::initializer_list<std::string_view> words) {
  std::string sql = "(v.referrer_type = 'campaign' AND v.campaign_medium IS NULL AND (";
  bool first = true;
  for (std::string_view w : words) {
    sql += (first ? "" : " OR ") + std::string("lower(v.campaign_name) LIKE '%") + std::string(w) + "%'";
    first = false;
  }
  return sql + "))";
}
constexpr std::string_view kSource = "lower(coalesce(v.campaign_source, ''))";

std::string In(std::string_view expr, std::initializer_list<std::string_view> values) {
  std::string sql = std::string(expr) + " IN (";
  bool first = true;
  for (std::string_view v : values) {
    sql += (first ? "'" : ", '") + std::string(v) + "'";
    first = false;
  }
  return sql + ")";
}

// The campaign medium is one of `values`: Matomo's campaignMedium (MarketingCampaignsReporting), else the
// utm_medium / mtm_medium / pk_medium parameter of the entry URL (Matomo keeps it in the URL).
std::string MediumIn(std::initializer_list<std::string_view> values) {
  std::string sql = "(" + In(kMedium, values) + " OR (v.campaign_medium IS NULL AND (";
  bool first = true;
  for (std::string_view v : values) {
    for (const char* tail : {"", "&%"}) {
      sql += (first ? "" : " OR ") + std::string("lower(v.entry_url) LIKE '%_medium=") + std::string(v) + tail + "'";
      first = false;
    }
  }
  return sql + ")))";
}

// A query parameter in the entry URL (after ? or &): click ids that ad platforms append.
std::string UrlParam(std::initializer_list<std::string_view> names) {
  std::string sql = "(";
  bool first = true;
  for (std::string_view n : names) {
    if (!first) sql += " OR ";
    sql += "v.entry_url LIKE '%?" + std::string(n) + "=%' OR v.entry_url LIKE '%&" + std::string(n) + "=%'";
    first = false;
  }
  return sql + ")";
}

// Campaign sources that are social networks (lower case, as utm_source usually spells them).
const std::string& SocialSource() {
  static const std::string sql =
      In(kSource, {"facebook", "facebook.com", "fb", "instagram", "linkedin", "twitter", "x", "t.co", "tiktok",
                   "pinterest", "reddit", "youtube", "snapchat", "threads", "bluesky", "mastodon", "xing", "vk"});
  return sql;
}

std::vector<ChannelRule> Build() {
  const std::string paid = MediumIn({"cpc", "ppc", "paid", "paidsearch", "paid_search", "paid-search", "sem"});
  return {
      {"Paid Social",
       "click id `ttclid`, `twclid`, `li_fat_id`, `ScCid` or `epik` in the entry URL; or campaign medium "
       "`paid_social`, `paidsocial`, `paid-social`, `social_paid`, `social-paid`; or a paid medium (below) with a "
       "social network as source",
       UrlParam({"ttclid", "twclid", "li_fat_id", "ScCid", "epik"}) + " OR " +
           MediumIn({"paid_social", "paidsocial", "paid-social", "social_paid", "social-paid"}) + " OR (" + paid +
           " AND " + SocialSource() + ")"},
      {"Paid Search",
       "click id `gclid`, `gbraid`, `wbraid`, `msclkid` or `yclid` in the entry URL; or campaign medium `cpc`, "
       "`ppc`, `paid`, `paidsearch`, `paid_search`, `paid-search` or `sem`",
       UrlParam({"gclid", "gbraid", "wbraid", "msclkid", "yclid"}) + " OR " + paid},
      {"Display",
       "click id `dclid` in the entry URL; or medium `display`, `banner`, `cpm`, `expandable` or `interstitial`",
       UrlParam({"dclid"}) + " OR " + MediumIn({"display", "banner", "cpm", "expandable", "interstitial"})},
      {"Affiliates", "medium `affiliate` or `affiliates`; or, without a medium, a campaign name containing `affiliate`",
       MediumIn({"affiliate", "affiliates"}) + " OR " + NameWithoutMedium({"affiliate"})},
      {"Email",
       "medium or source `email`, `e-mail`, `e_mail` or `newsletter`; or, without a medium, a campaign name "
       "containing `newsletter` or `email` (Matomo without the MarketingCampaignsReporting plugin keeps no medium)",
       MediumIn({"email", "e-mail", "e_mail", "newsletter"}) + " OR " +
           In("lower(coalesce(v.campaign_source, ''))", {"email", "e-mail", "e_mail", "newsletter"}) + " OR " +
           NameWithoutMedium({"newsletter", "email"})},
      {"Organic Social",
       "Matomo referrer type `social`; or `fbclid` in the entry URL (Facebook adds it to organic links too); or "
       "medium `social`, `social-network`, `social-media`, `social_media` or `sm`; or a social network as campaign "
       "source",
       "v.referrer_type = 'social' OR " + UrlParam({"fbclid"}) + " OR " +
           MediumIn({"social", "social-network", "social-media", "social_media", "sm"}) +
           " OR (v.referrer_type = 'campaign' AND " + SocialSource() + ")"},
      {"Organic Search", "Matomo referrer type `search`; or medium `organic`",
       "v.referrer_type = 'search' OR " + MediumIn({"organic"})},
      {"AI Assistants", "Matomo referrer type `ai` (AI assistants, Matomo 5.2+)", "v.referrer_type = 'ai'"},
      {"Referral", "Matomo referrer type `website`; or medium `referral`, `app` or `link`",
       "v.referrer_type = 'website' OR " + MediumIn({"referral", "app", "link"})},
      {"Direct", "Matomo referrer type `direct` (or none)", "v.referrer_type = 'direct' OR v.referrer_type IS NULL"},
  };
}

}  // namespace

const std::vector<ChannelRule>& ChannelRules() {
  static const std::vector<ChannelRule> rules = Build();
  return rules;
}

std::string ChannelCaseSql() {
  std::string sql = "CASE";
  for (const ChannelRule& r : ChannelRules())
    sql += "\n  WHEN " + r.condition + " THEN '" + std::string(r.channel) + "'";
  return sql + "\n  ELSE 'Other' END";
}

namespace {

// The columns the CASE reads, besides the entry URL.
constexpr std::string_view kInputs[] = {"referrer_type", "campaign_medium", "campaign_source", "campaign_name"};

// The entry URL as the lookup keys it: every URL pattern of the rules contains '=' (a unit test checks it),
// so a URL without one matches none of them, as '' does; keying those by '' instead of themselves leaves
// far fewer distinct inputs (clean landing pages are most URLs) and the same channels.
std::string UrlKey(std::string_view alias) {
  const std::string url = std::string(alias) + ".entry_url";
  return "CASE WHEN " + url + " LIKE '%=%' THEN " + url + " ELSE '' END";
}

}  // namespace

std::string ChannelLookupSql(const std::string& where) {
  std::string inputs;
  for (std::string_view c : kInputs) inputs += "v." + std::string(c) + ", ";
  return "SELECT v.*, " + ChannelCaseSql() + " AS channel\n  FROM (SELECT DISTINCT " + inputs + UrlKey("v") +
         " AS entry_url\n        FROM matomo_visits v WHERE " + where + ") v";
}

std::string ChannelJoinOn(std::string_view lookup_alias, std::string_view visit_alias) {
  const std::string l = std::string(lookup_alias) + ".", v = std::string(visit_alias) + ".";
  std::string sql;
  for (std::string_view c : kInputs) {
    const std::string lc = l + std::string(c), vc = v + std::string(c);
    sql +=
        "coalesce(" + lc + ", '') = coalesce(" + vc + ", '') AND (" + lc + " IS NULL) = (" + vc + " IS NULL)\n    AND ";
  }
  return sql + l + "entry_url = " + UrlKey(visit_alias);
}

std::string ChannelRulesMarkdown() {
  std::string md = "| # | channel | a visit whose ... |\n|---|---|---|\n";
  int n = 0;
  for (const ChannelRule& r : ChannelRules()) {
    md += "| " + std::to_string(++n) + " | " + std::string(r.channel) + " | " + std::string(r.rule) + " |\n";
  }
  md +=
      "| " + std::to_string(++n) + " | Other | matched none of the above (e.g. a campaign without a known medium) |\n";
  return md;
}

}  // namespace metl::models
