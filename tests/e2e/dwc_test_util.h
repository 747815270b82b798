// Helpers shared by the DWC end-to-end tests (load, raw layer, sync, A vs B).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "harness.h"
#include "warehouse_suite.h"

namespace metl::e2e {

// The whole content of an export file, plain or gzip/zstd (sniffed); a test failure when unreadable.
std::string DecompressedFile(const std::filesystem::path& path);

// Writes `content` to `path` (creating its folder) with the given modification time: dwc load
// orders files by it ("the newest file wins").
void WriteFileWithMtime(const std::filesystem::path& path, const std::string& content, int64_t mtime);

// The AWS environment of a run against a local S3 (s3rver): these credentials and endpoint, every
// other AWS_* variable of the outer environment unset (so no profile or region leaks into a test).
Env IsolatedAwsEnv(const std::string& key_id, const std::string& secret, const std::string& endpoint);

// Hex MD5 of `bytes`: S3's ETag of a single-part upload.
std::string HexMd5(const std::string& bytes);

// The engines the DWC path is tested on: DuckDB and PostgreSQL (the raw layer needs transactions).
std::vector<WarehouseTarget> DwcTargets();

}  // namespace metl::e2e
