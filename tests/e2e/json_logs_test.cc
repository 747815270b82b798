// --log-format json (issue 17): every line a command writes on stderr is one JSON object — progress,
// summaries, warnings and errors included — and numbers are JSON numbers, never strings. stdout keeps
// what the command reports (status, verify, check); the extract and load summaries are log events.
// Runs sync, extract, load, status, verify and check against matomo-sim, then the failure paths.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <signal.h>

#include <chrono>
#include <regex>
#include <thread>

#include "harness.h"
#include "landing_fixture.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

constexpr const char* kNow = "2026-11-27 08:00:00";
const char* kReference = METL_SOURCE_DIR "/tests/data/matomo-5.1.2/";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

// Every line of `err` parses as a JSON object with time, level and message; no field holds a number
// as a string. Returns the lines.
std::vector<std::string> ExpectJsonLines(const std::string& what, const std::string& err) {
  static const std::regex kNumberText("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
  std::vector<std::string> lines = Lines(err);
  simdjson::dom::parser parser;
  for (const std::string& line : lines) {
    SCOPED_TRACE(what + ": " + line);
    simdjson::dom::object event;
    if (parser.parse(line).get_object().get(event) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not a JSON object";
      continue;
    }
    for (const char* key : {"time", "level", "message"}) {
      EXPECT_TRUE(event[key].is_string()) << key;
    }
    for (auto field : event) {
      std::string_view text;
      if (field.value.get_string().get(text) != simdjson::SUCCESS) continue;
      if (field.key == "message" || field.key == "matomo_version") continue;
      EXPECT_FALSE(std::regex_match(std::string(text), kNumberText))
          << "field " << field.key << " is a number written as a string";
    }
  }
  return lines;
}

// The first event whose message is `message`, as its JSON text ("" when none).
std::string Event(const std::vector<std::string>& lines, const std::string& message) {
  for (const auto& line : lines) {
    if (line.find("\"message\":\"" + message + "\"") != std::string::npos) return line;
  }
  return "";
}

// A numeric field of an event (fails when absent or not a JSON number).
int64_t Number(const std::string& event, const char* key) {
  simdjson::dom::parser parser;
  int64_t v = -1;
  EXPECT_EQ(parser.parse(event)[key].get_int64().get(v), simdjson::SUCCESS) << key << " in " << event;
  return v;
}

TEST(JsonLogs, EveryCommandLogsOnlyJsonWithNumbersAsNumbers) {
  TempDir tmp;
  SimServer sim({"--sites", "2", "--visits-per-day", "30", "--now", kNow});
  const std::string landing = (tmp.path() / "landing").string();
  const std::string wh = "duckdb:" + (tmp.path() / "w.duckdb").string();
  const Env env{{"MATOMO_TOKEN_AUTH", SimServer::kToken}};
  const std::vector<std::string> where{"--url", sim.url(), "--landing", landing, "--warehouse", wh,
                                       "--from", "2026-11-24", "--to", "2026-11-25", "--now", kNow,
                                       "--log-format", "json"};
  auto run = [&](const std::string& cmd, std::vector<std::string> args, const Env& e) {
    args.insert(args.begin(), cmd);
    return RunEtl(args, e);
  };

  // sync: the progress display is off even when asked for, the summaries are events, stdout is empty.
  std::vector<std::string> args = where;
  args.insert(args.end(), {"--progress", "always"});
  ProcessResult r = run("sync", args, env);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  auto lines = ExpectJsonLines("sync", r.err);
  std::string extract = Event(lines, "extract summary");
  ASSERT_NE(extract, "") << r.err;
  EXPECT_EQ(Number(extract, "landed"), 4);
  EXPECT_EQ(Number(extract, "failed"), 0);
  EXPECT_GT(Number(extract, "requests"), 0);
  std::string load = Event(lines, "load summary");
  ASSERT_NE(load, "") << r.err;
  EXPECT_EQ(Number(load, "loaded"), 4);
  const int64_t visits = Number(load, "visits");
  EXPECT_GT(visits, 0);
  std::string done = Event(lines, "partition done");
  ASSERT_NE(done, "") << r.err;
  EXPECT_GE(Number(done, "site"), 1);
  EXPECT_GE(Number(done, "visits"), 0);
  std::string loaded = Event(lines, "loaded");
  ASSERT_NE(loaded, "") << r.err;
  EXPECT_GT(Number(loaded, "rows"), 0);

  // extract and load again: nothing new, said as JSON; the configuration from the environment.
  Env env_json = env;
  env_json["MATOMO_ETL_LOG_FORMAT"] = "json";
  r = RunEtl({"extract", "--url", sim.url(), "--landing", landing, "--from", "2026-11-24", "--to", "2026-11-25",
              "--now", kNow},
             env_json);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(Number(Event(ExpectJsonLines("extract", r.err), "extract summary"), "unchanged"), 4);
  r = RunEtl({"load", "--landing", landing, "--warehouse", wh, "--log-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(Number(Event(ExpectJsonLines("load", r.err), "load summary"), "unchanged"), 4);

  // Reports stay on stdout; stderr is still JSON only.
  r = RunEtl({"status", "--landing", landing, "--warehouse", wh, "--from", "2026-11-24", "--to", "2026-11-25",
              "--now", kNow, "--log-format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("2026-11-25"), std::string::npos) << r.out;
  ExpectJsonLines("status", r.err);
  r = RunEtl({"verify", "--url", sim.url(), "--warehouse", wh, "--from", "2026-11-24", "--to", "2026-11-25",
              "--log-format", "json"},
             env);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("verified 4 partition(s)"), std::string::npos) << r.out;
  ExpectJsonLines("verify", r.err);
  r = RunEtl({"check", "--url", sim.url(), "--landing", landing, "--now", kNow, "--log-format", "json"}, env);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("token accepted"), std::string::npos) << r.out;
  ExpectJsonLines("check", r.err);
}

TEST(JsonLogs, ErrorsAndFailedPartitionsAreJsonToo) {
  TempDir tmp;
  const std::string landing = (tmp.path() / "landing").string();
  const std::string wh = "duckdb:" + (tmp.path() / "w.duckdb").string();

  // A partition that does not parse: the load fails it alone, and says so in JSON.
  LandJsonArray(landing, 1, "2026-11-25", "UTC", ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"),
                {"{not json"});
  ProcessResult r = RunEtl({"load", "--landing", landing, "--warehouse", wh, "--log-format", "json"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  auto lines = ExpectJsonLines("load with a bad partition", r.err);
  std::string summary = Event(lines, "load summary");
  ASSERT_NE(summary, "") << r.err;
  EXPECT_EQ(Number(summary, "failed"), 1);
  EXPECT_EQ(Number(summary, "exit_code"), 3);
  std::string failed = Event(lines, "load: partition failed");
  ASSERT_NE(failed, "") << r.err;
  EXPECT_EQ(Number(failed, "site"), 1);

  // Errors before anything runs: no token, an unknown flag, a Matomo that refuses connections, a bad query.
  r = RunEtl({"extract", "--url", "http://127.0.0.1:9/", "--landing", landing, "--log-format", "json"},
             {{"MATOMO_TOKEN_AUTH", "\x01"}});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  lines = ExpectJsonLines("no token", r.err);
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines.back().find("\"level\":\"error\""), std::string::npos) << r.err;
  EXPECT_NE(lines.back().find("\"hint\":"), std::string::npos) << r.err;

  r = RunEtl({"sync", "--no-such-flag", "--log-format", "json"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  lines = ExpectJsonLines("unknown flag", r.err);
  EXPECT_NE(r.err.find("--no-such-flag"), std::string::npos) << r.err;

  r = RunEtl({"check", "--url", "http://127.0.0.1:9/", "--landing", landing, "--max-retries", "0", "--log-format",
              "json"},
             {{"MATOMO_TOKEN_AUTH", "some-token"}});
  EXPECT_NE(r.exit_code, 0) << r.out << r.err;
  ExpectJsonLines("unreachable Matomo", r.err);

  r = RunEtl({"sql", "--warehouse", wh, "--log-format", "json", "SELECT nope FROM matomo_visits"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  lines = ExpectJsonLines("bad query", r.err);
  ASSERT_EQ(lines.size(), 1u) << r.err;
  EXPECT_NE(lines[0].find("\"level\":\"error\""), std::string::npos) << r.err;
  EXPECT_NE(lines[0].find("nope"), std::string::npos) << r.err;
}

// A run stopped by SIGTERM says so in JSON too (the signal handler's own line).
TEST(JsonLogs, SigtermIsSaidInJson) {
  TempDir tmp;
  SimServer sim({"--sites", "1", "--visits-per-day", "30", "--now", kNow, "--latency-ms", "300"});
  BackgroundProcess p({EtlBin(), "sync", "--url", sim.url(), "--landing", (tmp.path() / "landing").string(),
                       "--warehouse", "duckdb:" + (tmp.path() / "w.duckdb").string(), "--from", "2026-11-10", "--to",
                       "2026-11-25", "--now", kNow, "--concurrency", "1", "--log-format", "json"},
                      {{"MATOMO_TOKEN_AUTH", SimServer::kToken}});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (p.Stderr().find("\"message\":\"extracting\"") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  p.Signal(SIGTERM);
  EXPECT_EQ(p.Wait(60), 128 + SIGTERM) << p.Stderr();
  auto lines = ExpectJsonLines("sync stopped by SIGTERM", p.Stderr());
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines.back().find("\"message\":\"stopped by SIGTERM\",\"signal\":15"), std::string::npos) << p.Stderr();
  EXPECT_EQ(Number(lines.back(), "signal"), 15);
}

}  // namespace
}  // namespace metl::e2e
