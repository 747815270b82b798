#include "landing/landing_zone.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

#include "landing/partition_writer.h"
#include "objstore/temp_download.h"

namespace metl::landing {
namespace fs = std::filesystem;
namespace {

constexpr size_t kReadChunk = 1 << 17;

bool ParseSiteDir(std::string_view name, int64_t& site) {
  if (name.substr(0, 5) != "site=" || name.size() == 5) return false;
  auto r = std::from_chars(name.data() + 5, name.data() + name.size(), site);
  return r.ec == std::errc() && r.ptr == name.data() + name.size() && site >= 0;
}

bool ParseDateDir(std::string_view name, CivilDate& date) {
  if (name.substr(0, 5) != "date=") return false;
  auto d = CivilDate::Parse(name.substr(5));
  if (!d.ok()) return false;
  date = *d;
  return true;
}

Error FsError(const std::string& what, const fs::path& p, const std::error_code& ec) {
  return Error(ErrorKind::kInternal, what + " " + p.string() + ": " + ec.message());
}

}  // namespace

bool IsObjectStoreUrl(std::string_view root) { return root.starts_with("gs://") || root.starts_with("s3://"); }

LandingZone::LandingZone(fs::path root) : root_(std::move(root)) {
  if (!IsObjectStoreUrl(root_.string())) return;
  auto store = objstore::OpenObjectStore(root_.string());
  if (store.ok()) {
    store_ = std::shared_ptr<objstore::ObjectStore>(std::move(*store));
  } else {
    open_status_ = std::move(store).error();
  }
}

std::string LandingZone::PartitionKey(int64_t site_id, CivilDate date) {
  return "site=" + std::to_string(site_id) + "/date=" + date.ToString() + "/";
}

fs::path LandingZone::SiteDir(int64_t site_id) const { return root_ / ("site=" + std::to_string(site_id)); }

fs::path LandingZone::PartitionDir(int64_t site_id, CivilDate date) const {
  return SiteDir(site_id) / ("date=" + date.ToString());
}

Result<std::vector<PartitionRef>> LandingZone::ListStorePartitions(const PartitionFilter& filter) const {
  METL_TRY(open_status_);
  // One listing of "site=": only manifests count, so a partition whose parts are still uploading
  // (or whose run was killed before its manifest) is invisible.
  METL_ASSIGN_OR_RETURN(auto objects, store_->List("site="));
  std::vector<PartitionRef> out;
  for (const auto& o : objects) {
    std::string_view key = o.key;
    size_t slash1 = key.find('/');
    if (slash1 == std::string_view::npos) continue;
    size_t slash2 = key.find('/', slash1 + 1);
    if (slash2 == std::string_view::npos || key.substr(slash2 + 1) != kManifestFile) continue;
    int64_t site = 0;
    CivilDate date;
    if (!ParseSiteDir(key.substr(0, slash1), site) || !ParseDateDir(key.substr(slash1 + 1, slash2 - slash1 - 1), date)) {
      continue;
    }
    if (!filter.sites.empty() && std::find(filter.sites.begin(), filter.sites.end(), site) == filter.sites.end()) {
      continue;
    }
    if (filter.from && date < *filter.from) continue;
    if (filter.to && date > *filter.to) continue;
    out.push_back({site, date, PartitionDir(site, date)});
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string LandingNotWritableHint(const fs::path& root) {
  return "make " + root.string() + " and everything in it writable by the user running matomo-etl (uid " +
         std::to_string(::geteuid()) + "): fix the owner or mode, e.g. `chown -R $(id -un) " + root.string() +
         "`, or set `landing` to another folder";
}

Result<std::vector<PartitionRef>> LandingZone::ListPartitions(const PartitionFilter& filter) const {
  if (IsObjectStoreUrl(root_.string())) return ListStorePartitions(filter);
  std::vector<PartitionRef> out;
  std::error_code ec;
  if (!fs::exists(root_, ec)) return out;
  for (fs::directory_iterator it(root_, ec), end; !ec && it != end; it.increment(ec)) {
    int64_t site = 0;
    if (!it->is_directory() || !ParseSiteDir(it->path().filename().string(), site)) continue;
    if (!filter.sites.empty() && std::find(filter.sites.begin(), filter.sites.end(), site) == filter.sites.end()) {
      continue;
    }
    std::error_code ec2;
    for (fs::directory_iterator dit(it->path(), ec2), dend; !ec2 && dit != dend; dit.increment(ec2)) {
      CivilDate date;
      if (!dit->is_directory() || !ParseDateDir(dit->path().filename().string(), date)) continue;
      if (filter.from && date < *filter.from) continue;
      if (filter.to && date > *filter.to) continue;
      if (!fs::exists(dit->path() / kManifestFile)) continue;
      out.push_back({site, date, dit->path()});
    }
    if (ec2) return FsError("cannot list", it->path(), ec2);
  }
  if (ec) return FsError("cannot list", root_, ec);
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<PartitionRef> LandingZone::Find(int64_t site_id, CivilDate date) const {
  fs::path dir = PartitionDir(site_id, date);
  if (IsObjectStoreUrl(root_.string())) {
    if (!store_) return std::nullopt;
    auto info = store_->Stat(PartitionKey(site_id, date) + kManifestFile);
    if (!info.ok() || !*info) return std::nullopt;
    return PartitionRef{site_id, date, dir};
  }
  std::error_code ec;
  if (!fs::exists(dir / kManifestFile, ec)) return std::nullopt;
  return PartitionRef{site_id, date, dir};
}

Result<Manifest> LandingZone::ReadManifest(const PartitionRef& ref) const {
  fs::path p = ref.dir / kManifestFile;
  std::string content;
  if (IsObjectStoreUrl(root_.string())) {
    METL_TRY(open_status_);
    auto got = store_->GetString(PartitionKey(ref.site_id, ref.date) + kManifestFile);
    if (!got.ok()) {
      Error e = std::move(got).error();
      return Error(e.kind() == ErrorKind::kTerminal ? ErrorKind::kData : e.kind(),
                   "cannot read " + p.string() + ": " + e.message());
    }
    content = std::move(*got);
  } else {
    std::ifstream in(p, std::ios::binary);
    if (!in) return Error(ErrorKind::kData, "cannot read " + p.string());
    std::stringstream ss;
    ss << in.rdbuf();
    content = ss.str();
  }
  auto m = ParseManifest(content);
  if (!m.ok()) return Error(ErrorKind::kData, m.error().message() + " (" + p.string() + ")");
  if (m->site_id != ref.site_id || m->date != ref.date) {
    return Error(ErrorKind::kData, "manifest " + p.string() + " names another partition (site " +
                                       std::to_string(m->site_id) + ", " + m->date.ToString() + ")");
  }
  return m;
}

Status LandingZone::CleanStore() const {
  METL_TRY(open_status_);
  // Parts of killed runs (never listed by a manifest) and parts a replacement left behind when it
  // was killed between writing its manifest and deleting the old parts. All parts of one run carry
  // its id, so a folder with a manifest and parts of a single run is clean without reading the
  // manifest: only folders with no manifest or with several runs' parts cost a GET.
  METL_ASSIGN_OR_RETURN(auto objects, store_->List("site="));
  struct Folder {
    bool has_manifest = false;
    std::set<std::string> runs;
    std::vector<const objstore::ObjectInfo*> parts;
  };
  std::map<std::string, Folder> folders;
  for (const auto& o : objects) {
    size_t slash = o.key.rfind('/');
    if (slash == std::string::npos) continue;
    Folder& f = folders[o.key.substr(0, slash + 1)];
    std::string_view name = std::string_view(o.key).substr(slash + 1);
    if (name == kManifestFile) {
      f.has_manifest = true;
    } else if (name.starts_with("part-")) {  // anything else is not ours: left alone
      f.parts.push_back(&o);
      // "part-00000-<run>.jsonl.zst" -> "<run>"; local-style "part-00000.jsonl.zst" -> ""
      std::string_view rest = name.substr(10);
      f.runs.insert(std::string(rest.starts_with("-") ? rest.substr(1, rest.find('.') - 1) : ""));
    }
  }
  for (const auto& [dir, f] : folders) {
    if (f.parts.empty() || (f.has_manifest && f.runs.size() == 1)) continue;
    std::vector<std::string> listed;
    if (f.has_manifest) {
      auto manifest = store_->GetString(dir + kManifestFile);
      if (!manifest.ok()) {
        if (manifest.error().kind() == ErrorKind::kTerminal) continue;  // replaced meanwhile? leave it
        return std::move(manifest).error();
      }
      auto m = ParseManifest(*manifest);
      if (!m.ok()) continue;  // unreadable manifest: leave its folder alone
      for (const auto& p : m->parts) listed.push_back(p.file);
    }
    for (const auto* o : f.parts) {
      std::string name = o->key.substr(dir.size());
      if (std::find(listed.begin(), listed.end(), name) != listed.end()) continue;
      METL_TRY(store_->Delete(o->key, o->version));
    }
  }
  return OkStatus();
}

// Staging folders in $TMPDIR of runs on this host that were killed (their pid is gone): a killed
// run's part file can be large. Best effort: a folder that cannot be read or removed is left.
void CleanLocalStaging() {
  std::error_code ec;
  fs::path tmp = fs::temp_directory_path(ec);
  if (ec) return;
  const std::string prefix = kLocalStagingPrefix;
  for (fs::directory_iterator it(tmp, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!name.starts_with(prefix)) continue;
    long pid = 0;
    auto r = std::from_chars(name.data() + prefix.size(), name.data() + name.size(), pid);
    if (r.ec != std::errc() || r.ptr == name.data() + name.size() || *r.ptr != '-' || pid <= 0) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::error_code ec2;
    fs::remove_all(it->path(), ec2);
  }
}

Status LandingZone::CleanTemp() const {
  if (IsObjectStoreUrl(root_.string())) {
    CleanLocalStaging();
    return CleanStore();
  }
  std::error_code ec;
  fs::path tmp = TempRoot();
  if (!fs::exists(tmp, ec)) return OkStatus();
  for (fs::directory_iterator it(tmp, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code ec2;
    fs::remove_all(it->path(), ec2);
    if (ec2) return FsError("cannot remove", it->path(), ec2);
  }
  if (ec) return FsError("cannot list", tmp, ec);
  return OkStatus();
}

Result<std::unique_ptr<PartitionReader>> PartitionReader::Open(const PartitionRef& ref, const Manifest& manifest) {
  std::unique_ptr<PartitionReader> r(new PartitionReader());
  r->dir_ = ref.dir;
  for (const auto& p : manifest.parts) r->files_.push_back(p.file);
  return r;
}

Result<std::unique_ptr<PartitionReader>> PartitionReader::Open(const LandingZone& zone, const PartitionRef& ref,
                                                               const Manifest& manifest) {
  METL_ASSIGN_OR_RETURN(auto r, Open(ref, manifest));
  if (IsObjectStoreUrl(zone.root().string())) {
    METL_TRY(zone.open_status());
    r->store_ = zone.shared_store();
    r->key_prefix_ = LandingZone::PartitionKey(ref.site_id, ref.date);
  }
  return r;
}

Result<std::unique_ptr<PartitionReader>> PartitionReader::Open(const LandingZone& zone, const PartitionRef& ref) {
  METL_ASSIGN_OR_RETURN(Manifest m, zone.ReadManifest(ref));
  return Open(zone, ref, m);
}

Status PartitionReader::OpenNextPart() {
  const std::string& file = files_[next_file_++];
  if (!store_) {
    METL_ASSIGN_OR_RETURN(current_, CompressedFileReader::Open((dir_ / file).string()));
    return OkStatus();
  }
  // Download to a private temp file (keeping the extension, which selects the decompressor), open
  // it, and unlink it at once: memory stays bounded and nothing is left behind, even on a crash
  // after this point.
  const std::string name = fs::path(file).filename().string();
  auto tmp = objstore::DownloadToTempFile(*store_, key_prefix_ + file, "-" + name);
  if (!tmp.ok()) {
    Error e = std::move(tmp).error();
    if (e.kind() == ErrorKind::kInternal) return e;  // our temp file, not the part
    return Error(e.kind() == ErrorKind::kTerminal ? ErrorKind::kData : e.kind(),
                 "cannot read part " + (dir_ / file).string() + ": " + e.message());
  }
  auto cleanup = [&] { ::unlink(tmp->c_str()); };
  auto reader = CompressedFileReader::Open(*tmp);
  cleanup();
  if (!reader.ok()) return std::move(reader).error();
  current_ = std::move(*reader);
  return OkStatus();
}

Status PartitionReader::Fill() {
  // Keep the unread tail, then append decompressed bytes; parts are concatenated as one stream.
  buf_.erase(0, pos_);
  pos_ = 0;
  while (!eof_) {
    if (!current_) {
      if (next_file_ == files_.size()) {
        eof_ = true;
        break;
      }
      METL_TRY(OpenNextPart());
    }
    size_t old = buf_.size();
    buf_.resize(old + kReadChunk);
    auto n = current_->Read(buf_.data() + old, kReadChunk);
    if (!n.ok()) {
      buf_.resize(old);
      return std::move(n).error();
    }
    buf_.resize(old + *n);
    if (*n == 0) {
      current_.reset();
      continue;
    }
    return OkStatus();
  }
  return OkStatus();
}

Result<bool> PartitionReader::Next(std::string_view& line) {
  for (;;) {
    size_t nl = buf_.find('\n', pos_);
    if (nl != std::string::npos) {
      line = std::string_view(buf_).substr(pos_, nl - pos_);
      pos_ = nl + 1;
      return true;
    }
    if (eof_) {
      if (pos_ < buf_.size()) {  // a last line without '\n' (not written by us, but accepted)
        line = std::string_view(buf_).substr(pos_);
        pos_ = buf_.size();
        return true;
      }
      return false;
    }
    METL_TRY(Fill());
  }
}

}  // namespace metl::landing
