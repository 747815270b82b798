#include "objstore/temp_download.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace metl::objstore {

Result<std::string> DownloadToTempFile(ObjectStore& store, std::string_view key, std::string_view suffix) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) return Error(ErrorKind::kInternal, "no temp folder: " + ec.message()).WithHint("set TMPDIR");
  std::string path = (dir / ("metl-dl-XXXXXX" + std::string(suffix))).string();
  int fd = ::mkstemps(path.data(), static_cast<int>(suffix.size()));
  if (fd < 0) {
    return Error(ErrorKind::kInternal, "cannot create a temp file in " + dir.string())
        .WithHint("check TMPDIR exists, is writable and has space");
  }
  std::FILE* out = ::fdopen(fd, "wb");
  if (!out) {
    ::close(fd);
    ::unlink(path.c_str());
    return Error(ErrorKind::kInternal, "cannot write " + path).WithHint("check TMPDIR's space");
  }
  bool write_failed = false;
  Status got = store.Get(key, [&](std::string_view chunk) {
    if (std::fwrite(chunk.data(), 1, chunk.size(), out) != chunk.size()) write_failed = true;
    return !write_failed;
  });
  const bool close_failed = std::fclose(out) != 0;
  if (!got.ok() && !write_failed) {
    ::unlink(path.c_str());
    return std::move(got).error();
  }
  if (write_failed || close_failed) {
    ::unlink(path.c_str());
    return Error(ErrorKind::kInternal, "cannot write " + path).WithHint("check TMPDIR's space");
  }
  return path;
}

}  // namespace metl::objstore
