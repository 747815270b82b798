#include "warehouse/clickhouse/ch_types.h"

#include <cstring>

#include "core/civil_date.h"

namespace metl::warehouse::ch_engine {
namespace {

constexpr int64_t kMicros = 1000000;
constexpr int64_t kMaxDateDays = 65535;              // Date is a UInt16 of days since 1970-01-01
constexpr int64_t kMaxDecimal18 = 999999999999999999LL;
constexpr int64_t kMaxDateTime = 4294967295LL;       // DateTime is a UInt32 of seconds

std::string BaseType(LogicalType t) {
  switch (t) {
    case LogicalType::kBigInt: return "Int64";
    case LogicalType::kInt: return "Int64";
    case LogicalType::kDouble: return "Float64";
    case LogicalType::kDecimal: return "Decimal(18, 6)";
    case LogicalType::kWideDecimal: return "Decimal(38, 6)";
    case LogicalType::kBool: return "UInt8";
    case LogicalType::kText: return "String";
    case LogicalType::kDate: return "Date";
    case LogicalType::kTimestampTz: return "DateTime('UTC')";
    case LogicalType::kTimestamp: return "DateTime('UTC')";
    case LogicalType::kJson: return "String";
  }
  return "String";
}

template <typename T>
void Put(std::string& out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));  // little-endian hosts only (x86-64, arm64)
  out.append(buf, sizeof(T));
}

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

Error ValueError(const TableBatch& b, size_t col, const std::string& what) {
  return Error(ErrorKind::kData, std::string(b.table().name) + "." + std::string(b.table().columns[col].name) + ": " +
                                     what)
      .WithHint("the value cannot be stored in ClickHouse without changing it; the raw visit keeps it (report it)");
}

std::string DateKeyColumn(const TableDef& t) { return ChIdent(t.partition_date_column); }

}  // namespace

TypeNames ChTypeNames() {
  TypeNames t;
  t.big_int = "Int64";
  t.int32 = "Int64";
  t.float64 = "Float64";
  t.decimal = "Decimal(18, 6)";
  t.wide_decimal = "Decimal(38, 6)";
  t.boolean = "UInt8";
  t.text = "String";
  t.date = "Date";
  t.timestamp_tz = "DateTime('UTC')";
  t.timestamp = "DateTime('UTC')";
  t.json = "String";
  return t;
}

std::string ChType(const ColumnDef& c) {
  return c.nullable ? "Nullable(" + BaseType(c.type) + ")" : BaseType(c.type);
}

std::string ChIdent(std::string_view name) {
  std::string out = "`";
  for (char ch : name) {
    if (ch == '`' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "`";
}

std::string LocalName(std::string_view table, bool clustered) {
  return clustered ? std::string(table) + "_local" : std::string(table);
}

bool ReplicatedEverywhere(const TableDef& table) { return table.partition_date_column.empty(); }

std::string CreateLocalTableSql(const TableDef& table, std::string_view name) {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + ChIdent(name) + " (";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    sql += (i ? ", " : "") + ChIdent(table.columns[i].name) + " " + ChType(table.columns[i]);
  }
  sql += ") ENGINE = MergeTree ";
  if (table.ColumnIndex("site_id") < 0) {  // matomo_dates: no site, one partition
    std::string order;
    for (std::string_view k : table.key) order += (order.empty() ? "" : ", ") + ChIdent(k);
    return sql + "PARTITION BY tuple() ORDER BY (" + order + ")";
  }
  // The sorting key: the declared key's non-nullable columns, after the partition columns.
  std::string order = "site_id";
  if (!table.partition_date_column.empty()) {
    sql += "PARTITION BY (site_id, " + DateKeyColumn(table) + ") ";
    order += ", " + DateKeyColumn(table);
  } else {
    sql += "PARTITION BY site_id ";
  }
  for (std::string_view k : table.key) {
    if (k == "site_id" || k == table.partition_date_column) continue;
    int i = table.ColumnIndex(k);
    if (i < 0 || table.columns[i].nullable) continue;
    order += ", " + ChIdent(k);
  }
  return sql + "ORDER BY (" + order + ")";
}

std::string CreateDistributedTableSql(const TableDef& table, std::string_view database, std::string_view cluster,
                                      std::string_view local) {
  return "CREATE TABLE IF NOT EXISTS " + ChIdent(table.name) + " AS " + ChIdent(local) + " ENGINE = Distributed(" +
         std::string(cluster) + ", " + std::string(database) + ", " + std::string(local) + ", cityHash64(site_id, " +
         DateKeyColumn(table) + "))";
}

std::string ShardKeyExpr(const PartitionKey& key) {
  return "cityHash64(toInt64(" + std::to_string(key.site_id) + "), toDate('" + key.date.ToString() + "'))";
}

Status AppendRowBinary(const TableBatch& b, size_t row, std::string& out) {
  for (size_t c = 0; c < b.column_count(); ++c) {
    const ColumnDef& def = b.table().columns[c];
    const ColumnVector& v = b.column(c);
    if (def.nullable) {
      out += v.IsNull(row) ? '\1' : '\0';
      if (v.IsNull(row)) continue;
    } else if (v.IsNull(row)) {
      return ValueError(b, c, "NULL in a NOT NULL column");
    }
    switch (def.type) {
      case LogicalType::kBigInt:
      case LogicalType::kInt:
        Put<int64_t>(out, v.Int(row));
        break;
      case LogicalType::kDecimal: {  // Decimal(18,6) is Int64 micro-units, as in the batch
        const int64_t x = v.Int(row);
        // Int64 holds more than 18 digits: the server would store them and print nonsense.
        if (x > kMaxDecimal18 || x < -kMaxDecimal18) {
          return ValueError(b, c, std::to_string(x) + " micro-units exceed Decimal(18, 6)");
        }
        Put<int64_t>(out, x);
        break;
      }
      case LogicalType::kWideDecimal: {  // Decimal(38,6): 16 bytes, two's complement
        const int64_t lo = v.Int(row);
        Put<int64_t>(out, lo);
        Put<int64_t>(out, lo < 0 ? -1 : 0);
        break;
      }
      case LogicalType::kDouble:
        Put<double>(out, v.Double(row));
        break;
      case LogicalType::kBool: {
        const int64_t x = v.Int(row);
        if (x != 0 && x != 1) return ValueError(b, c, "boolean " + std::to_string(x));
        out += static_cast<char>(x);
        break;
      }
      case LogicalType::kText:
      case LogicalType::kJson: {
        std::string_view s = v.Text(row);
        PutVarint(out, s.size());
        out.append(s);
        break;
      }
      case LogicalType::kDate: {
        const int64_t d = v.Int(row);
        if (d < 0 || d > kMaxDateDays) {
          return ValueError(b, c, "date " + CivilDate::FromDays(static_cast<int32_t>(d)).ToString() +
                                      " is outside ClickHouse's Date range (1970-01-01..2149-06-06)");
        }
        Put<uint16_t>(out, static_cast<uint16_t>(d));
        break;
      }
      case LogicalType::kTimestampTz:
      case LogicalType::kTimestamp: {
        const int64_t us = v.Int(row);
        if (us % kMicros != 0) {
          return ValueError(b, c, "timestamp " + std::to_string(us) +
                                      " us has a fraction of a second, which DateTime (whole seconds) would drop");
        }
        const int64_t s = us / kMicros;
        if (s < 0 || s > kMaxDateTime) {
          return ValueError(b, c, "timestamp " + std::to_string(s) +
                                      " s is outside ClickHouse's DateTime range (1970..2106)");
        }
        Put<uint32_t>(out, static_cast<uint32_t>(s));
        break;
      }
    }
  }
  return OkStatus();
}

}  // namespace metl::warehouse::ch_engine
