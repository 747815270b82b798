// One run at a time per landing zone on an object store (gs://): the lock is the object ".lock",
// created only if absent (GCS ifGenerationMatch=0) and holding {"pid","host","started_at",
// "command"}; the holder deletes it (only that generation) when done. Unlike a local flock, nothing
// drops the lock when a holder dies, so:
//  - a lock written on this host by a process that no longer exists is taken over;
//  - any other lock is refused, naming the holder; one older than kStaleLockSeconds is called
//    probably stale, with the command that deletes it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/error.h"
#include "landing/run_lock.h"
#include "objstore/object_store.h"

namespace metl::landing {

// 12 hours: far longer than a daily run; a lock this old most likely belongs to a dead run.
inline constexpr int64_t kStaleLockSeconds = 12 * 3600;

class ObjectRunLock {
 public:
  // `store` must outlive the lock. `where` is the landing zone's URL, for messages.
  static Result<std::unique_ptr<ObjectRunLock>> Acquire(std::shared_ptr<objstore::ObjectStore> store,
                                                        const std::string& where, const std::string& command,
                                                        int64_t now_epoch_seconds);
  ~ObjectRunLock();  // releases: deletes the lock object (only the generation it created)
  ObjectRunLock(const ObjectRunLock&) = delete;
  ObjectRunLock& operator=(const ObjectRunLock&) = delete;

  bool took_over_stale() const { return took_over_; }
  const LockHolder& previous() const { return previous_; }

 private:
  ObjectRunLock() = default;
  std::shared_ptr<objstore::ObjectStore> store_;
  std::string version_;
  bool took_over_ = false;
  LockHolder previous_;
};

}  // namespace metl::landing
