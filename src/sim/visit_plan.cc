#include "sim/visit_plan.h"

namespace metl::sim::gen {
namespace {

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

}  // namespace

int64_t Dwell(Rng& r) {
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
  PlanCheckout(c, truncated, page, r, now, pos, plan);
  if (c.shop && r.Chance(3)) plan.pre_cart = r.Range(5, 50);
  if (kind != VisitKind::kFallBack && r.Chance(6)) plan.ping = r.Range(10, 300);
}

}  // namespace metl::sim::gen
