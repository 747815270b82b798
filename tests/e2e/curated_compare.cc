#include "curated_compare.h"

#include <gtest/gtest.h>

#include <map>

#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

std::vector<std::string> KeyColumns(const std::string& key_list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= key_list.size()) {
    size_t end = key_list.find(',', start);
    std::string col = key_list.substr(start, end == std::string::npos ? std::string::npos : end - start);
    while (!col.empty() && col.front() == ' ') col.erase(0, 1);
    while (!col.empty() && col.back() == ' ') col.pop_back();
    if (!col.empty()) out.push_back(col);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

int ColumnOf(const Rows& r, const std::string& name) {
  for (size_t c = 0; c < r.columns.size(); ++c) {
    if (r.columns[c] == name) return static_cast<int>(c);
  }
  return -1;
}

// Text of a row's key columns, for messages and matching: "site_id=1 visit_id=7 ".
std::string KeyOf(const Rows& r, size_t row, const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& col : keys) {
    int c = ColumnOf(r, col);
    if (c >= 0) out += col + "=" + r.rows[row][c].value_or("NULL") + " ";
  }
  return out;
}

bool Skipped(const Rows& r, size_t row, const CompareOptions& o) {
  if (o.skip_visits.empty()) return false;
  int site = ColumnOf(r, "site_id"), visit = ColumnOf(r, "visit_id");
  if (site < 0 || visit < 0 || !r.rows[row][site] || !r.rows[row][visit]) return false;
  return o.skip_visits.count({std::stoll(*r.rows[row][site]), std::stoll(*r.rows[row][visit])}) > 0;
}

}  // namespace

const std::vector<ComparedTable>& CuratedTables() {
  static const std::vector<ComparedTable> kTables = {
      {"matomo_visits", "site_id, visit_id"},
      {"matomo_actions", "site_id, visit_id, action_index"},
      {"matomo_custom_dimensions", "site_id, visit_id, action_index, dimension_id"},
      {"matomo_conversions", "site_id, visit_id, action_index"},
      {"matomo_ecommerce_items", "site_id, visit_id, action_index, item_index"},
  };
  return kTables;
}

CompareResult CompareWarehouses(const std::string& first_url, const std::string& second_url,
                                const std::vector<ComparedTable>& tables, const CompareOptions& options) {
  CompareResult result;
  int reported = 0;
  for (const ComparedTable& t : tables) {
    const std::vector<std::string> keys = KeyColumns(t.key);
    const std::string sql = "SELECT * FROM " + t.table + " ORDER BY " + t.key;
    Rows a = QueryWarehouse(first_url, sql);
    Rows b = QueryWarehouse(second_url, sql);
    if (a.columns != b.columns) {
      ADD_FAILURE() << t.table << ": the two warehouses have different columns";
      continue;
    }
    if (a.rows.empty()) ADD_FAILURE() << t.table << ": empty in the reference warehouse, nothing compared";
    std::map<std::string, size_t> b_by_key;
    size_t b_kept = 0;
    for (size_t i = 0; i < b.rows.size(); ++i) {
      if (Skipped(b, i, options)) continue;
      ++b_kept;
      b_by_key[KeyOf(b, i, keys)] = i;
    }
    size_t a_kept = 0;
    std::map<std::string, int> per_column;
    for (size_t i = 0; i < a.rows.size(); ++i) {
      if (Skipped(a, i, options)) continue;
      ++a_kept;
      const std::string key = KeyOf(a, i, keys);
      auto it = b_by_key.find(key);
      if (it == b_by_key.end()) {
        ADD_FAILURE() << t.table << ": row " << key << "missing from the second warehouse";
        continue;
      }
      ++result.rows;
      for (size_t c = 0; c < a.columns.size(); ++c) {
        if (options.skip_columns.count(a.columns[c])) continue;
        ++result.values;
        const auto& x = a.rows[i][c];
        const auto& y = b.rows[it->second][c];
        if (x == y) continue;
        if (options.lifetime_columns.count(a.columns[c]) && x && y && std::stod(*y) <= std::stod(*x)) {
          ++result.lifetime_short;
          continue;
        }
        if (options.may_be_higher.count(a.columns[c]) && x && y && std::stod(*y) > std::stod(*x)) {
          ++result.higher;
          continue;
        }
        ++result.differences;
        ++per_column[a.columns[c]];
        if (++reported <= 60) {
          ADD_FAILURE() << t.table << " " << key << a.columns[c] << ": first=" << x.value_or("NULL")
                        << " second=" << y.value_or("NULL");
        }
      }
    }
    EXPECT_EQ(b_kept, a_kept) << t.table << ": row counts differ";
    for (const auto& [col, n] : per_column) ADD_FAILURE() << t.table << "." << col << ": " << n << " rows differ";
  }
  return result;
}

}  // namespace metl::e2e
