#include "landing/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "core/log.h"
#include "landing/landing_zone.h"
#include "landing/manifest.h"

namespace metl::landing {
namespace fs = std::filesystem;
namespace {

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  ::lseek(fd, 0, SEEK_SET);
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// Tiny extraction of "key": value from our own lock file format.
std::string FieldOf(const std::string& json, const std::string& key) {
  std::string pat = "\"" + key + "\"";
  size_t p = json.find(pat);
  if (p == std::string::npos) return "";
  p = json.find(':', p + pat.size());
  if (p == std::string::npos) return "";
  ++p;
  while (p < json.size() && json[p] == ' ') ++p;
  if (p < json.size() && json[p] == '"') {
    size_t e = json.find('"', p + 1);
    return e == std::string::npos ? "" : json.substr(p + 1, e - p - 1);
  }
  size_t e = p;
  while (e < json.size() && (std::isdigit(static_cast<unsigned char>(json[e])) || json[e] == '-')) ++e;
  return json.substr(p, e - p);
}

std::string HostName() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

}  // namespace

LockHolder ParseLockFile(const std::string& content) {
  LockHolder h;
  std::string pid = FieldOf(content, "pid");
  if (!pid.empty()) h.pid = std::strtol(pid.c_str(), nullptr, 10);
  h.host = FieldOf(content, "host");
  h.started_at = FieldOf(content, "started_at");
  h.command = FieldOf(content, "command");
  return h;
}

Result<std::unique_ptr<RunLock>> RunLock::Acquire(const fs::path& landing_root, const std::string& command) {
  std::error_code ec;
  fs::create_directories(landing_root, ec);
  if (ec) {
    return Error(ErrorKind::kConfig, "cannot create the landing folder " + landing_root.string() + ": " + ec.message())
        .WithHint(LandingNotWritableHint(landing_root));
  }
  std::unique_ptr<RunLock> lock(new RunLock());
  lock->path_ = landing_root / ".lock";
  // Loop: the file we locked may have been unlinked by a holder that just finished.
  for (int attempt = 0; attempt < 100; ++attempt) {
    int fd = ::open(lock->path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      // Typically a .lock left by a run as another user (root) after a kill -9: the same fix as an
      // unwritable landing folder.
      return Error(ErrorKind::kConfig,
                   "cannot open the lock file " + lock->path_.string() + ": " + std::strerror(errno))
          .WithHint(LandingNotWritableHint(landing_root));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int err = errno;
      LockHolder h = ParseLockFile(ReadAll(fd));
      ::close(fd);
      if (err != EWOULDBLOCK) {
        return Error(ErrorKind::kInternal, "cannot lock " + lock->path_.string() + ": " + std::strerror(err));
      }
      std::string who = h.pid ? "pid " + std::to_string(h.pid) + (h.host.empty() ? "" : " on " + h.host) +
                                    (h.started_at.empty() ? "" : ", started " + h.started_at)
                              : "another process";
      return Error(ErrorKind::kConfig, "another matomo-etl run holds the landing zone " + landing_root.string() +
                                           " (" + who + ")")
          .WithHint("wait for it to finish; overlapping runs are refused so that partitions land exactly once");
    }
    struct stat by_fd {}, by_path {};
    if (::fstat(fd, &by_fd) != 0 || ::stat(lock->path_.c_str(), &by_path) != 0 || by_fd.st_ino != by_path.st_ino) {
      ::close(fd);
      continue;
    }
    std::string old = ReadAll(fd);
    if (!old.empty()) {
      lock->took_over_ = true;
      lock->previous_ = ParseLockFile(old);
    }
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
    std::string content = "{\"pid\": " + std::to_string(::getpid()) + ", \"host\": \"" + JsonEscape(HostName()) +
                          "\", \"started_at\": \"" + FormatIsoUtc(now) + "\", \"command\": \"" +
                          JsonEscape(command) + "\"}\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, content.data(), content.size(), 0) !=
                                       static_cast<ssize_t>(content.size())) {
      ::close(fd);
      return Error(ErrorKind::kInternal, "cannot write the lock file " + lock->path_.string() + ": " +
                                             std::strerror(errno));
    }
    lock->fd_ = fd;
    if (lock->took_over_) {
      LogWarn("took over a stale landing zone lock (its holder is gone)",
              {{"previous_pid", std::to_string(lock->previous_.pid)}, {"previous_started_at", lock->previous_.started_at}});
    }
    return lock;
  }
  return Error(ErrorKind::kInternal, "cannot lock " + lock->path_.string() + ": it keeps being replaced");
}

RunLock::~RunLock() {
  if (fd_ < 0) return;
  // Unlink while still holding the flock; a waiter that opened the old inode re-checks it.
  ::unlink(path_.c_str());
  ::close(fd_);
}

}  // namespace metl::landing
