// The progress line never shows more requests per minute than the limit the client enforces
// (issue 17): it counts the requests of the last 60 s, the window the limit is counted over.
#include <gtest/gtest.h>

#include <regex>

#include "harness.h"

namespace metl::e2e {
namespace {

TEST(ProgressE2E, RequestRateShownNeverExceedsTheLimit) {
  SimServer sim({"--sites", "1", "--visits-per-day", "5", "--now", "2026-11-27 08:00:00"});
  TempDir tmp;
  const int limit = 60;
  ProcessResult r = RunEtl(
      {"extract", "--url", sim.url(), "--landing", (tmp.path() / "landing").string(), "--now", "2026-11-27 08:00:00",
       "--from", "2026-11-22", "--to", "2026-11-26", "--rate-limit", std::to_string(limit), "--progress", "always"},
      {{"MATOMO_TOKEN_AUTH", SimServer::kToken}}, "", 120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Either form the line has had: "N req/min" (a rate) or "N in the last 60 s" (a count).
  std::regex shown("([0-9]+) (req/min|in the last 60 s)");
  int samples = 0;
  for (auto it = std::sregex_iterator(r.err.begin(), r.err.end(), shown); it != std::sregex_iterator(); ++it) {
    ++samples;
    EXPECT_LE(std::stoi((*it)[1]), limit) << "shown: " << (*it)[0];
  }
  EXPECT_GT(samples, 3) << r.err;
}

}  // namespace
}  // namespace metl::e2e
