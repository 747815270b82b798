// A sync into BigQuery with the landing zone on gs:// (issue 13), through the real binaries:
// matomo-sim serves Matomo, google-fake the token endpoint, Cloud Storage and BigQuery, and the tool
// authenticates with a service-account key. The load files are staged in the landing bucket under
// _staging/ (no media upload) and deleted after the publish; a staging bucket in another location
// than the dataset is refused with a message naming both; and no secret (the private key, the signed
// JWT assertions, the access tokens: google-fake's --secrets-log says exactly which) appears in the
// landing zone, the warehouse, the outputs, the running process's argv, the fake's request log or a
// file left on disk.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <thread>

#include "harness.h"
#include "objstore/object_store.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;
constexpr const char* kNow = "2026-11-05 12:00:00";

// The lines "assertion X" / "token Y" of google-fake's --secrets-log, and a slice of the key's body.
std::vector<std::string> Secrets(const std::string& secrets_log, const std::string& key_file) {
  std::vector<std::string> out;
  std::istringstream in(ReadFile(secrets_log));
  std::string kind, value;
  while (in >> kind >> value) out.push_back(value);
  std::string pem = ReadFile(key_file);
  size_t body = pem.find("PRIVATE KEY-----\\n");
  EXPECT_NE(body, std::string::npos);
  out.push_back(pem.substr(body + 18, 40));
  out.push_back(pem.substr(pem.size() / 2, 40));
  return out;
}

TEST(BigQueryGcsSync, StagesInTheLandingBucketDeletesTheFilesAndLeaksNoSecret) {
  SimServer sim(
      {"--sites", "2", "--visits-per-day", "40", "--from", "2026-11-03", "--to", "2026-11-04", "--now", kNow});
  TempDir dir;
  const std::string key = (dir.path() / "sa-key.json").string(), log = (dir.path() / "requests.jsonl").string(),
                    secrets_log = (dir.path() / "secrets.txt").string();
  BackgroundProcess fake({GFAKE_BIN_PATH, "--write-test-key", key, "--bucket", "land-bkt:EU", "--bucket", "us-bkt:US",
                          "--request-log", log, "--secrets-log", secrets_log});
  std::string base = fake.ReadFirstLine();
  ASSERT_TRUE(base.starts_with("http://127.0.0.1:")) << base << fake.Stderr();
  const std::string host = base.substr(7, base.size() - 8);
  const Env env = {{"STORAGE_EMULATOR_HOST", host},
                   {"BIGQUERY_EMULATOR_HOST", host},
                   {"GOOGLE_APPLICATION_CREDENTIALS", key},
                   {"MATOMO_TOKEN_AUTH", SimServer::kToken}};
  for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);  // for the checks made from this process

  const std::string gs = "gs://land-bkt/landing";
  const std::string url = "bigquery://metl-test-project/matomo?location=EU";
  const std::vector<std::string> argv = {EtlBin(),       "sync",  "--url",      sim.url(), "--landing",       gs,
                                         "--warehouse",  url,     "--now",      kNow,      "--backfill-days", "2",
                                         "--page-size",  "100",   "--progress", "never",   "--log-level",     "debug",
                                         "--rate-limit", "100000"};
  // The first run in the background, its argument list read while it runs.
  BackgroundProcess sync(argv, env);
  std::string cmdline;
  for (int i = 0; i < 400 && cmdline.find("matomo-etl") == std::string::npos; ++i) {
    cmdline = ReadFile("/proc/" + std::to_string(sync.pid()) + "/cmdline");
    if (cmdline.find("matomo-etl") == std::string::npos) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_NE(cmdline.find("--landing"), std::string::npos) << "the running process's argv was not read";
  ASSERT_EQ(sync.Wait(240), 0) << sync.Stderr();
  const std::string first_err = sync.Stderr();
  ProcessResult again = RunProcess(argv, env);  // a rerun: extracts the lookback days, loads what changed
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;

  // The same visits as a DuckDB load of the same gs:// landing zone.
  const std::string duck = "duckdb:" + (dir.path() / "same.duckdb").string();
  ProcessResult duck_load = RunEtl({"load", "--landing", gs, "--warehouse", duck}, env);
  ASSERT_EQ(duck_load.exit_code, 0) << duck_load.err;
  EXPECT_GT(QueryInt(duck, "SELECT count(*) FROM matomo_visits"), 100);
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_visits"), QueryInt(duck, "SELECT count(*) FROM matomo_visits"));
  EXPECT_EQ(QueryInt(url, "SELECT count(*) FROM matomo_etl_partitions WHERE status = 'loaded'"), 4);

  // The load files went through the landing bucket's _staging/ prefix, not through BigQuery's media
  // upload, and are gone after the publish.
  const std::string requests = ReadFile(log);
  size_t deleted = 0;
  std::istringstream lines(requests);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"method\":\"DELETE\"") != std::string::npos &&
        line.find("landing/_staging/_metl_stage_") != std::string::npos &&
        line.find("\"status\":204") != std::string::npos)
      ++deleted;
  }
  EXPECT_GE(deleted, 5u) << "the staged files were not deleted from gs://land-bkt/landing/_staging/";
  EXPECT_EQ(requests.find("/upload/bigquery/"), std::string::npos);
  auto store = objstore::OpenObjectStore(gs);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto staged = (*store)->List("_staging/");
  ASSERT_TRUE(staged.ok()) << staged.error().ToString();
  EXPECT_TRUE(staged->empty()) << staged->size() << " staging files left, e.g. " << staged->front().key;

  // No secret anywhere.
  const std::vector<std::string> secrets = Secrets(secrets_log, key);
  ASSERT_GE(secrets.size(), 4u) << "the fake logged no token it issued";
  auto objects = (*store)->List("");
  ASSERT_TRUE(objects.ok());
  EXPECT_FALSE(objects->empty());
  std::vector<std::pair<std::string, std::string>> places = {{"argv", cmdline},
                                                             {"first run's stderr", first_err},
                                                             {"rerun's stdout", again.out},
                                                             {"rerun's stderr", again.err},
                                                             {"the fake's request log", requests}};
  for (const auto& o : *objects) {
    auto content = (*store)->GetString(o.key);
    ASSERT_TRUE(content.ok()) << o.key;
    places.emplace_back("landing object " + o.key, *content);
  }
  Rows raw = QueryWarehouse(url, "SELECT visit FROM matomo_raw_visits");
  std::string raw_text;
  for (const auto& row : raw.rows) raw_text += row[0].value_or("") + "\n";
  EXPECT_FALSE(raw_text.empty());
  places.emplace_back("matomo_raw_visits", raw_text);
  for (const std::string& secret : secrets) {
    for (const auto& [where, text] : places) {
      EXPECT_EQ(text.find(secret), std::string::npos) << "a secret leaked into " << where;
    }
    // Files on disk: the test's folder (but the key itself and the fake's secrets log), and no
    // staging folder of the tool left in TMPDIR.
    for (const std::string& file : FilesContaining(dir.path(), secret)) {
      EXPECT_TRUE(file == key || file == secrets_log) << "a secret leaked into " << file;
    }
  }
  for (const auto& entry : fs::directory_iterator(fs::temp_directory_path())) {
    const std::string name = entry.path().filename().string();
    EXPECT_FALSE(name.starts_with("matomo-etl-bq-" + std::to_string(sync.pid()) + "-")) << name << " left behind";
  }

  // A staging bucket in another location than the dataset: refused, both locations named.
  ProcessResult wrong =
      RunEtl({"load", "--landing", gs, "--warehouse", url + "&staging=gs://us-bkt/stage", "--full-refresh"}, env);
  EXPECT_EQ(wrong.exit_code, 2) << wrong.out << wrong.err;
  EXPECT_NE(wrong.err.find("gs://us-bkt/stage is in US"), std::string::npos) << wrong.err;
  EXPECT_NE(wrong.err.find("is in EU"), std::string::npos) << wrong.err;

  for (const auto& [k, v] : env) ::unsetenv(k.c_str());
}

}  // namespace
}  // namespace metl::e2e
