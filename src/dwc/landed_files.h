// The DWC file ledger of the landing zone: which export files `dwc extract` has landed, shared by
// `dwc extract` (writes) and `dwc load` (reads). Format (docs/dwc.md "Landing layout"):
//
//   <landing>/dwc/<key>                    the file's bytes, exactly as in the bucket
//   <landing>/dwc/_landed/<key>.json       one JSON object per landed file, written after the file:
//     {"key":"log_visit/date=2026-12-01/part-0.jsonl.gz",  key relative to the s3:// prefix
//      "etag":"9b2cf5...",                                  S3 ETag without quotes
//      "size":1234,                                         bytes
//      "table":"log_visit",                                 recognised table, or "unknown"
//      "compression":"gzip",                                 none|gzip|zstd, from the magic bytes
//      "last_modified":"2026-12-02T03:04:05Z",              the object's time in S3
//      "downloaded_at":"2026-12-07T19:00:00Z",              when it landed
//      "source":"s3://bucket/prefix"}                        where it came from
//
// A file is landed when its `_landed` entry exists; a changed ETag rewrites both the file and the
// entry (file first). Readers take only files whose entry exists, so a half-landed file is never read.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "objstore/object_store.h"

namespace metl::dwc {

inline constexpr std::string_view kDwcDir = "dwc/";
inline constexpr std::string_view kLandedDir = "dwc/_landed/";

struct LandedFile {
  std::string key;  // relative to the export's prefix
  std::string etag;
  int64_t size = 0;
  std::string table;        // "unknown" when not recognised
  std::string compression;  // none|gzip|zstd
  std::string last_modified;
  std::string downloaded_at;
  std::string source;

  // Where the bytes are in the landing zone, and where this entry is.
  std::string LandingKey() const { return std::string(kDwcDir) + key; }
  std::string EntryKey() const { return std::string(kLandedDir) + key + ".json"; }
};

std::string LandedFileJson(const LandedFile& file);
Result<LandedFile> ParseLandedFile(std::string_view json);

// Every landed file's entry, in key order. A malformed entry is a kData error naming it.
Result<std::vector<LandedFile>> ReadLandedFiles(objstore::ObjectStore& landing);

}  // namespace metl::dwc
