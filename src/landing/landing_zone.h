// The landing zone on a local folder (landing-format.md): listing partitions, reading manifests and
// lines (for the loader), and the paths the writer commits to. Readers ignore .tmp/ and anything
// that is not site=<id>/date=<YYYY-MM-DD>/ with a _manifest.json.
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

namespace metl::landing {

inline constexpr const char* kManifestFile = "_manifest.json";
inline constexpr const char* kTempDir = ".tmp";
inline constexpr const char* kLockFile = ".lock";

// The hint of every "cannot write the landing zone" error (its folder, lock file or .tmp/): one
// cause, one fix.
std::string LandingNotWritableHint(const std::filesystem::path& root);

struct PartitionRef {
  int64_t site_id = 0;
  CivilDate date;
  std::filesystem::path dir;
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

class LandingZone {
 public:
  explicit LandingZone(std::filesystem::path root) : root_(std::move(root)) {}
  const std::filesystem::path& root() const { return root_; }

  // Committed partitions (those with a manifest), sorted by site then date. A missing root is empty.
  Result<std::vector<PartitionRef>> ListPartitions(const PartitionFilter& filter = {}) const;
  // The committed partition of (site, date), if any.
  std::optional<PartitionRef> Find(int64_t site_id, CivilDate date) const;
  Result<Manifest> ReadManifest(const PartitionRef& ref) const;

  std::filesystem::path SiteDir(int64_t site_id) const;
  std::filesystem::path PartitionDir(int64_t site_id, CivilDate date) const;
  std::filesystem::path TempRoot() const { return root_ / kTempDir; }
  // Deletes leftovers of killed runs under .tmp/; only call while holding the run lock.
  Status CleanTemp() const;

 private:
  std::filesystem::path root_;
};

// Streams the lines of all parts of a partition, in part order, in bounded memory.
class PartitionReader {
 public:
  static Result<std::unique_ptr<PartitionReader>> Open(const PartitionRef& ref, const Manifest& manifest);
  static Result<std::unique_ptr<PartitionReader>> Open(const LandingZone& zone, const PartitionRef& ref);

  // Sets `line` (without '\n') and returns true, or false at the end. `line` stays valid until
  // the next call.
  Result<bool> Next(std::string_view& line);

 private:
  PartitionReader() = default;
  Status Fill();
  std::filesystem::path dir_;
  std::vector<std::string> files_;
  size_t next_file_ = 0;
  std::unique_ptr<CompressedFileReader> current_;
  std::string buf_;
  size_t pos_ = 0;  // start of unread data in buf_
  bool eof_ = false;
};

}  // namespace metl::landing
