// _manifest.json of one landed partition (landing-format.md): written last, so a partition with a
// manifest is complete. Keys are written in the contract's order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/civil_date.h"
#include "core/error.h"

namespace metl::landing {

enum class PartitionStatus { kComplete, kPartial, kMismatch };
const char* PartitionStatusName(PartitionStatus status);

enum class Compression { kZstd, kGzip };
const char* CompressionName(Compression c);
const char* CompressionExtension(Compression c);  // ".jsonl.zst" / ".jsonl.gz"
Result<Compression> ParseCompression(std::string_view name);

struct ManifestPart {
  std::string file;  // "part-00000.jsonl.zst"
  int64_t visits = 0;
  int64_t bytes = 0;  // uncompressed, newlines included
  int64_t compressed_bytes = 0;
};

struct Manifest {
  int format_version = 1;
  int64_t site_id = 0;
  CivilDate date;
  std::string site_timezone = "UTC";
  PartitionStatus status = PartitionStatus::kComplete;
  int64_t visits = 0;
  std::optional<int64_t> matomo_nb_visits;  // null when Matomo's figure was unavailable
  int64_t bytes = 0;
  std::string content_sha256;
  int64_t truncated_visits = 0;
  int64_t invalid_utf8_replaced = 0;  // invalid UTF-8 bytes Matomo sent, landed as U+FFFD (absent in old manifests: 0)
  Compression compression = Compression::kZstd;
  std::vector<ManifestPart> parts;
  std::string matomo_version;
  std::string source_url;  // no token, no query string
  std::vector<std::pair<std::string, std::string>> request;  // Live parameters, never token_auth
  int64_t requests = 0;
  std::string extracted_at;  // 2026-11-27T08:00:00Z
  std::string extractor_version;
};

std::string ManifestToJson(const Manifest& m);
// Unknown keys are ignored (a newer writer may add some); missing required keys are kData errors.
Result<Manifest> ParseManifest(std::string_view json);

// "2026-11-27T08:00:00Z"
std::string FormatIsoUtc(int64_t epoch_seconds);

}  // namespace metl::landing
