// google-fake (src/gfake/) for end-to-end tests: one process with a bucket, its service-account key
// written to the test's folder, and this process's environment pointed at it (STORAGE_EMULATOR_HOST,
// GOOGLE_APPLICATION_CREDENTIALS) so that in-process stores reach it too; env() gives the same to a
// child process. Everything stays on loopback.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "harness.h"
#include "objstore/object_store.h"

namespace metl::e2e {

class GoogleFake {
 public:
  // `flags`: more google-fake flags (faults: {"--fail-503", "every:4", ...}).
  explicit GoogleFake(const TempDir& dir, const std::string& bucket = "land-bkt:EU",
                      const std::vector<std::string>& flags = {});
  ~GoogleFake();
  GoogleFake(const GoogleFake&) = delete;
  GoogleFake& operator=(const GoogleFake&) = delete;

  // STORAGE_EMULATOR_HOST, GOOGLE_APPLICATION_CREDENTIALS and the simulator's Matomo token.
  Env env() const;
  std::unique_ptr<objstore::ObjectStore> Store(const std::string& url) const;
  // A slice of the private key's body: must appear nowhere we write.
  std::string KeySlice() const;
  std::string RequestLog() const;
  BackgroundProcess& process() { return *process_; }

 private:
  std::string key_, log_, host_;
  std::unique_ptr<BackgroundProcess> process_;
};

}  // namespace metl::e2e
