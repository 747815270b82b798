// Helpers shared by the generator's unit tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "sim/generated_dataset.h"

namespace metl::sim::testing {

// The reference responses live in the repository (tests/data), never in ../shared.
inline std::string ReferenceDir() { return std::string(METL_SOURCE_DIR) + "/tests/data/matomo-5.1.2"; }

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline GeneratorOptions TestOptions(int visits_per_day = 150) {
  GeneratorOptions o;
  o.seed = 42;
  o.sites = 2;
  o.visits_per_day = visits_per_day;
  o.from = CivilDate::FromYmd(2026, 10, 25);
  o.to = CivilDate::FromYmd(2026, 11, 30);
  return o;
}

}  // namespace metl::sim::testing
