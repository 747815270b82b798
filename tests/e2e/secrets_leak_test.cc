// Secrets (issue 7): after runs with every kind of fault injected, and with a bad token, the Matomo
// token appears nowhere: not in the landing zone, the warehouse files, stdout/stderr, the
// simulator's request log (URLs and parameters), nor the running process's argument list. TLS
// verification can only be turned off with a flag that warns.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "harness.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;
constexpr const char* kNow = "2026-11-27 08:00:00";
constexpr const char* kBadToken = "bad-secret-token-4f1e9a7c0b2d";

void ExpectAbsent(const std::string& where, const std::string& text, const std::string& secret) {
  EXPECT_EQ(text.find(secret), std::string::npos) << "secret leaked into " << where;
}

void ExpectNoFileHolds(const fs::path& dir, const std::string& secret) {
  if (!fs::exists(dir)) return;
  EXPECT_EQ(FilesContaining(dir, secret), std::vector<std::string>{}) << "secret leaked into files under " << dir;
}

class Secrets : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  void SetUp() override {
    landing_ = (tmp_.path() / "landing").string();
    log_ = (tmp_.path() / "requests.jsonl").string();
    url_ = GetParam().FreshUrl(tmp_);
  }
  TempDir tmp_;
  std::string landing_, log_, url_;
};

TEST_P(Secrets, TokenAppearsNowhereAfterARunWithEveryFault) {
  SimServer sim({"--sites", "2", "--visits-per-day", "60", "--now", kNow, "--request-log", log_, "--fail-5xx",
                 "every:5", "--php-fatal", "every:7", "--cut-body", "every:6", "--random-errors", "every:9",
                 "--rate-limit", "200"});
  ProcessResult r = RunEtl({"sync", "--url", sim.url(), "--landing", landing_, "--warehouse", url_, "--from",
                            "2026-11-24", "--to", "2026-11-26", "--now", kNow, "--page-size", "100",
                            "--retry-delay-ms", "1", "--log-level", "debug"},
                           {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string requests = ReadFile(log_);
  // The faults really happened, and were survived.
  EXPECT_NE(requests.find("\"fault\":\"fail_5xx\""), std::string::npos);
  EXPECT_NE(requests.find("\"fault\":\"cut_body\""), std::string::npos);
  EXPECT_NE(requests.find("\"fault\":\"php_fatal\""), std::string::npos);
  EXPECT_NE(requests.find("\"fault\":\"random_error\""), std::string::npos);

  ExpectAbsent("stdout", r.out, SimServer::kToken);
  ExpectAbsent("stderr (debug level)", r.err, SimServer::kToken);
  ExpectAbsent("the request log (URLs and params)", requests, SimServer::kToken);
  EXPECT_EQ(requests.find("\"token_in_query\":true"), std::string::npos) << "the token travelled in a URL";
  ExpectNoFileHolds(landing_, SimServer::kToken);
  ExpectNoFileHolds(tmp_.path(), SimServer::kToken);  // the DuckDB file and anything else written
  if (GetParam().engine == "postgres") {
    // The raw visits and every other text column: search the whole schema's text.
    std::string dump = DumpTables(url_, {"matomo_raw_visits", "matomo_visits", "matomo_etl_partitions"});
    ExpectAbsent("the PostgreSQL tables", dump, SimServer::kToken);
  }
}

METL_INSTANTIATE_WAREHOUSE_SUITE(Secrets);

TEST(SecretsE2E, BadTokenIsNeverEchoedAnywhere) {
  TempDir tmp;
  std::string landing = (tmp.path() / "landing").string();
  std::string log = (tmp.path() / "requests.jsonl").string();
  SimServer sim({"--sites", "1", "--visits-per-day", "10", "--now", kNow, "--request-log", log});
  // From the environment and from a token_file: both paths of ResolveMatomoToken.
  fs::path token_file = tmp.path() / "token";
  WriteFile(token_file, std::string(kBadToken) + "\n");
  fs::permissions(token_file, fs::perms::owner_read | fs::perms::owner_write);
  std::vector<ProcessResult> runs;
  for (const auto& cmd : {"extract", "sync", "check"}) {
    std::vector<std::string> args{cmd, "--url", sim.url(), "--now", kNow, "--log-level", "debug"};
    if (std::string(cmd) != "check") {
      args.insert(args.end(), {"--landing", landing});
      if (std::string(cmd) == "sync") args.insert(args.end(), {"--warehouse", "duckdb:" + (tmp.path() / "w.duckdb").string()});
    }
    runs.push_back(RunEtl(args, {{"MATOMO_TOKEN_AUTH", kBadToken}}));
    args.insert(args.end(), {"--token-file", token_file.string()});
    runs.push_back(RunEtl(args, {{"MATOMO_TOKEN_AUTH", "\x01"}}));
  }
  for (const auto& r : runs) {
    EXPECT_NE(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.err.find("Matomo rejected the token"), std::string::npos) << r.err;
    ExpectAbsent("stdout", r.out, kBadToken);
    ExpectAbsent("stderr", r.err, kBadToken);
  }
  ExpectAbsent("the request log", ReadFile(log), kBadToken);
  ExpectNoFileHolds(landing, kBadToken);
  EXPECT_FALSE(fs::exists(tmp.path() / "w.duckdb") && !FilesContaining(tmp.path() / "w.duckdb", kBadToken).empty());
}

TEST(SecretsE2E, ArgvOfTheRunningProcessNeverHoldsTheToken) {
  TempDir tmp;
  // Slow answers keep the extract running long enough to read its /proc/PID/cmdline.
  SimServer sim({"--sites", "1", "--visits-per-day", "20", "--now", kNow, "--latency-ms", "300"});
  BackgroundProcess p({EtlBin(), "extract", "--url", sim.url(), "--landing", (tmp.path() / "landing").string(),
                       "--now", kNow, "--backfill-days", "3", "--concurrency", "1"},
                      {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  std::string cmdline;
  for (int i = 0; i < 50 && cmdline.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    cmdline = ReadFile("/proc/" + std::to_string(p.pid()) + "/cmdline");
  }
  ASSERT_FALSE(cmdline.empty());
  EXPECT_NE(cmdline.find("extract"), std::string::npos);
  ExpectAbsent("/proc/PID/cmdline", cmdline, SimServer::kToken);
  // No flag takes the token at all: it cannot be passed on a command line by mistake.
  ProcessResult r = RunEtl({"check", "--url", sim.url(), "--token", SimServer::kToken});
  EXPECT_NE(r.exit_code, 0);
  ExpectAbsent("stderr of a rejected --token flag", r.err, SimServer::kToken);
  EXPECT_EQ(p.Wait(60), 0) << p.Stderr();
}

TEST(SecretsE2E, TokenInTheConfigFileIsRefused) {
  TempDir tmp;
  fs::path config = tmp.path() / "matomo-etl.toml";
  WriteFile(config, std::string("url = \"http://127.0.0.1:1/\"\ntoken_auth = \"") + kBadToken + "\"\n");
  ProcessResult r = RunEtl({"check", "--config", config.string()}, {{"MATOMO_TOKEN_AUTH", "x"}});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("never read from the config file"), std::string::npos) << r.err;
  ExpectAbsent("stderr", r.err, kBadToken);
}

TEST(SecretsE2E, TlsVerificationOffOnlyWithAWarning) {
  SimServer sim({"--sites", "1", "--visits-per-day", "5", "--now", kNow});
  Env env{{"MATOMO_TOKEN_AUTH", SimServer::kToken}};
  ProcessResult plain = RunEtl({"check", "--url", sim.url(), "--now", kNow}, env);
  EXPECT_EQ(plain.err.find("TLS certificate verification is OFF"), std::string::npos) << plain.err;
  for (const auto& way : std::vector<std::pair<std::vector<std::string>, Env>>{
           {{"--insecure-skip-tls-verify"}, {}}, {{}, {{"MATOMO_ETL_INSECURE_SKIP_TLS_VERIFY", "true"}}}}) {
    std::vector<std::string> args{"check", "--url", sim.url(), "--now", kNow};
    args.insert(args.end(), way.first.begin(), way.first.end());
    Env e = env;
    e.insert(way.second.begin(), way.second.end());
    ProcessResult r = RunEtl(args, e);
    EXPECT_NE(r.err.find("TLS certificate verification is OFF"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace metl::e2e
