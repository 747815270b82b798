// The landing zone (landing-format.md) on a local folder or an object store (gs://BUCKET/PREFIX):
// listing partitions, reading manifests and lines (for the loader), and the paths the writer
// commits to. Readers ignore .tmp/ and anything that is not site=<id>/date=<YYYY-MM-DD>/ with a
// _manifest.json, and read only the parts a manifest lists (on an object store, a replaced
// partition's old parts may linger until the replacing run deletes them).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.h"
#include "core/error.h"
#include "landing/compressed_file.h"
#include "landing/manifest.h"
#include "objstore/object_store.h"

namespace metl::landing {

inline constexpr const char* kManifestFile = "_manifest.json";
inline constexpr const char* kTempDir = ".tmp";
inline constexpr const char* kLockFile = ".lock";
// Local staging folders of part files bound for an object store: $TMPDIR/metl-landing-<pid>-<run>-...
inline constexpr const char* kLocalStagingPrefix = "metl-landing-";

// The hint of every "cannot write the landing zone" error (its folder, lock file or .tmp/): one
// cause, one fix.
std::string LandingNotWritableHint(const std::filesystem::path& root);

struct PartitionRef {
  int64_t site_id = 0;
  CivilDate date;
  std::filesystem::path dir;  // on an object store: the URL of the partition's "folder" (for messages)
  auto operator<=>(const PartitionRef& o) const {
    if (auto c = site_id <=> o.site_id; c != 0) return c;
    return date <=> o.date;
  }
  bool operator==(const PartitionRef& o) const { return site_id == o.site_id && date == o.date; }
};

struct PartitionFilter {
  std::vector<int64_t> sites;  // empty = all
  std::optional<CivilDate> from, to;
};

// Whether `root` names an object store (gs://...) rather than a local folder.
bool IsObjectStoreUrl(std::string_view root);

class LandingZone {
 public:
  // A gs:// root opens its object store here; an error opening it (credentials, a bad URL) is
  // returned by every call that needs the store.
  explicit LandingZone(std::filesystem::path root);
  const std::filesystem::path& root() const { return root_; }
  // The object store of a gs:// landing zone, nullptr for a local folder.
  objstore::ObjectStore* store() const { return store_.get(); }
  std::shared_ptr<objstore::ObjectStore> shared_store() const { return store_; }
  // OkStatus, or why the object store could not be opened.
  const Status& open_status() const { return open_status_; }
  // Object key of a partition's folder ("site=1/date=2026-11-27/") and of its manifest.
  static std::string PartitionKey(int64_t site_id, CivilDate date);

  // Committed partitions (those with a manifest), sorted by site then date. A missing root is empty.
  Result<std::vector<PartitionRef>> ListPartitions(const PartitionFilter& filter = {}) const;
  // The committed partition of (site, date), if any.
  std::optional<PartitionRef> Find(int64_t site_id, CivilDate date) const;
  Result<Manifest> ReadManifest(const PartitionRef& ref) const;

  std::filesystem::path SiteDir(int64_t site_id) const;
  std::filesystem::path PartitionDir(int64_t site_id, CivilDate date) const;
  std::filesystem::path TempRoot() const { return root_ / kTempDir; }
  // Deletes leftovers of killed runs under .tmp/ (on an object store: parts no manifest lists);
  // only call while holding the run lock.
  Status CleanTemp() const;

 private:
  Result<std::vector<PartitionRef>> ListStorePartitions(const PartitionFilter& filter) const;
  Status CleanStore() const;
  std::filesystem::path root_;
  std::shared_ptr<objstore::ObjectStore> store_;
  Status open_status_ = OkStatus();
};

// Streams the lines of all parts of a partition, in part order, in bounded memory.
class PartitionReader {
 public:
  // A local partition (ref.dir is its folder).
  static Result<std::unique_ptr<PartitionReader>> Open(const PartitionRef& ref, const Manifest& manifest);
  // Local or on the zone's object store: there, each part is downloaded (streamed, one at a time)
  // to an unlinked temp file that the decompressor reads.
  static Result<std::unique_ptr<PartitionReader>> Open(const LandingZone& zone, const PartitionRef& ref,
                                                       const Manifest& manifest);
  static Result<std::unique_ptr<PartitionReader>> Open(const LandingZone& zone, const PartitionRef& ref);

  // Sets `line` (without '\n') and returns true, or false at the end. `line` stays valid until
  // the next call.
  Result<bool> Next(std::string_view& line);

 private:
  PartitionReader() = default;
  Status Fill();
  Status OpenNextPart();
  std::filesystem::path dir_;
  std::shared_ptr<objstore::ObjectStore> store_;  // set when reading from an object store
  std::string key_prefix_;                        // "site=1/date=2026-11-27/"
  std::vector<std::string> files_;
  size_t next_file_ = 0;
  std::unique_ptr<CompressedFileReader> current_;
  std::string buf_;
  size_t pos_ = 0;  // start of unread data in buf_
  bool eof_ = false;
};

}  // namespace metl::landing
