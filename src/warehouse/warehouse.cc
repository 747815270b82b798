#include "warehouse/warehouse.h"

#include <thread>

#include "warehouse/batch_pipe.h"
#include "warehouse/ddl.h"

namespace metl::warehouse {

std::string_view TypeNames::Of(LogicalType type) const {
  switch (type) {
    case LogicalType::kBigInt: return big_int;
    case LogicalType::kInt: return int32;
    case LogicalType::kDouble: return float64;
    case LogicalType::kDecimal: return decimal;
    case LogicalType::kWideDecimal: return wide_decimal;
    case LogicalType::kBool: return boolean;
    case LogicalType::kText: return text;
    case LogicalType::kDate: return date;
    case LogicalType::kTimestampTz: return timestamp_tz;
    case LogicalType::kTimestamp: return timestamp;
    case LogicalType::kJson: return json;
  }
  return text;
}

std::string PartitionKey::ToString() const { return "site " + std::to_string(site_id) + ", " + date.ToString(); }

Status PartitionLoad::ConsumeFrom(const std::function<Status(RowSink&)>& produce) {
  BatchPipe pipe(/*capacity=*/1);
  std::thread producer([&] { pipe.Close(produce(pipe)); });
  while (auto batch = pipe.Pop()) {
    Consume(*batch);
    pipe.Recycle(std::move(batch));
  }
  producer.join();
  return pipe.producer_status();
}

std::string Session::TextOf(std::string_view expr) const { return "CAST(" + std::string(expr) + " AS VARCHAR)"; }

std::string Session::EpochSecondsOf(std::string_view expr) const {
  return "CAST(EXTRACT(EPOCH FROM " + std::string(expr) + ") AS BIGINT)";
}

std::string Session::Name(std::string_view ident) const { return QuoteIdent(ident); }

int QueryResult::ColumnIndex(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace metl::warehouse
