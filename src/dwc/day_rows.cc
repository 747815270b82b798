#include "dwc/day_rows.h"

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "dwc/file_rows.h"
#include "dwc/raw_decode.h"

namespace metl::dwc {
namespace {

// A conversion of another visit of a visitor being rendered: the columns Live's lifetime totals
// (RenderLiveVisit's ecommerce totals) and the store's key and index read.
RawRow SlimConversion(const RawRow& row) {
  RawRow slim;
  for (const char* column : {"idvisit", "idgoal", "buster", "idsite", "idvisitor", "revenue", "items"}) {
    if (const RawValue* v = row.Find(column)) slim.Add(column, *v);
  }
  return slim;
}

// The (site, hex visitor id) of a row, as RawStore indexes conversions by visitor.
std::optional<std::pair<int64_t, std::string>> VisitorOf(const RawRow& row) {
  auto site = row.Int("idsite");
  auto visitor = row.Text("idvisitor");
  if (!site || !visitor) return std::nullopt;
  auto bytes = DecodeBinary(*visitor, {8});
  if (!bytes) return std::nullopt;
  return std::make_pair(*site, HexOf(*bytes));
}

struct PairHash {
  size_t operator()(const std::pair<int64_t, std::string>& p) const {
    return std::hash<std::string>()(p.second) ^ static_cast<size_t>(p.first) * 0x9e3779b97f4a7c15ULL;
  }
};

// Every idaction_* column of a row (what RenderLiveVisit looks up in log_action).
template <typename Take>
void ActionIdsOf(const RawRow& row, Take&& take) {
  for (const auto& [name, value] : row.columns()) {
    if (name.rfind("idaction_", 0) != 0) continue;
    if (auto id = row.Int(name)) take(*id);
  }
}

}  // namespace

Result<DayRows> CollectDayRows(const std::vector<ExportFile>& files, const std::vector<bool>& use,
                               const RawStore& sites, const VisitDays& visit_days, const std::set<DayKey>& days,
                               const std::set<int64_t>& touched_actions, size_t* failed) {
  DayRows out;
  out.store = sites;
  RawStore& store = out.store;
  std::unordered_set<int64_t> visits;
  visit_days.ForEach([&](int64_t id, const DayKey& day) {
    if (days.count(day)) visits.insert(id);
  });

  // Each table's files, oldest first; `take` sees each row of them.
  auto each_row = [&](RawTable table, const std::function<Status(RawRow row, const std::string& what)>& take) -> Status {
    for (size_t i = 0; i < files.size(); ++i) {
      if (!use[i] || files[i].table != table) continue;
      if (Status s = ForEachFileRow(files[i], take); !s.ok()) {
        *failed = i;
        return s;
      }
    }
    return OkStatus();
  };
  auto of_kept_visit = [&](const RawRow& row) { return visits.count(*row.Int("idvisit")) > 0; };

  // 1. The visits (their key is their idvisit: whether one is kept never changes between versions).
  METL_TRY(each_row(RawTable::kVisit, [&](RawRow row, const std::string& what) -> Status {
    return of_kept_visit(row) ? store.Add(RawTable::kVisit, std::move(row), what) : OkStatus();
  }));
  std::unordered_set<std::pair<int64_t, std::string>, PairHash> visitors;
  for (const auto& [id, row] : store.visits()) {
    if (auto v = VisitorOf(row)) visitors.insert(std::move(*v));
  }

  // 2. Conversions: whole for the kept visits, slim for their visitors' other visits.
  METL_TRY(each_row(RawTable::kConversion, [&](RawRow row, const std::string& what) -> Status {
    if (of_kept_visit(row)) return store.Add(RawTable::kConversion, std::move(row), what);
    auto visitor = VisitorOf(row);
    if (visitor && visitors.count(*visitor)) return store.Add(RawTable::kConversion, SlimConversion(row), what);
    store.Remove(RawTable::kConversion, row);  // its visitor changed in a newer version
    return OkStatus();
  }));
  std::unordered_set<int64_t> conversion_actions;  // idlink_va of the kept visits' conversions
  for (const auto& [key, row] : store.conversions()) {
    if (!visits.count(std::get<0>(key))) continue;
    if (auto lva = row.Int("idlink_va")) conversion_actions.insert(*lva);
  }

  // 3. Actions of the kept visits; meanwhile, which visits use a touched log_action row.
  std::unordered_map<int64_t, int64_t> using_touched;  // idlink_va -> idvisit, newest versions
  METL_TRY(each_row(RawTable::kLinkVisitAction, [&](RawRow row, const std::string& what) -> Status {
    const int64_t idlink_va = *row.Int("idlink_va");
    if (!touched_actions.empty()) {
      bool uses = false;
      ActionIdsOf(row, [&](int64_t id) { uses = uses || touched_actions.count(id) > 0; });
      if (uses) {
        using_touched[idlink_va] = *row.Int("idvisit");
      } else {
        using_touched.erase(idlink_va);
      }
    }
    if (of_kept_visit(row) || conversion_actions.count(idlink_va)) {
      return store.Add(RawTable::kLinkVisitAction, std::move(row), what);
    }
    store.Remove(RawTable::kLinkVisitAction, row);  // an older version was of a kept visit
    return OkStatus();
  }));
  for (const auto& [idlink_va, idvisit] : using_touched) {
    if (auto day = visit_days.DayOf(idvisit)) out.action_days.insert(*day);
  }

  // 4. Ecommerce items of the kept visits (their key holds the idvisit).
  METL_TRY(each_row(RawTable::kConversionItem, [&](RawRow row, const std::string& what) -> Status {
    return of_kept_visit(row) ? store.Add(RawTable::kConversionItem, std::move(row), what) : OkStatus();
  }));

  // 5. The log_action rows referenced by what is kept.
  std::unordered_set<int64_t> action_ids;
  auto add_ids = [&](const RawRow& row) { ActionIdsOf(row, [&](int64_t id) { action_ids.insert(id); }); };
  for (const auto& [id, row] : store.link_actions()) add_ids(row);
  for (const auto& [key, row] : store.items()) add_ids(row);
  METL_TRY(each_row(RawTable::kAction, [&](RawRow row, const std::string& what) -> Status {
    return action_ids.count(*row.Int("idaction")) ? store.Add(RawTable::kAction, std::move(row), what) : OkStatus();
  }));

  store.Index();
  return out;
}

}  // namespace metl::dwc
