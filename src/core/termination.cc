#include "core/termination.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

namespace metl {
namespace {

void WriteStderr(const char* s) {
  // write(2) is async-signal-safe; a short write only shortens the message.
  ssize_t n = write(STDERR_FILENO, s, strlen(s));
  (void)n;
}

extern "C" void OnTerminate(int sig) {
  WriteStderr(sig == SIGINT ? "\nmatomo-etl: interrupted (SIGINT)" : "\nmatomo-etl: stopped by SIGTERM");
  WriteStderr(
      ": the partition in progress was rolled back (never half-written); finished partitions are kept. "
      "Rerun the same command to complete the run.\n");
  // Die of the signal itself, so that the parent sees exactly why we stopped.
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

void InstallTerminationHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnTerminate;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
}

}  // namespace metl
