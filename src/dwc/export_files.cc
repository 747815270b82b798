#include "dwc/export_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>

#include "core/digest.h"
#include "dwc/export_folder.h"
#include "dwc/raw_decode.h"
#include "landing/compressed_file.h"
#include "normalize/coerce.h"
#include "objstore/local_store.h"

namespace metl::dwc {
namespace fs = std::filesystem;

Result<std::vector<ExportFile>> ListExportFolder(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Error(ErrorKind::kConfig, "the export folder " + dir.string() + " does not exist or is not a folder")
        .WithHint("pass the folder holding the Data Warehouse Connector's JSONL files (--from-dir DIR)");
  }
  std::vector<ExportFile> files;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) return Error(ErrorKind::kConfig, "cannot list " + dir.string() + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return Error(ErrorKind::kConfig, "cannot list " + dir.string() + ": " + ec.message());
    const fs::path& p = it->path();
    std::string name = p.filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    // `dwc extract`'s file ledger (<landing>/dwc/_landed/, landed_files.h) describes the files: it is not one.
    if (it.depth() == 0 && name == "_landed" && it->is_directory()) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    // A file `dwc extract` was writing when it was killed (objstore/local_store.h): not an export file.
    if (name.find(objstore::kLocalTempMarker) != std::string::npos) continue;
    ExportFile f;
    f.path = p;
    f.key = fs::relative(p, dir).generic_string();
    f.size = static_cast<int64_t>(it->file_size());
    struct stat st {};
    f.mtime = ::stat(p.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_mtime) : 0;
    f.table = TableOfKey(f.key, &f.table_name);
    files.push_back(std::move(f));
  }
  SortOldestFirst(files);
  return files;
}

void SortOldestFirst(std::vector<ExportFile>& files) {
  std::sort(files.begin(), files.end(), [](const ExportFile& a, const ExportFile& b) {
    return a.mtime != b.mtime ? a.mtime < b.mtime : a.key < b.key;
  });
}

Result<std::string> FileEtag(const fs::path& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Error(ErrorKind::kData, "cannot read " + path.string());
  Md5 md5;
  std::string buf(1 << 16, '\0');
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) md5.Update(std::string_view(buf.data(), n));
  std::fclose(f);
  return HexOf(md5.Final());
}

Status ForEachExportLine(const ExportFile& file,
                         const std::function<Status(std::string_view line, size_t line_no)>& take) {
  auto reader = OpenExportFile(file);
  if (!reader.ok()) return reader.error();
  std::string pending, buf(1 << 16, '\0');
  size_t line_no = 0;
  auto take_line = [&](std::string_view line) -> Status {
    ++line_no;
    line = TrimAscii(line);
    if (line.empty()) return OkStatus();
    return take(line, line_no);
  };
  while (true) {
    auto n = (*reader)->Read(buf.data(), buf.size());
    if (!n.ok()) {
      return Error(ErrorKind::kData, "file " + file.key + ": " + n.error().message())
          .WithHint("the file is truncated or corrupt; it is retried on the next run (delete it if it stays so)");
    }
    if (*n == 0) break;
    pending.append(buf.data(), *n);
    size_t start = 0, nl;
    while ((nl = pending.find('\n', start)) != std::string::npos) {
      METL_TRY(take_line(std::string_view(pending).substr(start, nl - start)));
      start = nl + 1;
    }
    pending.erase(0, start);
  }
  if (!pending.empty()) METL_TRY(take_line(pending));
  return OkStatus();
}

}  // namespace metl::dwc
