// Writes one partition into a temporary folder under <landing>/.tmp/ and commits it with an
// atomic rename, replacing a committed partition of the same (site, date) if any. A killed run
// leaves only a temp folder, which the next run (holding the lock) deletes.
//
// On an object store (gs://) there is no rename: each part is compressed into a local temp file
// and uploaded as soon as it is finished, under a name carrying this run's id
// (part-00000-<run>.jsonl.zst), so a replacement never touches the parts the current manifest
// lists. The manifest is written last (if absent: ifGenerationMatch=0; replacing: only the
// generation read before), which switches readers to the new parts atomically; the old parts
// are deleted after. A killed run leaves only unlisted parts, which the next run deletes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "landing/compressed_file.h"
#include "landing/content_hash.h"
#include "landing/landing_zone.h"
#include "landing/manifest.h"

namespace metl::landing {

struct PartLimits {
  int64_t max_visits = 100000;
  int64_t max_bytes = int64_t{256} << 20;  // uncompressed
};

class PartitionWriter {
 public:
  static Result<std::unique_ptr<PartitionWriter>> Begin(const LandingZone& zone, int64_t site_id, CivilDate date,
                                                        Compression compression, PartLimits limits = {});
  ~PartitionWriter();  // aborts (deletes the temp folder) unless committed
  PartitionWriter(const PartitionWriter&) = delete;
  PartitionWriter& operator=(const PartitionWriter&) = delete;

  // One visit, exactly as received, without a trailing newline.
  Status Add(std::string_view line, bool truncated);

  int64_t visits() const { return visits_; }
  int64_t bytes() const { return bytes_ + current_bytes_; }
  std::string ContentSha256() const { return hasher_.Hex(); }

  // Closes the parts, fills the manifest's derived fields (site, date, visits, bytes, hash,
  // truncated visits, compression, parts), writes _manifest.json and renames the folder into
  // place. Returns the manifest as written.
  Result<Manifest> Commit(Manifest manifest);
  // Deletes the temp folder (also done by the destructor).
  void Abort();

 private:
  PartitionWriter() = default;
  Status OpenPart();
  Status ClosePart();

  const LandingZone* zone_ = nullptr;
  int64_t site_id_ = 0;
  CivilDate date_;
  Compression compression_ = Compression::kZstd;
  PartLimits limits_;
  std::filesystem::path tmp_dir_;
  bool done_ = false;
  bool remote_ = false;    // the zone is an object store
  std::string run_id_;     // in remote part names
  std::string key_prefix_; // "site=1/date=2026-11-27/"
  Status UploadPart(const std::string& name);
  Status CommitRemote(const Manifest& m);

  std::unique_ptr<CompressedFileWriter> part_;
  std::vector<ManifestPart> parts_;
  int64_t current_visits_ = 0, current_bytes_ = 0;
  int64_t visits_ = 0, bytes_ = 0, truncated_ = 0;
  ContentHasher hasher_;
};

// Writes `content` to `path` durably (temp file, fsync, rename).
Status WriteFileAtomic(const std::filesystem::path& path, std::string_view content);
// fsync of a directory, so that a rename in it survives a crash.
Status SyncDir(const std::filesystem::path& dir);
// A random hex name for temp folders.
std::string RandomName();

}  // namespace metl::landing
