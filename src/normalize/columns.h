// Column positions of the curated tables, as compile-time constants for the normalizer's hot path.
// schema.cc places every declared column at its constant (and aborts at start-up on a gap or a
// duplicate), so the declaration and these indices cannot drift apart.
#pragma once

namespace metl {

namespace raw_col {
enum : int { kSiteId, kVisitDate, kVisitId, kVisit, kExtractedAt, kCount };
}  // namespace raw_col

namespace visit_col {
enum : int {
  kSiteId, kVisitId, kVisitDate, kVisitorId, kFingerprint, kUserId,
  kFirstActionAt, kLastActionAt, kFirstActionLocal, kLastActionLocal, kLocalHour, kVisitDurationS,
  kActions, kInteractions, kPageviews, kEvents, kSearches, kDownloads, kOutlinks, kContents, kIsBounce,
  kVisitorType, kVisitCount, kDaysSinceFirstVisit, kDaysSinceLastVisit, kDaysSinceLastOrder,
  kReferrerType, kReferrerName, kReferrerKeyword, kReferrerUrl,
  kCampaignName, kCampaignKeyword, kCampaignSource, kCampaignMedium, kCampaignContent, kCampaignId,
  kContinentCode, kCountryCode, kRegionCode, kCity, kLatitude, kLongitude, kLanguageCode,
  kDeviceType, kDeviceBrand, kDeviceModel, kOsName, kOsVersion, kBrowserName, kBrowserVersion,
  kBrowserEngine, kResolution,
  kVisitConverted, kGoalConversions, kRevenue, kEcommerceStatus, kEcommerceOrders, kEcommerceRevenue,
  kEcommerceItems, kAbandonedCarts, kAbandonedCartRevenue, kAbandonedCartItems,
  kTruncatedActions, kEntryUrl, kExitUrl, kEntryPageTitle, kExitPageTitle, kExtractedAt, kCountryName,
  kCount
};
}  // namespace visit_col

namespace action_col {
enum : int {
  kSiteId, kVisitId, kVisitDate, kActionIndex, kActionType, kActionTypeRaw, kOccurredAt, kOccurredLocal,
  kUrl, kPageTitle, kPageIdAction, kPageviewId, kPageId, kPageviewPosition, kTimeSpentS, kPageLoadTimeMs,
  kEventCategory, kEventAction, kEventName, kEventValue,
  kSearchKeyword, kSearchCategory, kSearchCount,
  kContentName, kContentPiece, kContentTarget, kContentInteraction,
  kGoalId, kGoalName, kRevenue, kOrderId, kItems,
  kProductSku, kProductName, kProductCategory, kProductPrice, kTimeSpentRefS,
  kCount
};
}  // namespace action_col

namespace dim_col {
enum : int { kSiteId, kVisitId, kVisitDate, kActionIndex, kScope, kDimensionId, kValue, kCount };
}  // namespace dim_col

namespace conv_col {
enum : int {
  kSiteId, kVisitId, kVisitDate, kActionIndex, kConversionType, kGoalId, kGoalName, kConvertedAt,
  kConvertedLocal, kRevenue, kRevenueSubtotal, kRevenueTax, kRevenueShipping, kRevenueDiscount, kItems,
  kOrderId, kUrl, kCount
};
}  // namespace conv_col

namespace item_col {
enum : int {
  kSiteId, kVisitId, kVisitDate, kActionIndex, kConversionType, kOrderId, kItemIndex, kSku, kName,
  kCategory, kPrice, kQuantity, kCount
};
}  // namespace item_col

// Table positions in CuratedTables().
enum class CuratedTable : int { kVisits, kActions, kCustomDimensions, kConversions, kEcommerceItems, kRawVisits };
inline constexpr int kCuratedTableCount = 6;

}  // namespace metl
