// The plan of one generated visit: its entries in true time order, as offsets from the visit start,
// drawn from the site's catalog (visit_plan.cc), with the checkout that ends a shop visit
// (visit_plan_ecommerce.cc). The writers (visit_writer.h) render it as Live's JSON.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/gen_random.h"
#include "sim/site_catalog.h"

namespace metl::sim::gen {

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

struct Plan {
  std::vector<Act> acts;
  std::vector<ItemLine> items;
  int64_t pre_cart = 0;  // firstActionTimestamp precedes the first entry by this (cart update)
  int64_t ping = 0;      // lastActionTimestamp follows the last entry by this (heartbeat)
  int64_t ping_only_span = 0;
};

// Fills `plan` for a visit of `kind`; referrer_kind is Referrer::kind (visit_referrer.h).
void BuildPlan(const SiteCatalog& c, VisitKind kind, int referrer_kind, Rng& r, Plan& plan);

// Seconds spent on a page: mostly short, sometimes long reads.
int64_t Dwell(Rng& r);

// The end of a shop visit with items in its cart (an order, with its checkout pages, or an abandoned
// cart), or of a visit Live cuts at 500 actions (a conversion in the cut tail). `now` and `pos` are the
// plan's clock and pageview position, moved on; `page` the last page viewed.
void PlanCheckout(const SiteCatalog& c, bool truncated, int page, Rng& r, int64_t& now, int& pos, Plan& plan);

struct OrderAmounts {
  int64_t subtotal = 0, tax = 0, shipping = 0, revenue = 0, items = 0;
};
// The amounts of an order (`order`) or abandoned cart `a` of the plan.
OrderAmounts Amounts(const SiteCatalog& c, const Plan& plan, const Act& a, bool order);

}  // namespace metl::sim::gen
