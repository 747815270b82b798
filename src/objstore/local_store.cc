#include "objstore/local_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

namespace metl::objstore {
namespace fs = std::filesystem;
namespace {

Error IoError(const std::string& what, const std::string& path, int err) {
  return Error(ErrorKind::kInternal, what + " " + path + ": " + std::strerror(err))
      .WithHint(err == ENOSPC ? "free disk space" : "check the folder's permissions and free space");
}

std::string Version(const struct stat& st) {
  return std::to_string(static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec) + "-" +
         std::to_string(st.st_size) + "-" + std::to_string(st.st_ino);
}

std::string TempSuffix() {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::string(kLocalTempMarker) + std::to_string(::getpid()) + "-" + std::to_string(++counter) + "-" +
         std::to_string(rng() % 1000000);
}

}  // namespace

LocalObjectStore::LocalObjectStore(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

Result<std::string> LocalObjectStore::PathOf(std::string_view key) const {
  if (key.empty() || key.front() == '/' || key.back() == '/') {
    return Error(ErrorKind::kInternal, "bad object key '" + std::string(key) + "'");
  }
  size_t start = 0;
  while (start <= key.size()) {
    size_t slash = key.find('/', start);
    std::string_view seg = key.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg.empty() || seg == "." || seg == "..") {
      return Error(ErrorKind::kInternal, "bad object key '" + std::string(key) + "'");
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return root_ + "/" + std::string(key);
}

Status LocalObjectStore::Put(std::string_view key, const std::function<size_t(char*, size_t)>& source,
                             const PutOptions& options) {
  METL_ASSIGN_OR_RETURN(std::string path, PathOf(key));
  if (options.if_version) {
    METL_ASSIGN_OR_RETURN(auto current, Stat(key));
    if (!current || current->version != *options.if_version) {
      return Error(ErrorKind::kTerminal, "precondition failed: " + path + " changed");
    }
  }
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return IoError("cannot create the folder of", path, ec.value());
  std::string tmp = path + TempSuffix();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot create", tmp, errno);
  auto fail = [&](const std::string& what, int err) -> Status {
    ::close(fd);
    ::unlink(tmp.c_str());
    return IoError(what, path, err);
  };
  std::vector<char> buf(1 << 20);
  for (;;) {
    size_t n = source(buf.data(), buf.size());
    if (n == 0) break;
    for (size_t off = 0; off < n;) {
      ssize_t w = ::write(fd, buf.data() + off, n - off);
      if (w < 0) {
        if (errno == EINTR) continue;
        return fail("cannot write", errno);
      }
      off += static_cast<size_t>(w);
    }
  }
  if (::fsync(fd) != 0) return fail("cannot sync", errno);
  ::close(fd);
  if (options.if_absent) {
    // link(2) never replaces an existing name: the first writer wins, atomically.
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      int err = errno;
      ::unlink(tmp.c_str());
      if (err == EEXIST) {
        return Error(ErrorKind::kTerminal, "precondition failed: " + path + " already exists");
      }
      return IoError("cannot create", path, err);
    }
    ::unlink(tmp.c_str());
  } else if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return IoError("cannot rename into", path, err);
  }
  // The directory entry must survive a crash too.
  int dfd = ::open(fs::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return OkStatus();
}

Status LocalObjectStore::Get(std::string_view key, const std::function<bool(std::string_view)>& sink) {
  METL_ASSIGN_OR_RETURN(std::string path, PathOf(key));
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Error(ErrorKind::kTerminal, "not found: " + path);
    return IoError("cannot open", path, errno);
  }
  std::vector<char> buf(1 << 20);
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return IoError("cannot read", path, err);
    }
    if (n == 0) break;
    if (!sink(std::string_view(buf.data(), static_cast<size_t>(n)))) break;
  }
  ::close(fd);
  return OkStatus();
}

Result<std::optional<ObjectInfo>> LocalObjectStore::Stat(std::string_view key) {
  METL_ASSIGN_OR_RETURN(std::string path, PathOf(key));
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<ObjectInfo>();
    return IoError("cannot stat", path, errno);
  }
  if (!S_ISREG(st.st_mode)) return std::optional<ObjectInfo>();
  return std::optional<ObjectInfo>(ObjectInfo{std::string(key), st.st_size, Version(st), st.st_mtim.tv_sec});
}

Result<std::vector<ObjectInfo>> LocalObjectStore::List(std::string_view prefix) {
  std::vector<ObjectInfo> out;
  // Walk only below the prefix's folder part.
  size_t slash = prefix.rfind('/');
  std::string start = root_ + (slash == std::string_view::npos ? "" : "/" + std::string(prefix.substr(0, slash)));
  std::error_code ec;
  if (!fs::is_directory(start, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(start, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string path = it->path().string();
    std::string key = path.substr(root_.size() + 1);
    if (!key.starts_with(prefix) || key.find(kLocalTempMarker) != std::string::npos) continue;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) continue;  // deleted meanwhile
    out.push_back(ObjectInfo{key, st.st_size, Version(st), st.st_mtim.tv_sec});
  }
  if (ec) return IoError("cannot list", start, ec.value());
  std::sort(out.begin(), out.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  return out;
}

Status LocalObjectStore::Delete(std::string_view key, std::optional<std::string> if_version) {
  METL_ASSIGN_OR_RETURN(std::string path, PathOf(key));
  if (if_version) {
    METL_ASSIGN_OR_RETURN(auto info, Stat(key));
    if (!info || info->version != *if_version) {
      return Error(ErrorKind::kTerminal, "precondition failed: " + path + " is not at version " + *if_version);
    }
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return IoError("cannot delete", path, errno);
  return OkStatus();
}

}  // namespace metl::objstore
