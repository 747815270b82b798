// A DWC export file's identity (its ETag), for the file ledger of `dwc load`: the ETag `dwc extract`
// recorded in <folder>/_landed/<key>.json (landed_files.h) when there is one whose size matches the
// file, so that an unchanged file is known without reading it; else (files copied by hand, a
// record that does not describe the file on disk) the hex MD5 of its bytes, which is also S3's ETag
// of a single-part upload.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "core/error.h"
#include "dwc/export_files.h"
#include "dwc/landed_files.h"

namespace metl::dwc {

// key -> its `_landed` record, read from <dir>/_landed/ (none when that folder does not exist).
// A record that cannot be read or parsed is left out (the file is then hashed), with a warning.
std::map<std::string, LandedFile> ReadLandedRecords(const std::filesystem::path& dir);

struct FileIdentity {
  std::string etag;
  bool hashed = false;     // true: the bytes were read (no usable `_landed` record)
  int64_t written_at = 0;  // when the file was written: the object's time in S3, else the file's mtime
};

// The record's ETag when `records` has one for file.key with the file's size; else hashes the file.
Result<FileIdentity> IdentifyFile(const ExportFile& file, const std::map<std::string, LandedFile>& records);

}  // namespace metl::dwc
