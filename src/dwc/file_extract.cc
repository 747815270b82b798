#include "dwc/file_extract.h"

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>

#include "core/log.h"
#include "dwc/landed_files.h"

namespace metl::dwc {
namespace {

std::string IsoTime(int64_t epoch) {
  if (epoch <= 0) return "";
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A private staging folder, removed with everything in it when the run ends.
class TempDir {
 public:
  static Result<TempDir> Make(const std::string& parent) {
    std::filesystem::path base =
        parent.empty() ? std::filesystem::temp_directory_path() : std::filesystem::path(parent);
    std::string tmpl = (base / "metl-dwc-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      return Error(ErrorKind::kInternal, "cannot create a staging folder in " + base.string())
          .WithHint("check the folder exists and is writable (TMPDIR)");
    }
    return TempDir(tmpl);
  }
  TempDir(TempDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string p) : path_(std::move(p)) {}
  std::string path_;
};

// Downloads `key` to `file`; returns the first bytes seen (for the magic-byte sniffing).
Status Download(objstore::ObjectStore& source, const std::string& key, const std::string& file, std::string& head,
                int64_t& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) return Error(ErrorKind::kInternal, "cannot write the staging file " + file);
  head.clear();
  bytes = 0;
  METL_TRY(source.Get(key, [&](std::string_view chunk) {
    if (head.size() < 8) head.append(chunk.substr(0, 8 - head.size()));
    bytes += static_cast<int64_t>(chunk.size());
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    return static_cast<bool>(out);
  }));
  out.close();
  if (!out) return Error(ErrorKind::kInternal, "cannot write the staging file " + file + " (disk full?)");
  return OkStatus();
}

// Options that write `key` only over what is there now: if still absent, else only at the version
// seen (on gs:// the generation preconditions the landing zone uses; locally checked before the
// rename). Another writer in between fails the Put ("precondition failed"): the file is counted
// failed, and the next run lands it.
Result<objstore::PutOptions> OverWhatIsThere(objstore::ObjectStore& landing, const std::string& key) {
  METL_ASSIGN_OR_RETURN(std::optional<objstore::ObjectInfo> now, landing.Stat(key));
  objstore::PutOptions options;
  if (now) {
    options.if_version = now->version;
  } else {
    options.if_absent = true;
  }
  return options;
}

Status PutFile(objstore::ObjectStore& landing, const std::string& key, const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error(ErrorKind::kInternal, "cannot read the staging file " + file);
  METL_ASSIGN_OR_RETURN(objstore::PutOptions options, OverWhatIsThere(landing, key));
  return landing.Put(
      key,
      [&in](char* buf, size_t n) {
        in.read(buf, static_cast<std::streamsize>(n));
        return static_cast<size_t>(in.gcount());
      },
      options);
}

Status PutEntry(objstore::ObjectStore& landing, const LandedFile& f) {
  METL_ASSIGN_OR_RETURN(objstore::PutOptions options, OverWhatIsThere(landing, f.EntryKey()));
  options.content_type = "application/json";
  return landing.PutString(f.EntryKey(), LandedFileJson(f), options);
}

}  // namespace

std::string CompressionFromMagic(std::string_view b) {
  if (b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0x1f && static_cast<unsigned char>(b[1]) == 0x8b) {
    return "gzip";
  }
  if (b.size() >= 4 && static_cast<unsigned char>(b[0]) == 0x28 && static_cast<unsigned char>(b[1]) == 0xb5 &&
      static_cast<unsigned char>(b[2]) == 0x2f && static_cast<unsigned char>(b[3]) == 0xfd) {
    return "zstd";
  }
  return "none";
}

Result<FileExtractSummary> ExtractDwcFiles(objstore::ObjectStore& source, objstore::ObjectStore& landing,
                                           const FileExtractOptions& options) {
  FileExtractSummary summary;
  METL_ASSIGN_OR_RETURN(std::vector<objstore::ObjectInfo> objects, source.List(""));
  METL_ASSIGN_OR_RETURN(std::vector<LandedFile> landed_list, ReadLandedFiles(landing));
  std::map<std::string, LandedFile> landed;
  for (auto& f : landed_list) landed.emplace(f.key, std::move(f));
  METL_ASSIGN_OR_RETURN(TempDir staging, TempDir::Make(options.temp_dir));
  auto now = [&] { return options.now_epoch ? options.now_epoch() : static_cast<int64_t>(std::time(nullptr)); };

  for (const auto& obj : objects) {
    if (obj.key.empty() || obj.key.ends_with("/")) continue;
    ++summary.listed;
    auto it = landed.find(obj.key);
    if (it != landed.end() && it->second.etag == obj.version && it->second.size == obj.size) {
      ++summary.skipped;
      continue;
    }
    bool changed = it != landed.end();
    LandedFile f;
    f.key = obj.key;
    f.etag = obj.version;
    f.table = options.matcher.TableOf(obj.key);
    f.last_modified = IsoTime(obj.updated_at);
    f.source = source.Describe();
    std::string file = staging.path() + "/" + std::to_string(summary.listed) + ".part";
    std::string head;
    int64_t bytes = 0;
    Status got = Download(source, obj.key, file, head, bytes);
    if (!got.ok() && objstore::IsNotFound(got.error())) {
      // Deleted since the listing (Matomo expires files): nothing to land, and not an error.
      ++summary.vanished;
      LogWarn("a DWC file was deleted between the listing and its download; skipped",
              {{"key", obj.key}, {"source", source.Describe()}});
      std::filesystem::remove(file);
      continue;
    }
    if (got.ok()) {
      f.size = bytes;
      f.compression = CompressionFromMagic(head);
      f.downloaded_at = IsoTime(now());
      got = PutFile(landing, f.LandingKey(), file);
      // The ledger entry last: a reader never sees an entry whose file is incomplete.
      if (got.ok()) got = PutEntry(landing, f);
    }
    std::filesystem::remove(file);
    if (!got.ok()) {
      ++summary.failed;
      summary.failures.push_back(obj.key + ": " + got.error().ToString());
      LogWarn("a DWC file failed to land", {{"key", obj.key}, {"error", got.error().ToString()}});
      continue;
    }
    ++summary.landed;
    if (changed) ++summary.changed;
    summary.bytes += bytes;
    ++summary.landed_per_table[f.table];
    LogInfo(changed ? "landed a changed DWC file again" : "landed a DWC file",
            {{"key", obj.key}, {"table", f.table}, {"bytes", std::to_string(bytes)}, {"etag", f.etag}});
  }
  return summary;
}

}  // namespace metl::dwc
