#include "landing/object_run_lock.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "core/log.h"
#include "landing/landing_zone.h"
#include "landing/manifest.h"

namespace metl::landing {
namespace {

std::string HostName() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

bool IsPreconditionFailure(const Error& e) {
  return e.message().starts_with("precondition failed");
}

// A holder on this host whose process is gone cannot be running any more.
bool DeadOnThisHost(const LockHolder& h) {
  return h.pid > 0 && h.host == HostName() && ::kill(static_cast<pid_t>(h.pid), 0) != 0 && errno == ESRCH;
}

}  // namespace

Result<std::unique_ptr<ObjectRunLock>> ObjectRunLock::Acquire(std::shared_ptr<objstore::ObjectStore> store,
                                                              const std::string& where, const std::string& command,
                                                              int64_t now) {
  std::unique_ptr<ObjectRunLock> lock(new ObjectRunLock());
  lock->store_ = std::move(store);
  const std::string content = "{\"pid\": " + std::to_string(::getpid()) + ", \"host\": \"" + JsonEscape(HostName()) +
                              "\", \"started_at\": \"" + FormatIsoUtc(now) + "\", \"command\": \"" +
                              JsonEscape(command) + "\"}\n";
  const std::string lock_url = where + (where.ends_with("/") ? "" : "/") + kLockFile;
  objstore::PutOptions create;
  create.if_absent = true;
  create.content_type = "application/json";
  for (int attempt = 0; attempt < 5; ++attempt) {
    Status put = lock->store_->PutString(kLockFile, content, create);
    if (put.ok()) {
      METL_ASSIGN_OR_RETURN(auto info, lock->store_->Stat(kLockFile));
      if (info) lock->version_ = info->version;
      if (lock->took_over_) {
        LogWarn("took over a stale landing zone lock (its holder is gone)",
                {{"previous_pid", std::to_string(lock->previous_.pid)},
                 {"previous_started_at", lock->previous_.started_at}});
      }
      return lock;
    }
    Error e = std::move(put).error();
    if (!IsPreconditionFailure(e)) return e;
    // Someone holds it: who, and since when?
    METL_ASSIGN_OR_RETURN(auto info, lock->store_->Stat(kLockFile));
    if (!info) continue;  // released meanwhile: try again
    auto held = lock->store_->GetString(kLockFile);
    if (!held.ok()) continue;
    LockHolder h = ParseLockFile(*held);
    if (DeadOnThisHost(h)) {
      // Delete only the generation we inspected: a lock someone else just created stays.
      METL_TRY(lock->store_->Delete(kLockFile, info->version));
      lock->took_over_ = true;
      lock->previous_ = h;
      continue;
    }
    std::string who = h.pid ? "pid " + std::to_string(h.pid) + (h.host.empty() ? "" : " on " + h.host) +
                                  (h.started_at.empty() ? "" : ", started " + h.started_at)
                            : "another process";
    int64_t age = now - info->updated_at;
    if (age > kStaleLockSeconds) {
      return Error(ErrorKind::kConfig, "the landing zone " + where + " is locked by " + who + ", " +
                                           std::to_string(age / 3600) +
                                           " hours ago: that run most likely died without releasing it")
          .WithHint("if no matomo-etl run is using this landing zone, delete the lock: gcloud storage rm " + lock_url);
    }
    return Error(ErrorKind::kConfig, "another matomo-etl run holds the landing zone " + where + " (" + who + ")")
        .WithHint(
            "wait for it to finish; overlapping runs are refused so that partitions land exactly once (if that "
            "run died on another machine, delete the lock: gcloud storage rm " +
            lock_url + ")");
  }
  return Error(ErrorKind::kInternal, "cannot lock " + lock_url + ": it keeps being replaced");
}

ObjectRunLock::~ObjectRunLock() {
  if (!store_ || version_.empty()) return;
  Status st = store_->Delete(kLockFile, version_);
  if (!st.ok()) LogWarn("cannot release the landing zone lock", {{"error", st.error().message()}});
}

}  // namespace metl::landing
