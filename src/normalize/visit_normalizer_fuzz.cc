// libFuzzer target: arbitrary bytes as the lines of one landing partition through the visit
// normalizer. Must never crash, hang or read out of bounds; a bad visit is a kData error, nothing
// else. Every cell of every batch is read back so that ASan sees any dangling text view.
//
// Input: byte 0 picks the site's time zone and batch size, the rest is split on '\n' into visits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "normalize/visit_normalizer.h"

namespace {

class TouchingSink : public metl::RowSink {
 public:
  void Consume(const metl::TableBatch& batch) override {
    for (size_t c = 0; c < batch.column_count(); ++c) {
      const metl::ColumnVector& col = batch.column(c);
      for (size_t r = 0; r < col.size(); ++r) {
        if (col.IsNull(r)) continue;
        switch (col.type()) {
          case metl::LogicalType::kText:
          case metl::LogicalType::kJson:
            for (char ch : col.Text(r)) checksum += static_cast<unsigned char>(ch);
            break;
          case metl::LogicalType::kDouble: checksum += static_cast<uint64_t>(col.Double(r) != 0); break;
          default: checksum += static_cast<uint64_t>(col.Int(r)); break;
        }
      }
    }
  }
  uint64_t checksum = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* kZones[] = {"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"};
  if (size == 0) return 0;
  auto zone = metl::TimeZone::Load(kZones[data[0] % 4]);
  if (!zone.ok()) std::abort();
  metl::NormalizerOptions options;
  options.batch_rows = (data[0] & 0x10) ? 1 : 2048;  // tiny batches exercise the interleaved flushes
  options.emit_raw_visits = (data[0] & 0x20) == 0;
  TouchingSink sink;
  metl::VisitNormalizer normalizer(*zone, 1, metl::CivilDate::FromYmd(2026, 3, 29), 1795723200, &sink, options);
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t line_no = 0;
  bool failed = false;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    metl::Status status = normalizer.AddVisit(line, ++line_no);
    if (!status.ok()) {
      if (status.error().kind() != metl::ErrorKind::kData) std::abort();  // only data errors are expected
      failed = true;
      break;  // after an error the partition is abandoned (the contract)
    }
  }
  if (!failed && !normalizer.Finish().ok()) std::abort();  // Finish has nothing left to reject
  return 0;
}
