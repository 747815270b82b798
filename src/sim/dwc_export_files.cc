// The files of a day: their keys (--dwc-layout: partitioned, with '=', or flat) and compression
// (--dwc-compression), which the real export does not document (DWC.md §1.7).
#include <filesystem>
#include <fstream>

#include "landing/compressed_file.h"
#include "sim/dwc_exporter.h"

namespace metl::sim::dwcx {

namespace fs = std::filesystem;

Status Exporter::WriteFile(const std::string& table, CivilDate day, const std::vector<std::string>& rows) {
  std::string ext = o_.compression == "gzip" ? ".jsonl.gz" : o_.compression == "zstd" ? ".jsonl.zst" : ".jsonl";
  std::string date = day.ToString();
  std::string rel;
  if (o_.layout == "flat") {
    std::string compact = date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2);
    rel = table + "_" + compact + ext;
  } else {
    rel = table + "/date=" + date + "/part-0" + ext;
  }
  fs::path path = fs::path(o_.dir) / rel;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return Error(ErrorKind::kConfig, "cannot create " + path.parent_path().string() + ": " + ec.message());
  if (o_.compression == "none") {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (const auto& r : rows) out << r;
    if (!out) return Error(ErrorKind::kInternal, "cannot write " + path.string());
    return OkStatus();
  }
  METL_ASSIGN_OR_RETURN(auto writer, landing::CompressedFileWriter::Create(
                                         path.string(), o_.compression == "gzip" ? landing::Compression::kGzip
                                                                                 : landing::Compression::kZstd));
  for (const auto& r : rows) METL_TRY(writer->Write(r));
  METL_TRY(writer->Finish());
  return OkStatus();
}

Status Exporter::WriteDay(CivilDate day) {
  for (auto& [table, rows] : day_rows_) {
    if (!rows.empty()) METL_TRY(WriteFile(table, day, rows));
    rows.clear();
  }
  return OkStatus();
}

}  // namespace metl::sim::dwcx
