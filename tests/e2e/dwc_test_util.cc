#include "dwc_test_util.h"

#include <gtest/gtest.h>
#include <utime.h>

#include <fstream>

#include "core/digest.h"
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

Env IsolatedAwsEnv(const std::string& key_id, const std::string& secret, const std::string& endpoint) {
  return {{"AWS_ACCESS_KEY_ID", key_id},  {"AWS_SECRET_ACCESS_KEY", secret}, {"AWS_ENDPOINT_URL_S3", endpoint},
          {"AWS_SESSION_TOKEN", "\x01"},  {"AWS_PROFILE", "\x01"},           {"AWS_REGION", "\x01"},
          {"AWS_DEFAULT_REGION", "\x01"}, {"AWS_ENDPOINT_URL", "\x01"},      {"AWS_SHARED_CREDENTIALS_FILE", "\x01"}};
}

std::vector<WarehouseTarget> DwcTargets() {
  std::vector<WarehouseTarget> out;
  for (const auto& t : WarehouseTargets()) {
    if (t.engine == "duckdb" || t.engine == "postgres") out.push_back(t);
  }
  return out;
}

std::string HexMd5(const std::string& bytes) {
  Md5 md5;
  md5.Update(bytes);
  std::string raw = md5.Final(), hex;
  static const char* digits = "0123456789abcdef";
  for (unsigned char c : raw) hex += {digits[c >> 4], digits[c & 15]};
  return hex;
}

}  // namespace metl::e2e
