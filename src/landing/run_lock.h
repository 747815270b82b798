// One run at a time per landing zone: <landing>/.lock holds {"pid","host","started_at"} of the
// holder, and the holder keeps an flock() on it. The kernel drops the flock when the holder dies
// (even by kill -9), so a lock file left by a dead process is stale and simply taken over.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/error.h"

namespace metl::landing {

struct LockHolder {
  long pid = 0;
  std::string host;
  std::string started_at;
  std::string command;
};

class RunLock {
 public:
  // Fails with a kConfig error naming the holder (pid, host, start time) when another live run
  // holds the lock. Creates the landing folder if needed.
  static Result<std::unique_ptr<RunLock>> Acquire(const std::filesystem::path& landing_root,
                                                  const std::string& command);
  ~RunLock();  // releases: removes the file and drops the flock
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  // Whether a previous holder's lock file was found and taken over (it had died).
  bool took_over_stale() const { return took_over_; }
  const LockHolder& previous() const { return previous_; }

 private:
  RunLock() = default;
  int fd_ = -1;
  std::filesystem::path path_;
  bool took_over_ = false;
  LockHolder previous_;
};

// Reads a lock file's content (for messages and `status`); missing fields stay empty.
LockHolder ParseLockFile(const std::string& content);

}  // namespace metl::landing
