#include "normalize/schema.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "normalize/columns.h"

namespace metl {
namespace {

TEST(SchemaTest, ContractTablesAndColumnsExist) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> contract = {
      {"matomo_raw_visits", {"site_id", "visit_date", "visit_id", "visit", "extracted_at"}},
      {"matomo_visits",
       {"site_id", "visit_id", "visit_date", "visitor_id", "user_id", "first_action_at", "last_action_at",
        "last_action_local", "local_hour", "visit_duration_s", "actions", "pageviews", "events", "searches",
        "downloads", "outlinks", "is_bounce", "visitor_type", "visit_count", "days_since_first_visit",
        "referrer_type", "referrer_name", "referrer_keyword", "referrer_url", "campaign_name", "campaign_keyword",
        "campaign_source", "campaign_medium", "campaign_content", "campaign_id", "country_code", "region_code",
        "city", "latitude", "longitude", "language_code", "device_type", "device_brand", "device_model", "os_name",
        "os_version", "browser_name", "browser_version", "resolution", "visit_converted", "goal_conversions",
        "revenue", "ecommerce_status", "truncated_actions", "entry_url", "exit_url"}},
      {"matomo_actions",
       {"site_id", "visit_id", "visit_date", "action_index", "action_type", "action_type_raw", "occurred_at",
        "occurred_local", "url", "page_title", "page_id_action", "pageview_id", "time_spent_s", "page_load_time_ms",
        "event_category", "event_action", "event_name", "event_value", "search_keyword", "search_category",
        "search_count", "content_name", "content_piece", "content_target", "content_interaction", "goal_id",
        "revenue", "order_id"}},
      {"matomo_custom_dimensions", {"site_id", "visit_id", "visit_date", "action_index", "dimension_id", "value"}},
      {"matomo_conversions",
       {"site_id", "visit_id", "visit_date", "action_index", "conversion_type", "goal_id", "goal_name",
        "converted_at", "revenue", "revenue_subtotal", "revenue_tax", "revenue_shipping", "revenue_discount", "items",
        "order_id"}},
      {"matomo_ecommerce_items",
       {"site_id", "visit_id", "visit_date", "action_index", "conversion_type", "order_id", "item_index", "sku",
        "name", "category", "price", "quantity"}},
      {"matomo_sites", {"site_id"}},
      {"matomo_goals", {"site_id", "goal_id"}},
      {"matomo_daily_kpis",
       {"site_id", "date", "nb_visits", "nb_uniq_visitors", "nb_users", "nb_actions", "nb_visits_converted",
        "bounce_count", "sum_visit_length", "max_actions", "nb_pageviews", "nb_conversions", "revenue"}},
      {"matomo_etl_partitions", {"site_id", "date", "visits", "content_hash", "status", "loaded_at"}},
  };
  for (const auto& [table, columns] : contract) {
    const TableDef* def = FindTable(table);
    ASSERT_NE(def, nullptr) << table;
    for (const auto& column : columns) EXPECT_GE(def->ColumnIndex(column), 0) << table << "." << column;
  }
}

TEST(SchemaTest, TypesFollowTheIssue) {
  const TableDef& visits = *FindTable("matomo_visits");
  EXPECT_EQ(visits.columns[visits.ColumnIndex("visit_id")].type, LogicalType::kBigInt);
  EXPECT_EQ(visits.columns[visits.ColumnIndex("revenue")].type, LogicalType::kDecimal);
  EXPECT_EQ(visits.columns[visits.ColumnIndex("first_action_at")].type, LogicalType::kTimestampTz);
  EXPECT_EQ(visits.columns[visits.ColumnIndex("last_action_local")].type, LogicalType::kTimestamp);
  EXPECT_EQ(visits.columns[visits.ColumnIndex("visit_date")].type, LogicalType::kDate);
  EXPECT_EQ(FindTable("matomo_raw_visits")->columns[raw_col::kVisit].type, LogicalType::kJson);
  EXPECT_EQ(FindTable("matomo_ecommerce_items")->columns[item_col::kPrice].type, LogicalType::kDecimal);
  // One money value is DECIMAL(18,6); a day's sum is DECIMAL(38,6) and never overflows (issue 7).
  const TableDef& kpis = *FindTable("matomo_daily_kpis");
  EXPECT_EQ(kpis.columns[kpis.ColumnIndex("revenue")].type, LogicalType::kWideDecimal);
  EXPECT_STREQ(LogicalTypeName(LogicalType::kWideDecimal), "DECIMAL(38,6)");
  EXPECT_TRUE(visits.columns[visits.ColumnIndex("revenue")].nullable) << "null when beyond DECIMAL(18,6)";
}

TEST(SchemaTest, NamesUniqueKeysAndPartitionsDeclared) {
  std::set<std::string_view> tables;
  for (const auto& t : AllTables()) {
    EXPECT_TRUE(tables.insert(t.name).second) << t.name;
    std::set<std::string_view> names;
    for (const auto& c : t.columns) {
      EXPECT_TRUE(names.insert(c.name).second) << t.name << "." << c.name;
      EXPECT_FALSE(c.description.empty()) << t.name << "." << c.name;
    }
    for (auto k : t.key) EXPECT_GE(t.ColumnIndex(k), 0) << t.name << " key " << k;
    if (!t.partition_date_column.empty()) {
      EXPECT_GE(t.ColumnIndex(t.partition_date_column), 0) << t.name;
    }
  }
  ASSERT_EQ(CuratedTables().size(), static_cast<size_t>(kCuratedTableCount));
  for (const auto& t : CuratedTables()) {
    EXPECT_TRUE(t.from_normalizer) << t.name;
    EXPECT_EQ(t.partition_date_column, "visit_date") << t.name;
  }
  EXPECT_EQ(FindTable("matomo_daily_kpis")->partition_date_column, "date");
  EXPECT_EQ(FindTable("matomo_etl_partitions")->partition_date_column, "date");
  EXPECT_FALSE(FindTable("matomo_etl_partitions")->from_normalizer);
}

TEST(SchemaTest, ColumnConstantsMatchDeclaration) {
  const auto& t = CuratedTables();
  EXPECT_EQ(t[0].name, "matomo_visits");
  EXPECT_EQ(t[0].columns[visit_col::kCampaignId].name, "campaign_id");
  EXPECT_EQ(t[0].columns[visit_col::kExtractedAt].name, "extracted_at");
  EXPECT_EQ(t[1].columns[action_col::kOrderId].name, "order_id");
  EXPECT_EQ(t[2].columns[dim_col::kValue].name, "value");
  EXPECT_EQ(t[3].columns[conv_col::kOrderId].name, "order_id");
  EXPECT_EQ(t[4].columns[item_col::kQuantity].name, "quantity");
  EXPECT_EQ(t[5].name, "matomo_raw_visits");
}

}  // namespace
}  // namespace metl
