#include "sim/visit_generator.h"

#include <algorithm>
#include <string>

#include "sim/gen_random.h"
#include "sim/visit_json_writer.h"
#include "sim/visit_plan.h"
#include "sim/visit_referrer.h"
#include "sim/visit_writer.h"

namespace metl::sim {

using namespace gen;

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
