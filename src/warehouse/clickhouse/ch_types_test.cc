// RowBinary as ClickHouse 18.16 reads it, and every value it would silently alter refused instead
// (CLICKHOUSE.md §3: a bad date becomes 0000-00-00, an out-of-range integer wraps).
#include "warehouse/clickhouse/ch_types.h"

#include <gtest/gtest.h>

namespace metl::warehouse::ch_engine {
namespace {

const ColumnDef kDate{"d", LogicalType::kDate, false, "", ""};
const ColumnDef kTs{"t", LogicalType::kTimestampTz, true, "", ""};
const ColumnDef kMoney{"m", LogicalType::kDecimal, true, "", ""};
const ColumnDef kWide{"w", LogicalType::kWideDecimal, false, "", ""};
const ColumnDef kText{"s", LogicalType::kText, false, "", ""};
const ColumnDef kFlag{"b", LogicalType::kBool, false, "", ""};
const TableDef kTable{"t", "", {kDate, kTs, kMoney, kWide, kText, kFlag}, {}, "d", true};

struct Row {
  int64_t date = 20417;  // 2025-11-25
  std::optional<int64_t> ts = int64_t{1795618800} * 1000000;
  std::optional<int64_t> money = 12500000;  // 12.5
  int64_t wide = -1;
  std::string text = "a\tb";
  int64_t flag = 1;
};

Result<std::string> Encode(const Row& r) {
  TableBatch b(kTable);
  b.column(0).AppendInt(r.date);
  r.ts ? b.column(1).AppendInt(*r.ts) : b.column(1).AppendNull();
  r.money ? b.column(2).AppendInt(*r.money) : b.column(2).AppendNull();
  b.column(3).AppendInt(r.wide);
  b.column(4).AppendText(r.text);
  b.column(5).AppendInt(r.flag);
  std::string out;
  Status st = AppendRowBinary(b, 0, out);
  if (!st.ok()) return std::move(st).error();
  return out;
}

TEST(ChTypes, RowBinaryLayoutOfEachType) {
  auto out = Encode(Row{});
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  const std::string expected = std::string("\xc1\x4f", 2)                      // Date: UInt16 20417
                               + std::string("\0", 1) + std::string("\xf0\xf7\x06\x6b", 4)  // Nullable DateTime
                               + std::string("\0", 1) + std::string("\x20\xbc\xbe\x00\x00\x00\x00\x00", 8) +
                               std::string(16, '\xff')                                   // Decimal128 -1e-6
                               + std::string("\x03" "a\tb", 4) + std::string("\x01", 1);
  EXPECT_EQ(*out, expected);
  Row nulls;
  nulls.ts.reset();
  nulls.money.reset();
  auto n = Encode(nulls);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->substr(2, 2), std::string("\x01\x01", 2));  // two NULL flags, no values
}

TEST(ChTypes, ValuesClickHouseWouldAlterAreDataErrorsNamingTheColumn) {
  struct Case {
    const char* what;
    Row row;
    const char* column;
  };
  std::vector<Case> cases;
  Row r;
  r.date = -1;  // 1969-12-31: 18.16 stores 0000-00-00
  cases.push_back({"date before 1970", r, "t.d"});
  r = Row{};
  r.date = 65536;  // past 2149-06-06: UInt16 would wrap
  cases.push_back({"date past Date's range", r, "t.d"});
  r = Row{};
  r.ts = int64_t{1795618800} * 1000000 + 1;  // a microsecond DateTime would drop
  cases.push_back({"sub-second timestamp", r, "t.t"});
  r = Row{};
  r.ts = int64_t{4294967296} * 1000000;  // 2106-02-07: UInt32 would wrap
  cases.push_back({"timestamp past 2106", r, "t.t"});
  r = Row{};
  r.money = 1000000000000000000;  // 10^12 units: 19 digits in Decimal(18, 6)
  cases.push_back({"money past Decimal(18, 6)", r, "t.m"});
  r = Row{};
  r.flag = 2;
  cases.push_back({"boolean 2", r, "t.b"});
  for (const Case& c : cases) {
    auto out = Encode(c.row);
    ASSERT_FALSE(out.ok()) << c.what;
    EXPECT_EQ(out.error().kind(), ErrorKind::kData) << c.what;
    EXPECT_NE(out.error().message().find(c.column), std::string::npos) << out.error().message();
  }
  r = Row{};
  r.date = 65535;  // the last day Date holds
  r.money = 999999999999999999;
  EXPECT_TRUE(Encode(r).ok());
}

TEST(ChTypes, TablesArePartitionedBySiteAndDayAndShardedByTheirHash) {
  TableDef with_site = kTable;
  with_site.columns.insert(with_site.columns.begin(), ColumnDef{"site_id", LogicalType::kBigInt, false, "", ""});
  const std::string sql = CreateLocalTableSql(with_site, "t_local");
  EXPECT_NE(sql.find("ENGINE = MergeTree PARTITION BY (site_id, `d`)"), std::string::npos) << sql;
  // A table without a site (matomo_dates) is one partition, sorted by its key.
  EXPECT_NE(CreateLocalTableSql(kTable, "t_local").find("PARTITION BY tuple()"), std::string::npos);
  EXPECT_NE(sql.find("`t` Nullable(DateTime('UTC'))"), std::string::npos) << sql;
  EXPECT_NE(sql.find("`w` Decimal(38, 6)"), std::string::npos) << sql;
  EXPECT_EQ(CreateDistributedTableSql(kTable, "db", "etl", "t_local"),
            "CREATE TABLE IF NOT EXISTS `t` AS `t_local` ENGINE = Distributed(etl, db, t_local, cityHash64(site_id, `d`))");
}

}  // namespace
}  // namespace metl::warehouse::ch_engine
