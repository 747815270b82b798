#include "landing/partition_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <random>

#include "core/log.h"

namespace metl::landing {
namespace fs = std::filesystem;
namespace {

Error Errno(const std::string& what) { return Error(ErrorKind::kInternal, what + ": " + std::strerror(errno)); }

std::string PartName(int index, Compression c, const std::string& run_id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "part-%05d", index);
  return std::string(buf) + (run_id.empty() ? "" : "-" + run_id) + CompressionExtension(c);
}

}  // namespace

std::string RandomName() {
  static thread_local std::mt19937_64 rng(std::random_device{}() ^
                                          (static_cast<uint64_t>(::getpid()) << 32));
  uint64_t v = rng();
  uint8_t b[8];
  std::memcpy(b, &v, 8);
  return HexEncode(b, 8);
}

Status SyncDir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open " + dir.string());
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Errno("cannot sync " + dir.string());
  return OkStatus();
}

Status WriteFileAtomic(const fs::path& path, std::string_view content) {
  fs::path tmp = path;
  tmp += ".tmp-" + RandomName();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create " + tmp.string());
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto err = Errno("cannot write " + tmp.string());
      ::close(fd);
      ::unlink(tmp.c_str());
      return err;
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    auto err = Errno("cannot sync " + tmp.string());
    ::unlink(tmp.c_str());
    return err;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    auto err = Errno("cannot rename " + tmp.string());
    ::unlink(tmp.c_str());
    return err;
  }
  return OkStatus();
}

Result<std::unique_ptr<PartitionWriter>> PartitionWriter::Begin(const LandingZone& zone, int64_t site_id,
                                                                CivilDate date, Compression compression,
                                                                PartLimits limits) {
  std::unique_ptr<PartitionWriter> w(new PartitionWriter());
  w->zone_ = &zone;
  w->site_id_ = site_id;
  w->date_ = date;
  w->compression_ = compression;
  w->limits_ = limits;
  std::error_code ec;
  if (zone.store() || !zone.open_status().ok()) {
    METL_TRY(zone.open_status());
    w->remote_ = true;
    w->run_id_ = RandomName();
    w->key_prefix_ = LandingZone::PartitionKey(site_id, date);
    fs::path tmp = fs::temp_directory_path(ec);
    if (ec) return Error(ErrorKind::kInternal, "no temp folder: " + ec.message()).WithHint("set TMPDIR");
    // The pid in the name lets the next run on this host delete what a killed run left (CleanTemp).
    w->tmp_dir_ = tmp / (kLocalStagingPrefix + std::to_string(::getpid()) + "-" + w->run_id_ + "-site" +
                         std::to_string(site_id) + "-" + date.ToString());
    if (::mkdir(w->tmp_dir_.c_str(), 0700) != 0) return Errno("cannot create " + w->tmp_dir_.string());
    return w;
  }
  fs::create_directories(zone.TempRoot(), ec);
  if (ec) {
    return Error(ErrorKind::kInternal, "cannot create " + zone.TempRoot().string() + ": " + ec.message())
        .WithHint(LandingNotWritableHint(zone.root()));
  }
  w->tmp_dir_ = zone.TempRoot() / (RandomName() + "-site" + std::to_string(site_id) + "-" + date.ToString());
  if (::mkdir(w->tmp_dir_.c_str(), 0755) != 0) return Errno("cannot create " + w->tmp_dir_.string());
  return w;
}

PartitionWriter::~PartitionWriter() { Abort(); }

void PartitionWriter::Abort() {
  if (done_) return;
  done_ = true;
  part_.reset();
  std::error_code ec;
  fs::remove_all(tmp_dir_, ec);
  // Uploaded parts no manifest lists: best effort (the next run's CleanTemp catches the rest).
  if (remote_ && zone_->store()) {
    for (const auto& p : parts_) (void)zone_->store()->Delete(key_prefix_ + p.file);
  }
}

Status PartitionWriter::OpenPart() {
  std::string name = PartName(static_cast<int>(parts_.size()), compression_, run_id_);
  METL_ASSIGN_OR_RETURN(part_, CompressedFileWriter::Create((tmp_dir_ / name).string(), compression_));
  parts_.push_back({name, 0, 0, 0});
  current_visits_ = current_bytes_ = 0;
  return OkStatus();
}

Status PartitionWriter::ClosePart() {
  if (!part_) return OkStatus();
  METL_ASSIGN_OR_RETURN(int64_t compressed, part_->Finish());
  part_.reset();
  auto& p = parts_.back();
  p.visits = current_visits_;
  p.bytes = current_bytes_;
  p.compressed_bytes = compressed;
  bytes_ += current_bytes_;
  current_visits_ = current_bytes_ = 0;
  if (remote_) METL_TRY(UploadPart(p.file));
  return OkStatus();
}

Status PartitionWriter::UploadPart(const std::string& name) {
  // Streamed from the finished temp file (bounded memory), then the local copy goes at once so a
  // day of many parts never needs more than one part of local disk.
  fs::path local = tmp_dir_ / name;
  std::FILE* in = std::fopen(local.c_str(), "rb");
  if (!in) return Errno("cannot open " + local.string());
  bool read_failed = false;
  objstore::PutOptions options;
  options.if_absent = true;  // a fresh run id: an existing object would be someone else's
  Status put = zone_->store()->Put(
      key_prefix_ + name,
      [&](char* buf, size_t cap) -> size_t {
        size_t n = std::fread(buf, 1, cap, in);
        if (n == 0 && std::ferror(in)) read_failed = true;
        return n;
      },
      options);
  std::fclose(in);
  ::unlink(local.c_str());
  if (read_failed) return Error(ErrorKind::kInternal, "cannot read " + local.string());
  return put;
}

Status PartitionWriter::CommitRemote(const Manifest& m) {
  objstore::ObjectStore& store = *zone_->store();
  const std::string manifest_key = key_prefix_ + kManifestFile;
  METL_ASSIGN_OR_RETURN(auto previous, store.Stat(manifest_key));
  objstore::PutOptions options;
  options.content_type = "application/json";
  if (previous) {
    options.if_version = previous->version;  // replace only the manifest we saw
  } else {
    options.if_absent = true;
  }
  Status put = store.PutString(manifest_key, ManifestToJson(m), options);
  if (!put.ok()) {
    Error e = std::move(put).error();
    if (e.message().starts_with("precondition failed")) {
      return Error(ErrorKind::kConfig, "the manifest of " + (zone_->PartitionDir(site_id_, date_)).string() +
                                           " changed while this run wrote it: another run is writing this landing zone")
          .WithHint("make sure only one run at a time uses this landing zone (its .lock object), then rerun");
    }
    return e;
  }
  // Readers now follow the new manifest: the replaced partition's parts can go. A failure here
  // only leaves unlisted parts, which the next run's CleanTemp deletes.
  auto objects = store.List(key_prefix_);
  if (!objects.ok()) return OkStatus();
  for (const auto& o : *objects) {
    std::string name = o.key.substr(key_prefix_.size());
    if (!name.starts_with("part-") || name.find('/') != std::string::npos) continue;
    bool listed = std::any_of(m.parts.begin(), m.parts.end(), [&](const ManifestPart& p) { return p.file == name; });
    if (!listed) (void)store.Delete(o.key, o.version);
  }
  return OkStatus();
}

Status PartitionWriter::Add(std::string_view line, bool truncated) {
  if (done_) return Error(ErrorKind::kInternal, "PartitionWriter::Add after commit or abort");
  if (part_ && (current_visits_ >= limits_.max_visits || current_bytes_ >= limits_.max_bytes)) {
    METL_TRY(ClosePart());
  }
  if (!part_) METL_TRY(OpenPart());
  METL_TRY(part_->Write(line));
  METL_TRY(part_->Write("\n"));
  hasher_.Add(line);
  ++current_visits_;
  current_bytes_ += static_cast<int64_t>(line.size()) + 1;
  ++visits_;
  if (truncated) ++truncated_;
  return OkStatus();
}

Result<Manifest> PartitionWriter::Commit(Manifest m) {
  if (done_) return Error(ErrorKind::kInternal, "PartitionWriter::Commit after commit or abort");
  METL_TRY(ClosePart());
  m.format_version = 1;
  m.site_id = site_id_;
  m.date = date_;
  m.visits = visits_;
  m.bytes = bytes_;
  m.content_sha256 = hasher_.Hex();
  m.truncated_visits = truncated_;
  m.compression = compression_;
  m.parts = parts_;
  if (remote_) {
    METL_TRY(CommitRemote(m));
    done_ = true;
    std::error_code ec;
    fs::remove_all(tmp_dir_, ec);
    return m;
  }
  METL_TRY(WriteFileAtomic(tmp_dir_ / kManifestFile, ManifestToJson(m)));
  METL_TRY(SyncDir(tmp_dir_));

  fs::path site_dir = zone_->SiteDir(site_id_);
  fs::path final_dir = zone_->PartitionDir(site_id_, date_);
  std::error_code ec;
  fs::create_directories(site_dir, ec);
  if (ec) return Error(ErrorKind::kInternal, "cannot create " + site_dir.string() + ": " + ec.message());

  // First landing: a plain rename. Replacing: swap atomically with renameat2(RENAME_EXCHANGE), so
  // readers always see a complete partition; on filesystems without it, move the old one aside.
  if (::rename(tmp_dir_.c_str(), final_dir.c_str()) != 0) {
    if (errno != ENOTEMPTY && errno != EEXIST) return Errno("cannot rename into " + final_dir.string());
    if (::renameat2(AT_FDCWD, tmp_dir_.c_str(), AT_FDCWD, final_dir.c_str(), RENAME_EXCHANGE) == 0) {
      fs::remove_all(tmp_dir_, ec);  // now holds the old partition
    } else {
      fs::path old = zone_->TempRoot() / (RandomName() + "-old");
      if (::rename(final_dir.c_str(), old.c_str()) != 0) return Errno("cannot move aside " + final_dir.string());
      if (::rename(tmp_dir_.c_str(), final_dir.c_str()) != 0) return Errno("cannot rename into " + final_dir.string());
      fs::remove_all(old, ec);
    }
  }
  done_ = true;
  METL_TRY(SyncDir(site_dir));
  return m;
}

}  // namespace metl::landing
