#include "landing/landing_zone.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <system_error>

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

fs::path LandingZone::SiteDir(int64_t site_id) const { return root_ / ("site=" + std::to_string(site_id)); }

fs::path LandingZone::PartitionDir(int64_t site_id, CivilDate date) const {
  return SiteDir(site_id) / ("date=" + date.ToString());
}

std::string LandingNotWritableHint(const fs::path& root) {
  return "make " + root.string() + " and everything in it writable by the user running matomo-etl (uid " +
         std::to_string(::geteuid()) + "): fix the owner or mode, e.g. `chown -R $(id -un) " + root.string() +
         "`, or set `landing` to another folder";
}

Result<std::vector<PartitionRef>> LandingZone::ListPartitions(const PartitionFilter& filter) const {
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
  std::error_code ec;
  if (!fs::exists(dir / kManifestFile, ec)) return std::nullopt;
  return PartitionRef{site_id, date, dir};
}

Result<Manifest> LandingZone::ReadManifest(const PartitionRef& ref) const {
  fs::path p = ref.dir / kManifestFile;
  std::ifstream in(p, std::ios::binary);
  if (!in) return Error(ErrorKind::kData, "cannot read " + p.string());
  std::stringstream ss;
  ss << in.rdbuf();
  auto m = ParseManifest(ss.str());
  if (!m.ok()) return Error(ErrorKind::kData, m.error().message() + " (" + p.string() + ")");
  if (m->site_id != ref.site_id || m->date != ref.date) {
    return Error(ErrorKind::kData, "manifest " + p.string() + " names another partition (site " +
                                       std::to_string(m->site_id) + ", " + m->date.ToString() + ")");
  }
  return m;
}

Status LandingZone::CleanTemp() const {
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

Result<std::unique_ptr<PartitionReader>> PartitionReader::Open(const LandingZone& zone, const PartitionRef& ref) {
  METL_ASSIGN_OR_RETURN(Manifest m, zone.ReadManifest(ref));
  return Open(ref, m);
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
      METL_ASSIGN_OR_RETURN(current_, CompressedFileReader::Open((dir_ / files_[next_file_++]).string()));
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
