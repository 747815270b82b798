// ObjectRunLock on the local object store (the same interface and if_absent semantics as gs://,
// whose end-to-end behaviour is in tests/e2e/gcs_landing_test.cc): refusal naming the holder,
// release, take-over of a dead holder on this host, and the stale-lock message with its way out.
#include "landing/object_run_lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "landing/partition_writer.h"

namespace metl::landing {
namespace {
namespace fs = std::filesystem;

struct Store {
  Store() {
    dir = fs::temp_directory_path() / ("metl-objlock-test-" + RandomName());
    fs::create_directories(dir);
    auto opened = objstore::OpenObjectStore(dir.string());
    EXPECT_TRUE(opened.ok());
    store = std::shared_ptr<objstore::ObjectStore>(std::move(*opened));
  }
  ~Store() { fs::remove_all(dir); }
  fs::path dir;
  std::shared_ptr<objstore::ObjectStore> store;
};

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string Host() {
  char buf[256] = {0};
  ::gethostname(buf, sizeof buf - 1);
  return buf;
}

TEST(LandingObjectRunLock, RefusesASecondHolderAndReleases) {
  Store s;
  auto first = ObjectRunLock::Acquire(s.store, "gs://b/p", "extract", Now());
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  auto content = s.store->GetString(".lock");
  ASSERT_TRUE(content.ok());
  LockHolder h = ParseLockFile(*content);
  EXPECT_EQ(h.pid, ::getpid());
  EXPECT_EQ(h.host, Host());
  EXPECT_EQ(h.command, "extract");

  auto second = ObjectRunLock::Acquire(s.store, "gs://b/p", "extract", Now());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind(), ErrorKind::kConfig);
  EXPECT_NE(second.error().ToString().find("another matomo-etl run holds the landing zone gs://b/p (pid " +
                                           std::to_string(::getpid())),
            std::string::npos)
      << second.error().ToString();

  first->reset();
  auto gone = s.store->Stat(".lock");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  EXPECT_TRUE(ObjectRunLock::Acquire(s.store, "gs://b/p", "extract", Now()).ok());
}

TEST(LandingObjectRunLock, TakesOverTheLockOfADeadProcessOnThisHost) {
  Store s;
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  ::waitpid(child, nullptr, 0);  // reaped: that pid no longer exists
  ASSERT_TRUE(s.store
                  ->PutString(".lock", "{\"pid\": " + std::to_string(child) + ", \"host\": \"" + Host() +
                                           "\", \"started_at\": \"2026-11-05T11:00:00Z\", \"command\": \"sync\"}\n")
                  .ok());
  auto lock = ObjectRunLock::Acquire(s.store, "gs://b/p", "extract", Now());
  ASSERT_TRUE(lock.ok()) << lock.error().ToString();
  EXPECT_TRUE((*lock)->took_over_stale());
  EXPECT_EQ((*lock)->previous().pid, child);
  EXPECT_EQ(ParseLockFile(*s.store->GetString(".lock")).pid, ::getpid());
}

TEST(LandingObjectRunLock, AnOldLockFromElsewhereIsExplainedNotTakenOver) {
  Store s;
  const std::string other = "{\"pid\": 4242, \"host\": \"other-machine\", \"started_at\": \"2026-11-05T11:00:00Z\"}\n";
  ASSERT_TRUE(s.store->PutString(".lock", other).ok());
  // Young: a run elsewhere may be busy.
  auto young = ObjectRunLock::Acquire(s.store, "gs://b/p/", "extract", Now());
  ASSERT_FALSE(young.ok());
  EXPECT_NE(young.error().ToString().find("pid 4242 on other-machine"), std::string::npos);
  EXPECT_EQ(young.error().ToString().find("most likely died"), std::string::npos);
  // Older than kStaleLockSeconds: probably stale, and the command that removes it.
  auto old = ObjectRunLock::Acquire(s.store, "gs://b/p/", "extract", Now() + kStaleLockSeconds + 3600);
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.error().kind(), ErrorKind::kConfig);
  EXPECT_NE(old.error().ToString().find("most likely died"), std::string::npos) << old.error().ToString();
  EXPECT_NE(old.error().ToString().find("gcloud storage rm gs://b/p/.lock"), std::string::npos)
      << old.error().ToString();
  EXPECT_EQ(*s.store->GetString(".lock"), other);  // never deleted by us
}

}  // namespace
}  // namespace metl::landing
