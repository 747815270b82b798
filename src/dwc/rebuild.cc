#include "dwc/rebuild.h"

#include <algorithm>

#include "dwc/file_rows.h"
#include "dwc/visit_days.h"

namespace metl::dwc {
namespace {

bool IsSmallTable(RawTable t) {
  return t == RawTable::kSite || t == RawTable::kGoal || t == RawTable::kCustomDimensions;
}

// Pass 1's result.
struct Keys {
  RawStore sites;  // site, goal and custom_dimensions rows
  VisitDays visit_days;
  std::set<int64_t> visits, actions, site_ids;  // touched by fresh files
};

// Pass 1; on a file's failure, its index in `*failed`.
Result<Keys> ReadKeys(const RebuildInput& in, const std::vector<bool>& use, std::vector<int64_t>* rows_read,
                      size_t* failed) {
  Keys k;
  const auto& files = *in.files;
  for (size_t i = 0; i < files.size(); ++i) {
    const ExportFile& f = files[i];
    if (!use[i]) continue;
    const bool small = IsSmallTable(f.table), visit = f.table == RawTable::kVisit, fresh = in.fresh[i];
    if (!small && !visit && !fresh) continue;  // read by pass 2
    int64_t rows = 0;
    Status s = ForEachFileRow(f, [&](RawRow row, const std::string& what) -> Status {
      ++rows;
      if (fresh) {
        if (auto v = row.Int("idvisit")) k.visits.insert(*v);
        if (f.table == RawTable::kAction) k.actions.insert(*row.Int("idaction"));
        if (small) {
          if (auto site = row.Int("idsite")) k.site_ids.insert(*site);
        }
      }
      if (visit) k.visit_days.Upsert(row);
      return small ? k.sites.Add(f.table, std::move(row), what) : OkStatus();
    });
    if (!s.ok()) {
      *failed = i;
      return s.error();
    }
    (*rows_read)[i] = rows;
  }
  k.visit_days.Resolve(k.sites);
  return k;
}

}  // namespace

Rebuild PlanRebuild(const RebuildInput& in) {
  const auto& files = *in.files;
  Rebuild out;
  out.failed.assign(files.size(), false);
  out.rows_read.assign(files.size(), 0);
  std::vector<bool> use = in.use;
  auto fail = [&](size_t i, const Error& e) {
    in.report(e);
    out.failed[i] = true;
    use[i] = false;
  };
  auto allowed = [&](const std::set<DayKey>& days) {
    std::set<DayKey> kept;
    for (const DayKey& d : days) {
      if (!in.allowed || in.allowed(d.site_id)) kept.insert(d);
    }
    return kept;
  };
  // A failed file restarts the pass it failed in (and pass 2 depends on pass 1: both) without it.
  for (;;) {
    size_t failed = 0;
    auto keys = ReadKeys(in, use, &out.rows_read, &failed);
    if (!keys.ok()) {
      fail(failed, keys.error());
      continue;
    }
    std::set<DayKey> touched = DaysTouched(keys->visit_days, keys->visits, keys->site_ids, in.rebuild_all);
    std::set<DayKey> days = allowed(touched);
    auto rows = CollectDayRows(files, use, keys->sites, keys->visit_days, days, keys->actions, &failed);
    if (!rows.ok()) {
      fail(failed, rows.error());
      continue;
    }
    touched.insert(rows->action_days.begin(), rows->action_days.end());
    std::set<DayKey> all_days = allowed(touched);
    if (all_days != days) {
      // Days found through log_action rows: read again for all of them (rare: a new log_action
      // row is normally first used by the visits of the same new file).
      rows->store = RawStore();  // free the first pass's rows before reading the second's
      rows = CollectDayRows(files, use, keys->sites, keys->visit_days, all_days, {}, &failed);
      if (!rows.ok()) {
        fail(failed, rows.error());
        continue;
      }
    }
    out.rows = std::move(rows).value();
    out.touched = std::move(touched);
    out.days = std::move(all_days);
    return out;
  }
}

}  // namespace metl::dwc
