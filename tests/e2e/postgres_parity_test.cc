// The same landing zone loaded into DuckDB and into PostgreSQL gives every table the same content
// (issue 5). Rows are compared canonically: each engine's values rendered to text, rows sorted; the
// raw visit JSON is compared as JSON (PostgreSQL's jsonb keeps the values but not the key order or
// whitespace). The server: postgres_server.h.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "harness.h"
#include "landing_fixture.h"
#include "normalize/schema.h"
#include "postgres_server.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

const char* kReference = METL_SOURCE_DIR "/tests/data/matomo-5.1.2/";

// JSON with object keys sorted and numbers in one form, so that two texts of the same value compare equal.
void Canonical(simdjson::dom::element e, std::string& out) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::OBJECT: {
      std::vector<std::pair<std::string, simdjson::dom::element>> fields;
      simdjson::dom::object object = e.get_object().value();
      for (auto field : object) fields.emplace_back(std::string(field.key), field.value);
      std::sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      out += "{";
      for (auto& [k, v] : fields) {
        out += "\"" + k + "\":";
        Canonical(v, out);
        out += ",";
      }
      out += "}";
      break;
    }
    case element_type::ARRAY: {
      out += "[";
      simdjson::dom::array array = e.get_array().value();
      for (auto v : array) {
        Canonical(v, out);
        out += ",";
      }
      out += "]";
      break;
    }
    case element_type::STRING:
      out += "\"" + std::string(e.get_string().value()) + "\"";
      break;
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", e.get_double().value());
      out += buf;
      break;
    }
    case element_type::BOOL:
      out += e.get_bool().value() ? "true" : "false";
      break;
    case element_type::NULL_VALUE:
      out += "null";
      break;
  }
}

std::string CanonicalJson(const std::string& text) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(text).get(e) != simdjson::SUCCESS) return "unparsable: " + text;
  std::string out;
  Canonical(e, out);
  return out;
}

// Every declared column of `table` (but `skip`), each CAST to VARCHAR in SQL both dialects share, rows
// sorted: the engine's own text rendering of each type, not the client library's. But TIMESTAMPTZ:
// DuckDB's cast renders it in the session's time zone when ICU is loaded, so instants are read as
// they are, both sessions rendering UTC ("2026-11-25 23:19:02+00": the PostgreSQL session runs in
// UTC, and DuckDB's Query renders UTC itself).
std::string CanonicalDump(const std::string& url, const std::string& table, const std::vector<std::string>& skip) {
  const TableDef* def = FindTable(table);
  if (def == nullptr) return "no such declared table " + table;
  std::string sql = "SELECT ";
  bool first = true;
  std::vector<bool> is_double, may_be_empty;
  for (const ColumnDef& c : def->columns) {
    if (std::find(skip.begin(), skip.end(), c.name) != skip.end()) continue;
    is_double.push_back(c.type == LogicalType::kDouble);
    std::string column = "\"" + std::string(c.name) + "\"";
    if (c.type != LogicalType::kTimestampTz) column = "CAST(" + column + " AS VARCHAR)";
    sql += (first ? "" : ", ") + column;
    may_be_empty.push_back(c.type == LogicalType::kText);
    first = false;
  }
  Rows r = QueryWarehouse(url, sql + " FROM " + table);
  std::vector<std::string> lines;
  for (const auto& row : r.rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      std::string v = row[c].value_or("\\N");
      if (v.empty() && !may_be_empty[c]) {  // a lost value would make both sides equal and prove nothing
        ADD_FAILURE() << url << " " << table << " column " << c << " reads as an empty string";
        may_be_empty[c] = true;
      }
      if (row[c] && is_double[c]) {  // 199 and 199.0 are one double: compare the values
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", std::strtod(v.c_str(), nullptr));
        v = buf;
      }
      line += v + "\t";
    }
    lines.push_back(std::move(line));
  }
  std::sort(lines.begin(), lines.end());
  std::string out = table + " (" + std::to_string(lines.size()) + " rows)\n";
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::vector<std::string> RawVisits(const std::string& url) {
  Rows r = QueryWarehouse(url, "SELECT site_id, visit_date, visit_id, visit FROM matomo_raw_visits");
  std::vector<std::string> out;
  for (const auto& row : r.rows) {
    out.push_back(row[0].value_or("") + "\t" + row[1].value_or("") + "\t" + row[2].value_or("") + "\t" +
                  CanonicalJson(row[3].value_or("null")));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(PostgresParity, SameLandingZoneGivesEveryTableTheSameContentAsDuckDb) {
  std::string pg = TestPostgresServer();
  if (pg.empty()) METL_NO_POSTGRES("no PostgreSQL server could be found or started");
  TempDir tmp;
  std::string landing = (tmp.path() / "landing").string();
  LandJsonArray(landing, 1, "2026-11-25", "UTC",
                ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"));
  LandJsonArray(landing, 2, "2026-11-25", "America/New_York",
                ReadFile(std::string(kReference) + "live_site2_newyork_day_limit100_offset0.json"));
  std::string duck_url = WarehouseTarget{"duckdb", ""}.FreshUrl(tmp);
  std::string pg_url = WarehouseTarget{"postgres", pg}.FreshUrl(tmp);
  for (const std::string& url : {duck_url, pg_url}) {
    ProcessResult r = RunEtl({"load", "--landing", landing, "--warehouse", url});
    ASSERT_EQ(r.exit_code, 0) << url << "\n" << r.out << r.err;
  }
  const std::vector<std::string> tables = {"matomo_visits",        "matomo_actions",         "matomo_custom_dimensions",
                                           "matomo_conversions",   "matomo_ecommerce_items", "matomo_daily_kpis",
                                           "matomo_etl_partitions"};
  for (const std::string& t : tables) {
    std::string duck = CanonicalDump(duck_url, t, {"loaded_at"});
    std::string post = CanonicalDump(pg_url, t, {"loaded_at"});
    EXPECT_EQ(duck.find(t + " (0 rows)"), std::string::npos) << "an empty table proves nothing";
    EXPECT_EQ(post, duck) << t;
  }
  std::vector<std::string> duck_raw = RawVisits(duck_url);
  EXPECT_EQ(duck_raw.size(), 200u);
  EXPECT_EQ(RawVisits(pg_url), duck_raw);
}

}  // namespace
}  // namespace metl::e2e
