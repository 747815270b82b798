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

}  // namespace
}  // namespace metl::e2e
