// Helpers of the extract end-to-end tests: run an extraction against matomo-sim, snapshot a
// landing zone, and fetch what the simulator serves directly for comparison.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "harness.h"

namespace metl::e2e {

// What identifies a landed partition's content (timestamps aside).
struct LandedPartition {
  int64_t visits = 0;
  std::string content_sha256;
  std::string status;
  bool operator==(const LandedPartition&) const = default;
};
using LandingSnapshot = std::map<std::pair<int64_t, std::string>, LandedPartition>;  // (site, date)

LandingSnapshot SnapshotLanding(const std::string& landing);
// Lines of a landed partition, in landed order.
std::vector<std::string> LandedLines(const std::string& landing, int64_t site, const std::string& date);
// idVisit -> the visit's bytes, fetched with filter_limit=-1 straight from the simulator.
std::map<int64_t, std::string> DirectVisits(const std::string& url, int64_t site, const std::string& date);
int64_t DirectNbVisits(const std::string& url, int64_t site, const std::string& date);
int64_t IdVisitOf(const std::string& visit_json);

// Runs `matomo-etl extract` with the test token and fast retries.
ProcessResult RunExtract(const std::string& url, const std::string& landing, const std::vector<std::string>& extra,
                         const Env& env = {});

}  // namespace metl::e2e
