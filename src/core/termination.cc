#include "core/termination.h"

#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"

namespace metl {
namespace {

void WriteStderr(const char* s) {
  // write(2) is async-signal-safe; a short write only shortens the message.
  ssize_t n = write(STDERR_FILENO, s, strlen(s));
  (void)n;
}

constexpr const char* kWhatHappened =
    "the partition in progress was rolled back (never half-written); finished partitions are kept. "
    "Rerun the same command to complete the run.";

// "2026-11-27T08:00:00Z" into buf (21 bytes) from the clock, with integer arithmetic only: the handler may
// call neither the C library's time formatting nor anything that allocates.
void FormatNowUtc(char* buf) {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);  // async-signal-safe
  long long secs = ts.tv_sec, days = secs / 86400, rem = secs % 86400;
  // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
  days += 719468;
  long long era = days / 146097, doe = days - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  long long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
  const long long parts[] = {y, m, d, rem / 3600, rem % 3600 / 60, rem % 60};
  const char seps[] = {'-', '-', 'T', ':', ':', 'Z'};
  char* p = buf;
  for (int i = 0; i < 6; ++i) {
    const int width = i == 0 ? 4 : 2;
    for (int k = width - 1; k >= 0; --k) {
      long long v = parts[i];
      for (int j = 0; j < k; ++j) v /= 10;
      *p++ = static_cast<char>('0' + v % 10);
    }
    *p++ = seps[i];
  }
  *p = '\0';
}

extern "C" void OnTerminate(int sig) {
  if (CurrentLogFormat() == LogFormat::kJson) {  // every stderr line JSON (no progress line to end first)
    // One write(2), so that no log line of another thread lands inside it.
    char now[24], line[512];
    FormatNowUtc(now);
    line[0] = '\0';
    for (const char* piece :
         {"{\"time\":\"", static_cast<const char*>(now),
          sig == SIGINT ? "\",\"level\":\"error\",\"message\":\"interrupted (SIGINT)\",\"signal\":2"
                        : "\",\"level\":\"error\",\"message\":\"stopped by SIGTERM\",\"signal\":15",
          ",\"hint\":\"", kWhatHappened, "\"}\n"}) {
      strncat(line, piece, sizeof line - strlen(line) - 1);  // strncat and strlen are async-signal-safe
    }
    WriteStderr(line);
  } else {
    WriteStderr(sig == SIGINT ? "\nmatomo-etl: interrupted (SIGINT): " : "\nmatomo-etl: stopped by SIGTERM: ");
    WriteStderr(kWhatHappened);
    WriteStderr("\n");
  }
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
