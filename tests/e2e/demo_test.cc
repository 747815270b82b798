// `matomo-etl demo` (what `make run` runs): its simulator never outlives it.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "harness.h"

namespace metl::e2e {
namespace {

// The pid of a running matomo-sim whose parent is `parent`, or -1.
pid_t SimChildOf(pid_t parent) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string pid, comm, state;
    long ppid = 0;
    if (!(stat >> pid >> comm >> state >> ppid)) continue;
    if (ppid == parent && comm == "(matomo-sim)" && state != "Z") return static_cast<pid_t>(std::stol(pid));
  }
  return -1;
}

bool Alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string p, comm, state;
  return (stat >> p >> comm >> state) && state != "Z";
}

TEST(Demo, KilledDemoTakesItsSimulatorWithIt) {
  TempDir dir;
  BackgroundProcess demo({EtlBin(), "demo", "--demo-dir", dir.str() + "/demo"}, {}, dir.str());
  pid_t sim = -1;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (sim < 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    sim = SimChildOf(demo.pid());
  }
  ASSERT_GT(sim, 0) << "the demo never started matomo-sim; stderr: " << demo.Stderr();
  demo.Signal(SIGKILL);
  EXPECT_EQ(demo.Wait(30), 128 + SIGKILL);
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (Alive(sim) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_FALSE(Alive(sim)) << "matomo-sim (pid " << sim << ") outlived the killed demo";
  if (Alive(sim)) kill(sim, SIGKILL);
}

// The demo's "query it" hints run as printed: `matomo-etl sql`, not a DuckDB CLI nobody installed.
TEST(Demo, PrintsQueriesThatRunAsPrinted) {
  TempDir dir;
  ProcessResult demo = RunEtl({"demo", "--demo-dir", dir.str() + "/demo"}, {}, dir.str(), 600);
  ASSERT_EQ(demo.exit_code, 0) << demo.out << demo.err;
  EXPECT_EQ(demo.out.find("  duckdb "), std::string::npos) << "a hint needs the DuckDB CLI:\n" << demo.out;
  int ran = 0;
  for (size_t pos = demo.out.find(" sql --warehouse "); pos != std::string::npos;
       pos = demo.out.find(" sql --warehouse ", pos + 1)) {
    // "  PROGRAM sql --warehouse duckdb:PATH \\\n    \"SELECT ...\"\n"
    size_t line_start = demo.out.rfind('\n', pos) + 1;
    std::string program = demo.out.substr(line_start, pos - line_start);
    program.erase(0, program.find_first_not_of(' '));
    size_t url_start = pos + std::string(" sql --warehouse ").size();
    std::string url = demo.out.substr(url_start, demo.out.find(' ', url_start) - url_start);
    size_t q1 = demo.out.find('"', url_start), q2 = demo.out.find("\"\n", q1 + 1);
    ASSERT_NE(q1, std::string::npos);
    ASSERT_NE(q2, std::string::npos);
    std::string sql = demo.out.substr(q1 + 1, q2 - q1 - 1);
    SCOPED_TRACE(program + " sql --warehouse " + url + " \"" + sql + "\"");
    ProcessResult r = RunProcess({program.front() == '/' ? program : dir.str() + "/" + program, "sql", "--warehouse",
                                  url, sql},
                                 {}, dir.str());
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find(" rows)\n"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("(0 rows)"), std::string::npos) << r.out;
    ++ran;
  }
  EXPECT_EQ(ran, 2) << demo.out;
}

}  // namespace
}  // namespace metl::e2e
