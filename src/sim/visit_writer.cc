// A visit's keys as Live renders them (the visitor, device, place, referrer, ecommerce totals), around
// its actionDetails (visit_writer_actions.cc), cut at 500 as Matomo's Live cuts them; and the figures
// of the visit the aggregates count.
#include <algorithm>
#include <string_view>

#include "sim/visit_json_writer.h"
#include "sim/visit_writer.h"

namespace metl::sim::gen {
namespace {

using namespace std::string_view_literals;

constexpr size_t kMaxActionsShown = 500;  // visitor_log_maximum_actions_per_visit

struct Totals {
  int64_t pageviews = 0, events = 0, searches = 0, outlinks = 0, downloads = 0, goals = 0;
  int64_t orders = 0, order_cents = 0, order_items = 0;
  int64_t carts = 0, cart_cents = 0, cart_items = 0;
};

void AppendHex16(std::string& out, uint64_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) out.push_back(kHex[(v >> shift) & 0xF]);
}

void AppendHour(std::string& out, int64_t second_of_day) { AppendInt(out, second_of_day / 3600); }

}  // namespace

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

}  // namespace metl::sim::gen
