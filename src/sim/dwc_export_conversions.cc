// log_conversion and log_conversion_item: a goal's, order's or cart's row, with the visit's columns
// Matomo copies into it, and the items of an order or cart.
#include <zlib.h>

#include "sim/dwc_exporter.h"

namespace metl::sim::dwcx {

using simdjson::dom::element;

void Exporter::Conversion(VisitRows& s, element a, const std::string& type, const std::string& server_time) {
  Row c = s.conv_common;
  c["server_time"] = server_time;
  // A goal's idlink_va is the action it converted on (Live's goalPageId; none for a manual
  // conversion); orders and carts have none (the real sample).
  if (type == "goal") SetOpt(c, "idlink_va", GetInt(a, "goalPageId"));
  if (s.prev_url) c["idaction_url"] = Int(*s.prev_url);
  int64_t goal = type == "goal" ? GetInt(a, "goalId").value_or(0) : type == "ecommerceOrder" ? 0 : -1;
  c["idgoal"] = Int(goal);
  c["pageviews_before"] = Int(s.pageviews);
  c["url"] = Str(HtmlEscape(GetStr(a, "url").value_or("")));
  c["revenue"] = Float(GetDouble(a, "revenue").value_or(0));
  std::optional<std::string> order = GetStr(a, "orderId");
  if (goal == 0 && order) {
    c["idorder"] = Str(*order);
    c["buster"] = Int(static_cast<int64_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(order->data()), static_cast<uInt>(order->size()))));
  } else {
    c["buster"] = Int(0);
  }
  if (goal <= 0) {
    c["items"] = Int(GetInt(a, "items").value_or(0));
    if (goal == 0) {
      c["revenue_subtotal"] = Float(GetDouble(a, "revenueSubTotal").value_or(0));
      c["revenue_tax"] = Float(GetDouble(a, "revenueTax").value_or(0));
      c["revenue_shipping"] = Float(GetDouble(a, "revenueShipping").value_or(0));
      c["revenue_discount"] = Float(GetDouble(a, "revenueDiscount").value_or(0));
    }
    simdjson::dom::array items;
    if (a["itemDetails"].get(items) == simdjson::SUCCESS) {
      for (element it : items) {
        Row item;
        item["idsite"] = Int(s.site->id);
        item["idvisitor"] = s.idvisitor;
        item["server_time"] = server_time;
        item["idvisit"] = Int(s.idvisit);
        item["idorder"] = Str(goal == 0 && order ? *order : "0");
        item["idaction_sku"] = Int(ActionId(kItemSku, GetStr(it, "itemSKU").value_or("")));
        item["idaction_name"] = Int(ActionId(kItemName, GetStr(it, "itemName").value_or("")));
        simdjson::dom::array cats;
        std::vector<std::string> names;
        if (it["categories"].get(cats) == simdjson::SUCCESS) {
          for (element cat : cats) {
            std::string_view name;
            if (cat.get(name) == simdjson::SUCCESS) names.emplace_back(name);
          }
        }
        const char* cols[] = {"idaction_category", "idaction_category2", "idaction_category3", "idaction_category4",
                              "idaction_category5"};
        for (size_t k = 0; k < 5; ++k) {
          item[cols[k]] = Int(k < names.size() ? ActionId(kItemCategory, names[k]) : 0);
        }
        item["price"] = Float(GetDouble(it, "price").value_or(0));
        item["quantity"] = Int(GetInt(it, "quantity").value_or(1));
        item["deleted"] = Int(0);
        day_rows_["log_conversion_item"].push_back(RowJson(item, kItemColumns));
      }
    }
  }
  day_rows_["log_conversion"].push_back(RowJson(c, kConversionColumns));
}

}  // namespace metl::sim::dwcx
