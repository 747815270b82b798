#include "dwc/file_rows.h"

#include "dwc/raw_store.h"

namespace metl::dwc {

Status ForEachFileRow(const ExportFile& file, const std::function<Status(RawRow row, const std::string& what)>& take) {
  size_t row_no = 0;
  return ForEachExportLine(file, [&](std::string_view line, size_t line_no) -> Status {
    auto row = ParseRawRow(line, "file " + file.key + " line " + std::to_string(line_no));
    if (!row.ok()) return row.error();
    const std::string what = "file " + file.key + " row " + std::to_string(++row_no);
    METL_TRY(RawStore::CheckKey(file.table, *row, what));
    return take(std::move(row).value(), what);
  });
}

}  // namespace metl::dwc
