// The end of a shop visit: its cart's lines as Matomo keeps them, then an order (after the cart and
// checkout pages) or an abandoned cart; and the amounts Live shows for them.
#include <algorithm>

#include "sim/visit_plan.h"

namespace metl::sim::gen {

void PlanCheckout(const SiteCatalog& c, bool truncated, int page, Rng& r, int64_t& now, int& pos, Plan& plan) {
  auto& acts = plan.acts;
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
      return c.products[static_cast<size_t>(a.product)].sku_action <
             c.products[static_cast<size_t>(b.product)].sku_action;
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
    }
  }
}

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

}  // namespace metl::sim::gen
