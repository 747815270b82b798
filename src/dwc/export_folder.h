// Where `dwc load` and `status` find export files: a local folder (--from-dir DIR, or the dwc/
// mirror of a local landing zone) or the dwc/ prefix of a landing zone on an object store
// (gs://BUCKET/PREFIX/dwc/, mirrored there by `dwc extract`). Listing, the `_landed` records and a
// file's bytes go through here; the rest of the DWC path sees ExportFile only and does not care
// where a file lives.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "dwc/export_files.h"
#include "dwc/landed_files.h"
#include "landing/compressed_file.h"
#include "landing/landing_zone.h"
#include "objstore/object_store.h"

namespace metl::dwc {

class ExportFolder {
 public:
  static ExportFolder Local(std::filesystem::path dir);
  // The objects under `prefix` ("dwc/") of `store`.
  static ExportFolder OnStore(std::shared_ptr<objstore::ObjectStore> store, std::string prefix);
  // The dwc/ mirror of a landing zone, local or on its object store (check zone.open_status() first).
  static ExportFolder OfLanding(const landing::LandingZone& zone);

  // "/data/landing/dwc", "gs://bucket/landing/dwc": for messages.
  std::string Describe() const;
  bool on_store() const { return store_ != nullptr; }
  // Whether the folder exists (local) or holds at least one object (store): `status` says nothing of
  // a DWC export that was never landed.
  Result<bool> Exists() const;
  // Every export file (hidden names, the `_landed` records and a killed writer's temp files
  // skipped), oldest first (modification time, then key): the order in which a row's newer
  // version wins.
  Result<std::vector<ExportFile>> List() const;
  // key -> its `_landed` record (landed_files.h); a record that cannot be read is left out, with a
  // warning (its file is then hashed).
  std::map<std::string, LandedFile> LandedRecords() const;

 private:
  ExportFolder() = default;
  std::filesystem::path dir_;
  std::shared_ptr<objstore::ObjectStore> store_;
  std::string prefix_;
};

// A file's bytes, decompressed (gzip or zstd told by magic bytes, else plain). A file on an object
// store is first downloaded, streamed, to a private temp file that is unlinked at once (memory
// stays bounded; nothing is left behind).
Result<std::unique_ptr<landing::CompressedFileReader>> OpenExportFile(const ExportFile& file);
// Hex MD5 of the file's bytes as stored (S3's ETag of a single-part upload), streamed.
Result<std::string> ExportFileEtag(const ExportFile& file);

}  // namespace metl::dwc
