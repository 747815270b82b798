// Writes one partition into a temporary folder under <landing>/.tmp/ and commits it with an
// atomic rename, replacing a committed partition of the same (site, date) if any. A killed run
// leaves only a temp folder, which the next run (holding the lock) deletes.
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
