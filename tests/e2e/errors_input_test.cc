// Mistakes a new user makes on the command line and in the environment (issue 17, "Errors that must
// say what to do"): reversed dates, dates before a site existed or in the future, the token as a
// flag, an empty token variable, a misspelled MATOMO_ETL_* variable. Each gets one clear message;
// the errors exit 2 and create nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "harness.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

TEST(InputErrorsE2E, ReversedDatesAreOneMessageAndExit2OnEveryCommand) {
  TempDir cwd;
  Env env{{"MATOMO_TOKEN_AUTH", "a-token"}, {"MATOMO_ETL_URL", "http://127.0.0.1:1/"}};
  for (const char* command : {"extract", "check", "load", "sync", "status", "verify"}) {
    SCOPED_TRACE(command);
    ProcessResult r = RunEtl({command, "--from", "2026-11-10", "--to", "2026-11-01"}, env, cwd.str(), 60);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_EQ(Count(r.err, "error:"), 1u) << r.err;
    EXPECT_NE(r.err.find("from 2026-11-10 (flag --from) is after to 2026-11-01 (flag --to)"), std::string::npos)
        << r.err;
    EXPECT_TRUE(fs::is_empty(cwd.path())) << "created files";
  }
  // From the environment or the config file, the message names where each came from.
  ProcessResult mixed = RunEtl({"status", "--to", "2026-11-01"}, {{"MATOMO_ETL_FROM", "2026-11-10"}}, cwd.str(), 60);
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.err.find("(environment MATOMO_ETL_FROM)"), std::string::npos) << mixed.err;
}

int PlannedPartitions(const std::string& check_out) {
  std::smatch m;
  if (!std::regex_search(check_out, m, std::regex("A run now would extract ([0-9]+) partitions"))) return -1;
  return std::stoi(m[1]);
}

TEST(InputErrorsE2E, DatesBeforeTheSiteExistedOrInTheFutureAreClampedWithANote) {
  // matomo-sim creates its sites 60 days before the first generated day: 2026-09-21.
  SimServer sim({"--sites", "1", "--visits-per-day", "5", "--from", "2026-11-20", "--to", "2026-11-26", "--now",
                 "2026-11-27 08:00:00"});
  TempDir cwd;
  Env env{{"MATOMO_TOKEN_AUTH", SimServer::kToken}};
  ProcessResult old = RunEtl(
      {"check", "--url", sim.url(), "--from", "2000-01-01", "--to", "2026-11-26", "--now", "2026-11-27 08:00:00"}, env,
      cwd.str(), 60);
  ASSERT_EQ(old.exit_code, 0) << old.err;
  EXPECT_EQ(PlannedPartitions(old.out), 67) << old.out;  // 2026-09-21..2026-11-26, not 9,826 days
  EXPECT_NE(old.err.find("before the site was created"), std::string::npos) << old.err;
  EXPECT_NE(old.err.find("2026-09-21"), std::string::npos) << old.err;

  ProcessResult future = RunEtl(
      {"check", "--url", sim.url(), "--from", "2026-11-20", "--to", "2099-12-31", "--now", "2026-11-27 08:00:00"}, env,
      cwd.str(), 60);
  ASSERT_EQ(future.exit_code, 0) << future.err;
  EXPECT_EQ(PlannedPartitions(future.out), 7) << future.out;
  EXPECT_NE(future.err.find("reaches into the future"), std::string::npos) << future.err;

  // status with a future --to counts gaps up to the last closed day only.
  TempDir tmp;
  std::string wh = "duckdb:" + (tmp.path() / "w.duckdb").string(), landing = (tmp.path() / "landing").string();
  ASSERT_EQ(RunEtl({"sync", "--url", sim.url(), "--landing", landing, "--warehouse", wh, "--from", "2026-11-25", "--to",
                    "2026-11-26", "--now", "2026-11-27 08:00:00", "--progress", "never"},
                   env, "", 120)
                .exit_code,
            0);
  ProcessResult st =
      RunEtl({"status", "--landing", landing, "--warehouse", wh, "--to", "2099-12-31", "--now", "2026-11-27 08:00:00"},
             {}, "", 60);
  EXPECT_EQ(st.exit_code, 0) << st.out << st.err;
  EXPECT_NE(st.out.find("2026-11-25..2026-11-26, 2 of 2 days loaded"), std::string::npos) << st.out;
}

TEST(InputErrorsE2E, TokenFlagPointsToTheVariableWithoutEchoingIt) {
  const std::string secret = "tok-e2e-0123456789abcdef";
  for (const std::vector<std::string>& args : {std::vector<std::string>{"extract", "--token", secret},
                                               {"check", "--token=" + secret},
                                               {"sync", "--token-auth", secret}}) {
    ProcessResult r = RunEtl(args, {}, "", 30);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("MATOMO_TOKEN_AUTH"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(secret), std::string::npos) << "the token was echoed";
    EXPECT_EQ(r.out.find(secret), std::string::npos);
  }
}

TEST(InputErrorsE2E, EmptyTokenVariableIsCalledEmptyNotUnset) {
  TempDir cwd;
  ProcessResult empty = RunEtl({"check", "--url", "http://127.0.0.1:1/"}, {{"MATOMO_TOKEN_AUTH", ""}}, cwd.str(), 30);
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("MATOMO_TOKEN_AUTH is set but empty"), std::string::npos) << empty.err;
  ProcessResult unset =
      RunEtl({"check", "--url", "http://127.0.0.1:1/"}, {{"MATOMO_TOKEN_AUTH", "\x01"}}, cwd.str(), 30);
  EXPECT_EQ(unset.exit_code, 2);
  EXPECT_NE(unset.err.find("MATOMO_TOKEN_AUTH is not set"), std::string::npos) << unset.err;
}

TEST(InputErrorsE2E, MisspelledEnvironmentVariableGetsDidYouMean) {
  TempDir cwd;
  const std::string value = "value-not-shown-42";
  ProcessResult r =
      RunEtl({"status"}, {{"MATOMO_ETL_LOOKBAK_DAYS", value}, {"MATOMO_ETL_WAREHOUS", value}}, cwd.str(), 30);
  EXPECT_NE(r.err.find("unknown environment variable MATOMO_ETL_LOOKBAK_DAYS is ignored: did you mean "
                       "MATOMO_ETL_LOOKBACK_DAYS?"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("did you mean MATOMO_ETL_WAREHOUSE?"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(value), std::string::npos) << "the value was shown";
  // Declared variables get no warning.
  ProcessResult ok = RunEtl({"status"}, {{"MATOMO_ETL_LOOKBACK_DAYS", "2"}}, cwd.str(), 30);
  EXPECT_EQ(ok.err.find("unknown environment variable"), std::string::npos) << ok.err;
}

}  // namespace
}  // namespace metl::e2e
