#include "warehouse_suite.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>

#include "normalize/schema.h"
#include "clickhouse_server.h"
#include "postgres_server.h"
#include "warehouse/warehouse.h"

namespace metl::e2e {

namespace {

// One google-fake for the whole test process (BigQuery targets): its key and host go into this
// process's environment, which the binaries under test inherit.
std::string TestGoogleFakeHost() {
  static TempDir* dir = new TempDir();
  static BackgroundProcess* fake = nullptr;
  static std::string host;
  if (fake) return host;
  const std::string key = (dir->path() / "sa-key.json").string();
  fake = new BackgroundProcess({GFAKE_BIN_PATH, "--port", "0", "--write-test-key", key});
  std::string url = fake->ReadFirstLine(30);
  if (url.find("://") == std::string::npos) return "";
  host = url.substr(url.find("://") + 3);
  while (!host.empty() && host.back() == '/') host.pop_back();
  setenv("GOOGLE_APPLICATION_CREDENTIALS", key.c_str(), 1);
  setenv("BIGQUERY_EMULATOR_HOST", host.c_str(), 1);
  return host;
}

}  // namespace

std::string WarehouseTarget::FreshUrl(const TempDir& tmp) const {
  if (engine == "duckdb") return "duckdb:" + (tmp.path() / "warehouse.duckdb").string();
  if (engine == "bigquery") {
    if (TestGoogleFakeHost().empty()) {
      ADD_FAILURE() << "google-fake did not start";
      return "";
    }
    static std::atomic<int> datasets{0};
    return "bigquery://metl-test-project/t" + std::to_string(::getpid()) + "_" + std::to_string(datasets++) +
           "?location=US";
  }
  if (engine == "clickhouse" || engine == "clickhouse-cluster") {
    std::string base = TestClickHouseServer();
    if (base.empty()) {
      ADD_FAILURE() << "no ClickHouse server could be started (clickhouse-server missing?)";
      return "";
    }
    static std::atomic<int> databases{0};
    std::string url = base + "/t" + std::to_string(::getpid()) + "_" + std::to_string(databases++);
    return engine == "clickhouse" ? url : url + TestClickHouseClusterParams();
  }
  std::string base = base_url.empty() ? TestPostgresServer() : base_url;
  if (base.empty()) {
    [] { METL_NO_POSTGRES("no PostgreSQL server could be found or started"); }();
    return "";
  }
  static std::atomic<int> counter{0};
  std::string schema = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema;
}

std::vector<WarehouseTarget> WarehouseTargets() {
  // PostgreSQL is always a target, so that ctest's test discovery (run without a server) lists its
  // tests; FreshUrl finds or starts the server on first use (postgres_server.h).
  std::vector<WarehouseTarget> targets = {{"duckdb", ""}, {"postgres", ""}};
  // BigQuery on google-fake (started on first use; METL_TEST_BIGQUERY=0 leaves it out). The fake runs
  // GoogleSQL on DuckDB, so a test's own DuckDB-flavoured SQL (CAST ... AS VARCHAR) passes there too.
  if (const char* bq = std::getenv("METL_TEST_BIGQUERY"); !bq || std::string(bq) != "0") targets.push_back({"bigquery", ""});
  // ClickHouse: one server, and the 2-shard cluster (tests/clickhouse-fixture.sh; METL_TEST_CLICKHOUSE=0
  // leaves them out).
  if (const char* ch = std::getenv("METL_TEST_CLICKHOUSE"); !ch || std::string(ch) != "0") {
    targets.push_back({"clickhouse", ""});
    targets.push_back({"clickhouse-cluster", ""});
  }
  return targets;
}

std::string TargetName(const WarehouseTarget& t) {
  return t.engine == "clickhouse-cluster" ? "clickhouse_cluster" : t.engine;  // gtest names: no '-'
}

void PrintTo(const WarehouseTarget& t, std::ostream* os) { *os << t.engine; }

std::string TargetTestName(const ::testing::TestParamInfo<WarehouseTarget>& info) { return TargetName(info.param); }

Rows QueryWarehouse(const std::string& url, const std::string& sql) {
  auto wh = warehouse::OpenWarehouse(url);
  if (!wh.ok()) {
    ADD_FAILURE() << "open " << url << ": " << wh.error().ToString();
    return {};
  }
  auto session = (*wh)->Connect();
  if (!session.ok()) {
    ADD_FAILURE() << session.error().ToString();
    return {};
  }
  auto r = (*session)->Query(sql);
  if (!r.ok()) {
    ADD_FAILURE() << sql << ": " << r.error().ToString();
    return {};
  }
  return Rows{r->columns, r->rows};
}

int64_t QueryInt(const std::string& url, const std::string& sql) {
  Rows r = QueryWarehouse(url, sql);
  if (r.rows.empty() || r.rows[0].empty() || !r.rows[0][0]) {
    ADD_FAILURE() << "no value from " << sql;
    return -1;
  }
  return std::strtoll(r.rows[0][0]->c_str(), nullptr, 10);
}

std::string DumpTables(const std::string& url, const std::vector<std::string>& tables,
                       const std::vector<std::string>& skip_columns) {
  std::string out;
  for (const auto& t : tables) {
    Rows r = QueryWarehouse(url, "SELECT * FROM " + t);
    // A value of a non-text column never reads as "": if it does, the query helper lost it (as DuckDB's
    // did for every TIMESTAMPTZ) and comparing dumps would compare empty strings.
    const TableDef* def = FindTable(t);
    std::vector<bool> never_empty(r.columns.size(), false);
    for (size_t c = 0; def && c < r.columns.size(); ++c) {
      for (const ColumnDef& col : def->columns) {
        if (col.name == r.columns[c]) never_empty[c] = col.type != LogicalType::kText;
      }
    }
    std::vector<std::string> lines;
    for (const auto& row : r.rows) {
      std::string line;
      for (size_t c = 0; c < row.size(); ++c) {
        if (std::find(skip_columns.begin(), skip_columns.end(), r.columns[c]) != skip_columns.end()) continue;
        if (row[c] && row[c]->empty() && never_empty[c]) {
          never_empty[c] = false;  // once per column
          ADD_FAILURE() << t << "." << r.columns[c] << " reads as an empty string: the dump would prove nothing";
        }
        line += (row[c] ? *row[c] : "\\N") + "\t";
      }
      lines.push_back(std::move(line));
    }
    std::sort(lines.begin(), lines.end());
    out += "== " + t + " (" + std::to_string(lines.size()) + " rows)\n";
    for (auto& l : lines) out += l + "\n";
  }
  return out;
}

}  // namespace metl::e2e
