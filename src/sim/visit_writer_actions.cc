// A visit's actionDetails entries, one per planned entry, as Live renders pageviews, events, contents,
// site searches, outlinks, downloads, goals, orders and abandoned carts.
#include <algorithm>
#include <cstring>
#include <string_view>

#include "sim/visit_json_writer.h"
#include "sim/visit_writer.h"

namespace metl::sim::gen {
namespace {

using namespace std::string_view_literals;

// Matomo's idpageview: 6 characters of [A-Za-z0-9].
void AppendPvId(std::string& out, uint32_t pv) {
  static constexpr char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  uint64_t x = Mix64(pv);
  for (int i = 0; i < 6; ++i) {
    out.push_back(kAlnum[x % 62]);
    x /= 62;
  }
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

}  // namespace

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

}  // namespace metl::sim::gen
