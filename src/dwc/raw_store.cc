#include "dwc/raw_store.h"

#include <algorithm>

#include "dwc/raw_decode.h"

namespace metl::dwc {
namespace {

const std::vector<const RawRow*> kNone;

struct KnownTable {
  std::string_view name;
  RawTable table;
};
// All 20 tables of the DWC BigQuery schema, plus custom_dimensions (not exported, accepted from a folder).
constexpr KnownTable kKnown[] = {
    {"log_visit", RawTable::kVisit},
    {"log_link_visit_action", RawTable::kLinkVisitAction},
    {"log_action", RawTable::kAction},
    {"log_conversion", RawTable::kConversion},
    {"log_conversion_item", RawTable::kConversionItem},
    {"site", RawTable::kSite},
    {"goal", RawTable::kGoal},
    {"custom_dimensions", RawTable::kCustomDimensions},
    {"funnel", RawTable::kOther},
    {"log_abtesting", RawTable::kOther},
    {"log_clickid", RawTable::kOther},
    {"log_form", RawTable::kOther},
    {"log_form_field", RawTable::kOther},
    {"log_form_page", RawTable::kOther},
    {"log_hsr", RawTable::kOther},
    {"log_hsr_blob", RawTable::kOther},
    {"log_hsr_event", RawTable::kOther},
    {"log_hsr_site", RawTable::kOther},
    {"log_media", RawTable::kOther},
    {"log_media_plays", RawTable::kOther},
    {"site_form", RawTable::kOther},
};

// `segment` names `table` exactly, or starts with it followed by a character that cannot continue a
// table name ("log_visit.jsonl", "log_visit-0001.json.gz"; not "log_visit_action").
bool Names(std::string_view segment, std::string_view table) {
  if (segment.substr(0, table.size()) != table) return false;
  if (segment.size() == table.size()) return true;
  char next = segment[table.size()];
  if (next == '.' || next == '-') return true;
  // "log_visit_2026-12-01.jsonl": an underscore followed by a digit
  return next == '_' && segment.size() > table.size() + 1 && segment[table.size() + 1] >= '0' &&
         segment[table.size() + 1] <= '9';
}

std::string IdOrder(const RawRow& row) {
  return row.Text("idorder").value_or("");
}

}  // namespace

RawTable TableOfKey(std::string_view key, std::string* name) {
  const KnownTable* best = nullptr;
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    std::string_view segment = key.substr(start, end - start);
    // A prefix "matomo_" (Matomo's default table prefix) is allowed.
    if (segment.substr(0, 7) == "matomo_") segment.remove_prefix(7);
    for (const KnownTable& t : kKnown) {
      if (Names(segment, t.name) && (!best || t.name.size() > best->name.size())) best = &t;
    }
    start = end + 1;
  }
  if (!best) {
    if (name) name->clear();
    return RawTable::kOther;
  }
  if (name) *name = best->name;
  return best->table;
}

std::string_view RawTableName(RawTable table) {
  for (const KnownTable& t : kKnown) {
    if (t.table == table) return t.name;
  }
  return "other";
}

std::optional<CustomDimensionConfig> CustomDimensionFromRow(const RawRow& row) {
  CustomDimensionConfig c;
  auto site = row.Int("idsite"), id = row.Int("idcustomdimension"), index = row.Int("index");
  if (!site || !id || !index) return std::nullopt;
  c.site_id = *site;
  c.id = *id;
  c.index = *index;
  c.scope = row.Text("scope").value_or("visit");
  c.active = row.Int("active").value_or(1) != 0;
  return c;
}

Status RawStore::CheckKey(RawTable table, const RawRow& row, const std::string& what) {
  auto need = [&](std::string_view column) -> Status {
    if (row.Int(column)) return OkStatus();
    return Error(ErrorKind::kData, what + ": the row has no " + std::string(column) + " (its primary key)")
        .WithHint("check that the file holds the " + std::string(RawTableName(table)) + " table");
  };
  switch (table) {
    case RawTable::kVisit:
      return need("idvisit");
    case RawTable::kLinkVisitAction:
      METL_TRY(need("idlink_va"));
      return need("idvisit");
    case RawTable::kAction:
      return need("idaction");
    case RawTable::kConversion:
      METL_TRY(need("idvisit"));
      return need("idgoal");
    case RawTable::kConversionItem:
      METL_TRY(need("idvisit"));
      return need("idaction_sku");
    case RawTable::kSite:
      return need("idsite");
    case RawTable::kGoal:
      METL_TRY(need("idsite"));
      return need("idgoal");
    case RawTable::kCustomDimensions:
      if (CustomDimensionFromRow(row)) return OkStatus();
      return Error(ErrorKind::kData, what + ": a custom dimension row needs idsite, idcustomdimension and index");
    case RawTable::kOther:
      break;
  }
  return OkStatus();
}

Status RawStore::Add(RawTable table, RawRow row, const std::string& what) {
  METL_TRY(CheckKey(table, row, what));
  switch (table) {
    case RawTable::kVisit:
      visits_[*row.Int("idvisit")] = std::move(row);
      break;
    case RawTable::kLinkVisitAction:
      link_actions_[*row.Int("idlink_va")] = std::move(row);
      break;
    case RawTable::kAction:
      actions_[*row.Int("idaction")] = std::move(row);
      break;
    case RawTable::kConversion: {
      ConversionKey key{*row.Int("idvisit"), *row.Int("idgoal"), row.Int("buster").value_or(0)};
      conversions_[key] = std::move(row);
      break;
    }
    case RawTable::kConversionItem: {
      ItemKey key{*row.Int("idvisit"), IdOrder(row), *row.Int("idaction_sku")};
      items_[key] = std::move(row);
      break;
    }
    case RawTable::kSite:
      sites_[*row.Int("idsite")] = std::move(row);
      break;
    case RawTable::kGoal:
      goals_[{*row.Int("idsite"), *row.Int("idgoal")}] = std::move(row);
      break;
    case RawTable::kCustomDimensions:
      AddCustomDimension(*CustomDimensionFromRow(row));
      break;
    case RawTable::kOther:
      break;
  }
  return OkStatus();
}

void RawStore::Remove(RawTable table, const RawRow& row) {
  if (!CheckKey(table, row, "").ok()) return;
  switch (table) {
    case RawTable::kVisit:
      visits_.erase(*row.Int("idvisit"));
      break;
    case RawTable::kLinkVisitAction:
      link_actions_.erase(*row.Int("idlink_va"));
      break;
    case RawTable::kAction:
      actions_.erase(*row.Int("idaction"));
      break;
    case RawTable::kConversion:
      conversions_.erase({*row.Int("idvisit"), *row.Int("idgoal"), row.Int("buster").value_or(0)});
      break;
    case RawTable::kConversionItem:
      items_.erase({*row.Int("idvisit"), IdOrder(row), *row.Int("idaction_sku")});
      break;
    default:
      break;
  }
}

void RawStore::AddCustomDimension(const CustomDimensionConfig& config) {
  dimensions_[{config.site_id, config.id}] = config;
}

void RawStore::SetCustomDimensions(int64_t site_id, const std::vector<CustomDimensionConfig>& configs) {
  std::erase_if(dimensions_, [site_id](const auto& entry) { return entry.first.first == site_id; });
  for (const CustomDimensionConfig& c : configs) {
    CustomDimensionConfig copy = c;
    copy.site_id = site_id;
    AddCustomDimension(copy);
  }
}

void RawStore::Index() {
  actions_of_.clear();
  conversions_of_.clear();
  items_of_.clear();
  conversions_of_visitor_.clear();
  for (const auto& [id, row] : link_actions_) actions_of_[*row.Int("idvisit")].push_back(&row);
  for (auto& [visit, rows] : actions_of_) {
    // Live's SQL orders by server_time only; idlink_va (insertion order) breaks ties deterministically.
    std::stable_sort(rows.begin(), rows.end(), [](const RawRow* a, const RawRow* b) {
      auto ta = ParseUtcDateTime(a->Text("server_time").value_or(""));
      auto tb = ParseUtcDateTime(b->Text("server_time").value_or(""));
      if (ta != tb) return ta < tb;
      return a->Int("idlink_va") < b->Int("idlink_va");
    });
  }
  for (const auto& [key, row] : conversions_) {
    conversions_of_[std::get<0>(key)].push_back(&row);
    auto site = row.Int("idsite");
    auto visitor = row.Text("idvisitor");
    if (site && visitor) {
      if (auto bytes = DecodeBinary(*visitor, {8})) conversions_of_visitor_[{*site, HexOf(*bytes)}].push_back(&row);
    }
  }
  for (const auto& [key, row] : items_) items_of_[std::get<0>(key)].push_back(&row);
}

const RawRow* RawStore::Site(int64_t site_id) const {
  auto it = sites_.find(site_id);
  return it == sites_.end() ? nullptr : &it->second;
}

const RawRow* RawStore::Goal(int64_t site_id, int64_t goal_id) const {
  auto it = goals_.find({site_id, goal_id});
  return it == goals_.end() ? nullptr : &it->second;
}

const RawRow* RawStore::Action(std::optional<int64_t> idaction) const {
  if (!idaction || *idaction == 0) return nullptr;
  auto it = actions_.find(*idaction);
  return it == actions_.end() ? nullptr : &it->second;
}

const RawRow* RawStore::LinkAction(std::optional<int64_t> idlink_va) const {
  if (!idlink_va) return nullptr;
  auto it = link_actions_.find(*idlink_va);
  return it == link_actions_.end() ? nullptr : &it->second;
}

std::vector<CustomDimensionConfig> RawStore::CustomDimensions(int64_t site_id) const {
  std::vector<CustomDimensionConfig> out;
  for (const auto& [key, c] : dimensions_) {
    if (key.first == site_id) out.push_back(c);
  }
  return out;
}

const std::vector<const RawRow*>& RawStore::ActionsOf(int64_t idvisit) const {
  auto it = actions_of_.find(idvisit);
  return it == actions_of_.end() ? kNone : it->second;
}
const std::vector<const RawRow*>& RawStore::ConversionsOf(int64_t idvisit) const {
  auto it = conversions_of_.find(idvisit);
  return it == conversions_of_.end() ? kNone : it->second;
}
const std::vector<const RawRow*>& RawStore::ItemsOf(int64_t idvisit) const {
  auto it = items_of_.find(idvisit);
  return it == items_of_.end() ? kNone : it->second;
}
const std::vector<const RawRow*>& RawStore::ConversionsOfVisitor(int64_t site_id, const std::string& visitor) const {
  auto it = conversions_of_visitor_.find({site_id, visitor});
  return it == conversions_of_visitor_.end() ? kNone : it->second;
}

std::vector<int64_t> RawStore::SiteIds() const {
  std::set<int64_t> ids;
  for (const auto& [id, row] : sites_) ids.insert(id);
  return std::vector<int64_t>(ids.begin(), ids.end());
}

}  // namespace metl::dwc
