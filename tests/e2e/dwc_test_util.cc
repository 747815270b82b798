#include "dwc_test_util.h"

#include <gtest/gtest.h>
#include <utime.h>

#include <fstream>

#include "landing/compressed_file.h"

namespace metl::e2e {
namespace fs = std::filesystem;

std::string DecompressedFile(const fs::path& path) {
  auto r = landing::CompressedFileReader::OpenSniffed(path.string());
  if (!r.ok()) {
    ADD_FAILURE() << r.error().ToString();
    return "";
  }
  std::string out, buf(1 << 16, '\0');
  while (true) {
    auto n = (*r)->Read(buf.data(), buf.size());
    if (!n.ok() || *n == 0) break;
    out.append(buf.data(), *n);
  }
  return out;
}

void WriteFileWithMtime(const fs::path& path, const std::string& content, int64_t mtime) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
  struct utimbuf t {
    static_cast<time_t>(mtime), static_cast<time_t>(mtime)
  };
  ::utime(path.c_str(), &t);
}

std::vector<WarehouseTarget> DwcTargets() {
  std::vector<WarehouseTarget> out;
  for (const auto& t : WarehouseTargets()) {
    if (t.engine == "duckdb" || t.engine == "postgres") out.push_back(t);
  }
  return out;
}

}  // namespace metl::e2e
