#include "normalize/visit_normalizer.h"

#include <algorithm>
#include <cstring>

#include "normalize/action_times.h"
#include "normalize/field_table.h"

namespace metl {
namespace {

using simdjson::ondemand::json_type;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kVisitStandardLengthS = 1800;  // Matomo's visit_standard_length (global.ini.php)

// A field id packs how to coerce the value and where it goes: (conversion << 8) | column-or-special.
enum Conv : int { kText = 1, kInt, kDecimal, kDouble, kBool, kSpecial };
constexpr int F(Conv conv, int target) { return (conv << 8) | target; }

enum VisitSpecial : int { kIdSite, kFirstTs, kLastTs, kTruncated, kActionDetails };
enum ActionSpecial : int {
  kType, kTimestamp, kSubtotal, kTax, kShipping, kDiscount, kItemDetails, kProductCategories, kGenerationTime,
  kRevenueValue
};

const FieldTable& VisitFields() {
  namespace c = visit_col;
  static const FieldTable table{
      {"idSite", F(kSpecial, kIdSite)},
      {"idVisit", F(kInt, c::kVisitId)},
      {"visitorId", F(kText, c::kVisitorId)},
      {"fingerprint", F(kText, c::kFingerprint)},
      {"userId", F(kText, c::kUserId)},
      {"firstActionTimestamp", F(kSpecial, kFirstTs)},
      {"lastActionTimestamp", F(kSpecial, kLastTs)},
      {"visitDuration", F(kInt, c::kVisitDurationS)},
      {"actions", F(kInt, c::kActions)},
      {"interactions", F(kInt, c::kInteractions)},
      {"events", F(kInt, c::kEvents)},
      {"searches", F(kInt, c::kSearches)},
      {"visitorType", F(kText, c::kVisitorType)},
      {"visitCount", F(kInt, c::kVisitCount)},
      {"daysSinceFirstVisit", F(kInt, c::kDaysSinceFirstVisit)},
      {"daysSinceLastVisit", F(kInt, c::kDaysSinceLastVisit)},
      {"daysSinceLastEcommerceOrder", F(kInt, c::kDaysSinceLastOrder)},
      {"referrerType", F(kText, c::kReferrerType)},
      {"referrerName", F(kText, c::kReferrerName)},
      {"referrerKeyword", F(kText, c::kReferrerKeyword)},
      {"referrerUrl", F(kText, c::kReferrerUrl)},
      {"campaignName", F(kText, c::kCampaignName)},
      {"campaignKeyword", F(kText, c::kCampaignKeyword)},
      {"campaignSource", F(kText, c::kCampaignSource)},
      {"campaignMedium", F(kText, c::kCampaignMedium)},
      {"campaignContent", F(kText, c::kCampaignContent)},
      {"campaignId", F(kText, c::kCampaignId)},
      {"continentCode", F(kText, c::kContinentCode)},
      {"countryCode", F(kText, c::kCountryCode)},
      {"country", F(kText, c::kCountryName)},
      {"regionCode", F(kText, c::kRegionCode)},
      {"city", F(kText, c::kCity)},
      {"latitude", F(kDouble, c::kLatitude)},
      {"longitude", F(kDouble, c::kLongitude)},
      {"languageCode", F(kText, c::kLanguageCode)},
      {"deviceType", F(kText, c::kDeviceType)},
      {"deviceBrand", F(kText, c::kDeviceBrand)},
      {"deviceModel", F(kText, c::kDeviceModel)},
      {"operatingSystemName", F(kText, c::kOsName)},
      {"operatingSystemVersion", F(kText, c::kOsVersion)},
      {"browserName", F(kText, c::kBrowserName)},
      {"browserVersion", F(kText, c::kBrowserVersion)},
      {"browserFamily", F(kText, c::kBrowserEngine)},
      {"resolution", F(kText, c::kResolution)},
      {"visitConverted", F(kBool, c::kVisitConverted)},
      {"goalConversions", F(kInt, c::kGoalConversions)},
      {"visitEcommerceStatus", F(kText, c::kEcommerceStatus)},
      {"totalEcommerceConversions", F(kInt, c::kEcommerceOrders)},
      {"totalEcommerceRevenue", F(kDecimal, c::kEcommerceRevenue)},
      {"totalEcommerceItems", F(kInt, c::kEcommerceItems)},
      {"totalAbandonedCarts", F(kInt, c::kAbandonedCarts)},
      {"totalAbandonedCartsRevenue", F(kDecimal, c::kAbandonedCartRevenue)},
      {"totalAbandonedCartsItems", F(kInt, c::kAbandonedCartItems)},
      {"truncatedActionsCount", F(kSpecial, kTruncated)},
      {"actionDetails", F(kSpecial, kActionDetails)},
  };
  return table;
}

const FieldTable& ActionFields() {
  namespace c = action_col;
  static const FieldTable table{
      {"type", F(kSpecial, kType)},
      {"url", F(kText, c::kUrl)},
      {"pageTitle", F(kText, c::kPageTitle)},
      {"pageIdAction", F(kInt, c::kPageIdAction)},
      {"idpageview", F(kText, c::kPageviewId)},
      {"pageId", F(kInt, c::kPageId)},
      {"pageviewPosition", F(kInt, c::kPageviewPosition)},
      {"interactionPosition", F(kInt, c::kPageviewPosition)},  // Matomo 3
      {"timestamp", F(kSpecial, kTimestamp)},
      {"timeSpent", F(kInt, c::kTimeSpentS)},
      {"pageLoadTimeMilliseconds", F(kInt, c::kPageLoadTimeMs)},
      {"generationTimeMilliseconds", F(kSpecial, kGenerationTime)},  // before Matomo 4
      {"eventCategory", F(kText, c::kEventCategory)},
      {"eventAction", F(kText, c::kEventAction)},
      {"eventName", F(kText, c::kEventName)},
      {"eventValue", F(kDouble, c::kEventValue)},
      {"siteSearchKeyword", F(kText, c::kSearchKeyword)},
      {"siteSearchCategory", F(kText, c::kSearchCategory)},
      {"siteSearchCount", F(kInt, c::kSearchCount)},
      {"contentName", F(kText, c::kContentName)},
      {"contentPiece", F(kText, c::kContentPiece)},
      {"contentTarget", F(kText, c::kContentTarget)},
      {"contentInteraction", F(kText, c::kContentInteraction)},
      {"goalId", F(kInt, c::kGoalId)},
      {"goalName", F(kText, c::kGoalName)},
      {"revenue", F(kSpecial, kRevenueValue)},
      {"orderId", F(kText, c::kOrderId)},
      {"items", F(kInt, c::kItems)},
      {"revenueSubTotal", F(kSpecial, kSubtotal)},
      {"revenueTax", F(kSpecial, kTax)},
      {"revenueShipping", F(kSpecial, kShipping)},
      {"revenueDiscount", F(kSpecial, kDiscount)},
      {"itemDetails", F(kSpecial, kItemDetails)},
      {"productViewSku", F(kText, c::kProductSku)},
      {"productViewName", F(kText, c::kProductName)},
      {"productViewCategories", F(kSpecial, kProductCategories)},
      {"productViewCategory", F(kText, c::kProductCategory)},
      {"productViewPrice", F(kDecimal, c::kProductPrice)},
  };
  return table;
}

const FieldTable& ItemFields() {
  namespace c = item_col;
  static const FieldTable table{
      {"itemSKU", F(kText, c::kSku)},
      {"itemName", F(kText, c::kName)},
      {"itemCategory", F(kText, c::kCategory)},
      {"price", F(kDecimal, c::kPrice)},
      {"quantity", F(kInt, c::kQuantity)},
  };
  return table;
}

// Coerces `v` into `slot` as the field id says (not for kSpecial).
void Fill(Coercer& coerce, int conv, value& v, Slot& slot) {
  switch (conv) {
    case kText:
      if (auto t = coerce.Text(v)) slot.SetText(*t); else slot.SetNull();
      break;
    case kInt:
      if (auto i = coerce.Int(v)) slot.SetInt(*i); else slot.SetNull();
      break;
    case kDecimal:
      if (auto m = coerce.DecimalMicros(v)) slot.SetInt(*m); else slot.SetNull();
      break;
    case kDouble:
      if (auto d = coerce.Double(v)) slot.SetDouble(*d); else slot.SetNull();
      break;
    case kBool:
      if (auto b = coerce.Bool(v)) slot.SetInt(*b ? 1 : 0); else slot.SetNull();
      break;
    default: break;
  }
}

// "dimension12" -> 12; 0 when the key is not a custom dimension.
int DimensionId(std::string_view key) {
  constexpr std::string_view kPrefix = "dimension";
  if (key.size() <= kPrefix.size() || key.size() > kPrefix.size() + 6 || key.substr(0, kPrefix.size()) != kPrefix) {
    return 0;
  }
  int id = 0;
  for (char ch : key.substr(kPrefix.size())) {
    if (ch < '0' || ch > '9') return 0;
    id = id * 10 + (ch - '0');
  }
  return id;
}

std::string_view ActionTypeName(int kind) {
  static constexpr std::string_view kNames[] = {"pageview", "event", "download", "outlink", "search", "content",
                                               "goal", "ecommerce_order", "ecommerce_abandoned_cart", "other"};
  return kNames[kind];
}

bool IsFixedOffsetName(const std::string& name) {
  return name == "UTC" || name.rfind("UTC+", 0) == 0 || name.rfind("UTC-", 0) == 0;
}

void SetOptionalInt(Slot& slot, const std::optional<int64_t>& v) {
  if (v) slot.SetInt(*v); else slot.SetNull();
}

}  // namespace

bool VisitNormalizer::ReadsField(FieldScope scope, std::string_view key) {
  switch (scope) {
    case FieldScope::kVisit: return VisitFields().Find(key) != FieldTable::kUnknown || DimensionId(key) > 0;
    case FieldScope::kAction: return ActionFields().Find(key) != FieldTable::kUnknown || DimensionId(key) > 0;
    case FieldScope::kItem: return ItemFields().Find(key) != FieldTable::kUnknown;
  }
  return false;
}

VisitNormalizer::VisitNormalizer(std::shared_ptr<const TimeZone> zone, int64_t site_id, CivilDate date,
                                 int64_t extracted_at, RowSink* sink, NormalizerOptions options)
    : zone_(std::move(zone)),
      site_id_(site_id),
      date_(date),
      extracted_at_us_(extracted_at * kMicrosPerSecond),
      sink_(sink),
      options_(options),
      fixed_offset_(IsFixedOffsetName(zone_->name())) {
  if (fixed_offset_) fixed_offset_s_ = zone_->OffsetAt(0);
  const auto& tables = CuratedTables();
  for (int t = 0; t < kCuratedTableCount; ++t) {
    batches_[t] = std::make_unique<TableBatch>(tables[t]);
    // Visits flush at batch_rows; the other tables have several rows per visit and flush a little past it.
    for (size_t c = 0; c < batches_[t]->column_count(); ++c) batches_[t]->column(c).Reserve(options_.batch_rows + 64);
  }
}

Error VisitNormalizer::DataError(size_t line_no, std::string message) const {
  return Error(ErrorKind::kData, "visit at line " + std::to_string(line_no) + ": " + message)
      .WithSite(site_id_)
      .WithDate(date_.ToString())
      .WithHint("the landing partition holds a visit that cannot be read; re-extract this day "
                "(matomo-etl extract --from/--to) and report the line if it persists");
}

Status VisitNormalizer::AddVisit(std::string_view json_line, size_t line_no) {
  std::string_view trimmed = TrimAscii(json_line);
  if (trimmed.empty()) return OkStatus();
  visit_.Clear();
  actions_.Clear();
  dims_.Clear();
  convs_.Clear();
  items_.Clear();
  extras_.clear();
  first_action_ts_.reset();
  last_action_ts_.reset();
  truncated_.reset();
  coerce_.Reset();
  METL_TRY(ParseVisit(trimmed, line_no));
  METL_TRY(FinishVisit(line_no));
  CommitVisit();
  stats_.bytes += static_cast<int64_t>(trimmed.size());
  FlushFull(false);
  return OkStatus();
}

Status VisitNormalizer::ParseVisit(std::string_view json, size_t line_no) {
  // Copy into a buffer with simdjson's padding (reused: no allocation once it is large enough).
  if (padded_.size() < json.size() + simdjson::SIMDJSON_PADDING) padded_.resize(json.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(padded_.data(), json.data(), json.size());
  std::memset(padded_.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);
  raw_json_ = std::string_view(padded_.data(), json.size());

  auto fail = [&](simdjson::error_code e) {
    return DataError(line_no, std::string("invalid JSON (") + simdjson::error_message(e) + ")");
  };
  simdjson::ondemand::document doc;
  if (auto e = parser_.iterate(padded_.data(), json.size(), padded_.size()).get(doc)) return fail(e);
  object obj;
  if (doc.get_object().get(obj)) {
    return DataError(line_no, "not a JSON object (a visit is one object per line)");
  }
  Slot* row = visit_.Add();
  const FieldTable& fields = VisitFields();
  for (auto field_result : obj) {
    simdjson::ondemand::field field;
    if (auto e = std::move(field_result).get(field)) return fail(e);
    std::string_view key = FieldTable::RawKey(field.key());
    value& v = field.value();
    int id = fields.Find(key);
    if (id == FieldTable::kUnknown) {
      if (DimensionId(key) > 0) AddDimension(-1, key, v);
      continue;  // unknown fields stay in the raw visit
    }
    int conv = id >> 8, target = id & 0xff;
    if (conv != kSpecial) {
      Fill(coerce_, conv, v, row[target]);
      continue;
    }
    switch (target) {
      case kIdSite: {
        auto site = coerce_.Int(v);
        if (site && *site != site_id_) {
          return DataError(line_no, "idSite " + std::to_string(*site) + " in a partition of site " +
                                        std::to_string(site_id_));
        }
        break;
      }
      case kFirstTs: first_action_ts_ = coerce_.Int(v); break;
      case kLastTs: last_action_ts_ = coerce_.Int(v); break;
      case kTruncated: truncated_ = coerce_.Int(v); break;
      case kActionDetails:
        if (auto e = ParseActions(v)) return fail(e);
        break;
      default: break;
    }
  }
  if (auto e = coerce_.error()) return fail(e);
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) {  // OUT_OF_BOUNDS when fully consumed
    return DataError(line_no, "trailing content after the visit's JSON object");
  }
  return OkStatus();
}

simdjson::error_code VisitNormalizer::ParseActions(value& details) {
  json_type type;
  if (auto e = details.type().get(type)) return e;
  if (type != json_type::array) return simdjson::SUCCESS;  // {} or null: no actions
  simdjson::ondemand::array array;
  if (auto e = details.get_array().get(array)) return e;
  int index = 0;
  for (auto element : array) {
    value action_value;
    if (auto e = element.get(action_value)) return e;
    object action;
    if (action_value.get_object().get(action)) continue;  // not an object: nothing to map (kept in raw)
    if (auto e = ParseAction(action, index)) return e;
    ++index;
  }
  return simdjson::SUCCESS;
}

simdjson::error_code VisitNormalizer::ParseAction(object& action, int index) {
  Slot* row = actions_.Add();
  extras_.emplace_back();
  ActionExtra& extra = extras_.back();
  extra.items_begin = extra.items_end = items_.size();
  std::string_view type_raw;
  bool type_is_content = false;
  std::optional<int64_t> generation_ms;
  const FieldTable& fields = ActionFields();
  for (auto field_result : action) {
    simdjson::ondemand::field field;
    if (auto e = std::move(field_result).get(field)) return e;
    std::string_view key = FieldTable::RawKey(field.key());
    value& v = field.value();
    int id = fields.Find(key);
    if (id == FieldTable::kUnknown) {
      if (DimensionId(key) > 0) AddDimension(index, key, v);
      continue;
    }
    int conv = id >> 8, target = id & 0xff;
    if (conv != kSpecial) {
      Fill(coerce_, conv, v, row[target]);
      continue;
    }
    switch (target) {
      case kType: {
        json_type jt;
        if (auto e = v.type().get(jt)) return e;
        if (jt == json_type::number) {
          auto n = coerce_.Int(v);
          type_is_content = n && *n == 13;
          type_raw = v.raw_json_token();
          type_raw = TrimAscii(type_raw);
        } else if (auto t = coerce_.Text(v)) {
          type_raw = *t;
          type_is_content = type_raw == "13";
        }
        break;
      }
      case kTimestamp:
        if (auto ts = coerce_.Int(v)) {
          extra.has_time = true;
          extra.local = *ts;
        }
        break;
      case kSubtotal: extra.subtotal = coerce_.DecimalMicros(v); break;
      case kTax: extra.tax = coerce_.DecimalMicros(v); break;
      case kShipping: extra.shipping = coerce_.DecimalMicros(v); break;
      case kDiscount: extra.discount = coerce_.DecimalMicros(v); break;
      case kRevenueValue: {
        const int64_t before = coerce_.out_of_range();
        if (auto m = coerce_.DecimalMicros(v)) {
          row[action_col::kRevenue].SetInt(*m);
        } else {
          row[action_col::kRevenue].SetNull();
          extra.revenue_out_of_range = coerce_.out_of_range() > before;
        }
        break;
      }
      case kGenerationTime: generation_ms = coerce_.Int(v); break;
      case kItemDetails:
        if (auto e = ParseItems(v, index)) return e;
        extra.items_end = items_.size();
        break;
      case kProductCategories: {
        json_type jt;
        if (auto e = v.type().get(jt)) return e;
        if (jt == json_type::array) {  // Matomo sends the list; the first is the main category
          simdjson::ondemand::array cats;
          if (auto e = v.get_array().get(cats)) return e;
          for (auto cat : cats) {
            value cv;
            if (auto e = cat.get(cv)) return e;
            if (row[action_col::kProductCategory].null()) {
              if (auto t = coerce_.Text(cv)) row[action_col::kProductCategory].SetText(*t);
            }
          }
        } else if (auto t = coerce_.Text(v)) {
          row[action_col::kProductCategory].SetText(*t);
        }
        break;
      }
      default: break;
    }
  }

  ActionKind kind = ActionKind::kOther;
  if (type_is_content) kind = ActionKind::kContent;
  else if (type_raw == "action") kind = ActionKind::kPageview;
  else if (type_raw == "event") kind = ActionKind::kEvent;
  else if (type_raw == "download") kind = ActionKind::kDownload;
  else if (type_raw == "outlink") kind = ActionKind::kOutlink;
  else if (type_raw == "search") kind = ActionKind::kSearch;
  else if (type_raw == "goal") kind = ActionKind::kGoal;
  else if (type_raw == "ecommerceOrder") kind = ActionKind::kOrder;
  else if (type_raw == "ecommerceAbandonedCart") kind = ActionKind::kCart;
  extra.kind = kind;

  row[action_col::kActionIndex].SetInt(index);
  row[action_col::kActionType].SetText(ActionTypeName(static_cast<int>(kind)));
  row[action_col::kActionTypeRaw].SetText(type_raw);
  if (row[action_col::kPageLoadTimeMs].null() && generation_ms) row[action_col::kPageLoadTimeMs].SetInt(*generation_ms);
  if (kind == ActionKind::kOrder && row[action_col::kGoalId].null()) row[action_col::kGoalId].SetInt(0);
  if (kind == ActionKind::kCart && row[action_col::kGoalId].null()) row[action_col::kGoalId].SetInt(-1);
  if (kind != ActionKind::kOrder && kind != ActionKind::kCart) {
    items_.Truncate(extra.items_begin);  // only orders and carts carry items
    extra.items_end = extra.items_begin;
  }
  return simdjson::SUCCESS;
}

simdjson::error_code VisitNormalizer::ParseItems(value& items, int action_index) {
  json_type type;
  if (auto e = items.type().get(type)) return e;
  if (type != json_type::array) return simdjson::SUCCESS;
  simdjson::ondemand::array array;
  if (auto e = items.get_array().get(array)) return e;
  const FieldTable& fields = ItemFields();
  int item_index = 0;
  for (auto element : array) {
    value item_value;
    if (auto e = element.get(item_value)) return e;
    object item;
    if (item_value.get_object().get(item)) continue;
    Slot* row = items_.Add();
    row[item_col::kActionIndex].SetInt(action_index);
    row[item_col::kItemIndex].SetInt(item_index++);
    for (auto field_result : item) {
      simdjson::ondemand::field field;
      if (auto e = std::move(field_result).get(field)) return e;
      int id = fields.Find(FieldTable::RawKey(field.key()));
      if (id == FieldTable::kUnknown) continue;
      Fill(coerce_, id >> 8, field.value(), row[id & 0xff]);
    }
  }
  return simdjson::SUCCESS;
}

void VisitNormalizer::AddDimension(int action_index, std::string_view key, value& v) {
  auto text = coerce_.Text(v);
  if (!text) return;  // one row per non-null value
  Slot* row = dims_.Add();
  if (action_index >= 0) {
    row[dim_col::kActionIndex].SetInt(action_index);
    row[dim_col::kScope].SetText("action");
  } else {
    row[dim_col::kScope].SetText("visit");
  }
  row[dim_col::kDimensionId].SetInt(DimensionId(key));
  row[dim_col::kValue].SetText(*text);
}

Status VisitNormalizer::FinishVisit(size_t line_no) {
  namespace vc = visit_col;
  namespace ac = action_col;
  Slot* visit = visit_.row(0);
  if (visit[vc::kVisitId].null()) return DataError(line_no, "the visit has no idVisit");
  if (!last_action_ts_) {
    return DataError(line_no, "visit " + std::to_string(visit[vc::kVisitId].i) + " has no lastActionTimestamp");
  }
  const int64_t last = *last_action_ts_;
  const int64_t first = first_action_ts_.value_or(last);
  auto to_local = [&](int64_t utc) { return fixed_offset_ ? utc + fixed_offset_s_ : zone_->ToLocal(utc); };
  const int64_t last_local = to_local(last);
  const CivilDate visit_date = DateOfEpoch(last_local);
  if (visit_date != date_) {
    // Loading it would put rows outside the partition being replaced (breaking exactly-once).
    return DataError(line_no, "visit " + std::to_string(visit[vc::kVisitId].i) + " ends on site-local day " +
                                  visit_date.ToString() + " (" + zone_->name() +
                                  "), not on the partition's day; was the site's time zone changed?");
  }
  const int64_t visit_id = visit[vc::kVisitId].i;
  const int64_t day = visit_date.days();

  // Action times: wall time -> true UTC, resolved over the whole visit.
  const size_t n = actions_.size();
  local_times_.resize(n);
  int64_t previous_local = to_local(first);
  for (size_t i = 0; i < n; ++i) {
    local_times_[i] = extras_[i].has_time ? extras_[i].local : previous_local;  // a missing time: the previous one
    previous_local = local_times_[i];
  }
  if (fixed_offset_) {
    utc_times_.resize(n);
    for (size_t i = 0; i < n; ++i) utc_times_[i] = local_times_[i] - fixed_offset_s_;
  } else {
    ResolveActionTimes(*zone_, local_times_, first, last, &utc_times_);
  }

  // Actions, and the visit's figures derived from them.
  int64_t pageviews = 0, downloads = 0, outlinks = 0, contents = 0;
  // The visit's revenue adds DECIMAL(18,6) values: in 128 bits it cannot wrap, and a total beyond
  // DECIMAL(18,6), or one missing a value that was beyond it, is null rather than a wrong number.
  __extension__ __int128 revenue = 0;
  bool revenue_unknown = false;
  const Slot* entry = nullptr;
  const Slot* exit = nullptr;
  for (size_t i = 0; i < n; ++i) {
    Slot* a = actions_.row(i);
    const ActionExtra& extra = extras_[i];
    a[ac::kSiteId].SetInt(site_id_);
    a[ac::kVisitId].SetInt(visit_id);
    a[ac::kVisitDate].SetInt(day);
    a[ac::kOccurredAt].SetInt(utc_times_[i] * kMicrosPerSecond);
    a[ac::kOccurredLocal].SetInt(local_times_[i] * kMicrosPerSecond);
    if (extra.kind != ActionKind::kGoal && extra.kind != ActionKind::kOrder && extra.kind != ActionKind::kCart &&
        extra.kind != ActionKind::kOther) {
      // Matomo's time_spent_ref_action: seconds since the visit's previous hit, within [0, visit_standard_length].
      const int64_t previous = i == 0 ? first : utc_times_[i - 1];
      a[ac::kTimeSpentRefS].SetInt(std::clamp<int64_t>(utc_times_[i] - previous, 0, kVisitStandardLengthS));
    }
    switch (extra.kind) {
      case ActionKind::kPageview:
        ++pageviews;
        if (!entry) entry = a;
        exit = a;
        break;
      case ActionKind::kDownload: ++downloads; break;
      case ActionKind::kOutlink: ++outlinks; break;
      case ActionKind::kContent: ++contents; break;
      default: break;
    }
    if (extra.kind != ActionKind::kGoal && extra.kind != ActionKind::kOrder && extra.kind != ActionKind::kCart) {
      continue;
    }
    if (extra.kind != ActionKind::kCart) {
      if (!a[ac::kRevenue].null()) revenue += a[ac::kRevenue].i;
      revenue_unknown |= extra.revenue_out_of_range;
    }
    Slot* c = convs_.Add();
    namespace cc = conv_col;
    c[cc::kSiteId].SetInt(site_id_);
    c[cc::kVisitId].SetInt(visit_id);
    c[cc::kVisitDate].SetInt(day);
    c[cc::kActionIndex].SetInt(static_cast<int64_t>(i));
    c[cc::kConversionType] = a[ac::kActionType];
    c[cc::kGoalId] = a[ac::kGoalId];
    if (c[cc::kGoalId].null()) c[cc::kGoalId].SetInt(0);  // a goal entry without goalId (never seen)
    c[cc::kGoalName] = a[ac::kGoalName];
    c[cc::kConvertedAt] = a[ac::kOccurredAt];
    c[cc::kConvertedLocal] = a[ac::kOccurredLocal];
    c[cc::kRevenue] = a[ac::kRevenue];
    SetOptionalInt(c[cc::kRevenueSubtotal], extra.subtotal);
    SetOptionalInt(c[cc::kRevenueTax], extra.tax);
    SetOptionalInt(c[cc::kRevenueShipping], extra.shipping);
    SetOptionalInt(c[cc::kRevenueDiscount], extra.discount);
    c[cc::kItems] = a[ac::kItems];
    c[cc::kOrderId] = a[ac::kOrderId];
    c[cc::kUrl] = a[ac::kUrl];
    for (size_t k = extra.items_begin; k < extra.items_end; ++k) {
      Slot* item = items_.row(k);
      item[item_col::kConversionType] = a[ac::kActionType];
      item[item_col::kOrderId] = a[ac::kOrderId];
    }
  }
  for (size_t k = 0; k < items_.size(); ++k) {
    Slot* item = items_.row(k);
    item[item_col::kSiteId].SetInt(site_id_);
    item[item_col::kVisitId].SetInt(visit_id);
    item[item_col::kVisitDate].SetInt(day);
  }
  for (size_t k = 0; k < dims_.size(); ++k) {
    Slot* d = dims_.row(k);
    d[dim_col::kSiteId].SetInt(site_id_);
    d[dim_col::kVisitId].SetInt(visit_id);
    d[dim_col::kVisitDate].SetInt(day);
  }

  // The visit row.
  auto zero_if_null = [&](int col) {
    if (visit[col].null()) visit[col].SetInt(0);
  };
  visit[vc::kSiteId].SetInt(site_id_);
  visit[vc::kVisitDate].SetInt(day);
  visit[vc::kFirstActionAt].SetInt(first * kMicrosPerSecond);
  visit[vc::kLastActionAt].SetInt(last * kMicrosPerSecond);
  visit[vc::kFirstActionLocal].SetInt(to_local(first) * kMicrosPerSecond);
  visit[vc::kLastActionLocal].SetInt(last_local * kMicrosPerSecond);
  visit[vc::kLocalHour].SetInt(SecondOfDay(last_local) / 3600);
  for (int col : {vc::kVisitDurationS, vc::kActions, vc::kEvents, vc::kSearches, vc::kVisitConverted,
                  vc::kGoalConversions}) {
    zero_if_null(col);
  }
  visit[vc::kPageviews].SetInt(pageviews);
  visit[vc::kDownloads].SetInt(downloads);
  visit[vc::kOutlinks].SetInt(outlinks);
  visit[vc::kContents].SetInt(contents);
  visit[vc::kIsBounce].SetInt(visit[vc::kActions].i <= 1 ? 1 : 0);
  int64_t money_out_of_range = coerce_.out_of_range();
  if (revenue > kMaxDecimalMicros || revenue < -kMaxDecimalMicros) {
    ++money_out_of_range;  // every value fits, their total does not
    revenue_unknown = true;
  }
  if (revenue_unknown) visit[vc::kRevenue].SetNull();
  else visit[vc::kRevenue].SetInt(static_cast<int64_t>(revenue));
  if (money_out_of_range > 0) {
    stats_.money_out_of_range += money_out_of_range;
    if (stats_.money_out_of_range_visits.size() < NormalizerStats::kMaxReportedVisits) {
      stats_.money_out_of_range_visits.push_back(visit_id);
    }
  }
  int64_t truncated = truncated_.value_or(0);
  visit[vc::kTruncatedActions].SetInt(truncated);
  if (truncated > 0) ++stats_.truncated_visits;
  if (entry) {
    visit[vc::kEntryUrl] = entry[ac::kUrl];
    visit[vc::kEntryPageTitle] = entry[ac::kPageTitle];
    visit[vc::kExitUrl] = exit[ac::kUrl];
    visit[vc::kExitPageTitle] = exit[ac::kPageTitle];
  }
  // Stock Matomo has no campaign fields: a campaign visit carries its campaign in referrerName/Keyword.
  if (!visit[vc::kReferrerType].null() && visit[vc::kReferrerType].s == "campaign") {
    if (visit[vc::kCampaignName].null()) visit[vc::kCampaignName] = visit[vc::kReferrerName];
    if (visit[vc::kCampaignKeyword].null()) visit[vc::kCampaignKeyword] = visit[vc::kReferrerKeyword];
  }
  visit[vc::kExtractedAt].SetInt(extracted_at_us_);
  return OkStatus();
}

void VisitNormalizer::CommitVisit() {
  visit_.AppendTo(*batches_[static_cast<int>(CuratedTable::kVisits)]);
  actions_.AppendTo(*batches_[static_cast<int>(CuratedTable::kActions)]);
  dims_.AppendTo(*batches_[static_cast<int>(CuratedTable::kCustomDimensions)]);
  convs_.AppendTo(*batches_[static_cast<int>(CuratedTable::kConversions)]);
  items_.AppendTo(*batches_[static_cast<int>(CuratedTable::kEcommerceItems)]);
  if (options_.emit_raw_visits) {
    TableBatch& raw = *batches_[static_cast<int>(CuratedTable::kRawVisits)];
    const Slot* visit = visit_.row(0);
    raw.column(raw_col::kSiteId).AppendInt(site_id_);
    raw.column(raw_col::kVisitDate).AppendInt(visit[visit_col::kVisitDate].i);
    raw.column(raw_col::kVisitId).AppendInt(visit[visit_col::kVisitId].i);
    raw.column(raw_col::kVisit).AppendText(raw_json_);
    raw.column(raw_col::kExtractedAt).AppendInt(extracted_at_us_);
  }
  ++stats_.visits;
  stats_.actions += static_cast<int64_t>(actions_.size());
  stats_.custom_dimensions += static_cast<int64_t>(dims_.size());
  stats_.conversions += static_cast<int64_t>(convs_.size());
  stats_.ecommerce_items += static_cast<int64_t>(items_.size());
}

void VisitNormalizer::FlushFull(bool all) {
  for (auto& batch : batches_) {
    if (batch->rows() == 0) continue;
    if (all || batch->rows() >= options_.batch_rows) {
      sink_->Consume(*batch);
      batch->Clear();
    }
  }
}

Status VisitNormalizer::Finish() {
  if (!finished_) {
    finished_ = true;
    FlushFull(true);
  }
  return OkStatus();
}

}  // namespace metl
