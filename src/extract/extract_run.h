// The library entry point of extraction, shared by `extract` and `sync`: connect, plan, export the
// due partitions concurrently, and summarise. The commands only print.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/error.h"
#include "extract/partition_export.h"
#include "extract/planner.h"
#include "http/transport.h"
#include "landing/run_lock.h"
#include "matomo/api.h"
#include "matomo/client.h"

namespace metl::extract {

struct ExtractSummary {
  std::string matomo_version;
  std::vector<SiteRef> sites;
  std::vector<PartitionOutcome> partitions;  // in plan order
  int64_t landed = 0, unchanged = 0, failed = 0, mismatched = 0;
  int64_t visits = 0, requests = 0, retries = 0, rate_limited = 0;
  double seconds = 0;
  int exit_code = 0;  // core/exit_codes.h: 0, 3 (some failed) or 4 (a mismatch landed)
  // The landing zone's run lock, still held, with ExtractRunOptions::keep_lock.
  std::shared_ptr<void> run_lock;  // landing::RunLock or landing::ObjectRunLock
};

struct ExtractRunOptions {
  // Acquire the landing zone's run lock (false when the caller, e.g. `sync`, already holds it).
  bool acquire_lock = true;
  // Hand the run lock over in ExtractSummary::run_lock instead of releasing it: `sync` keeps runs on
  // the landing zone serialised through its load (it holds no warehouse while it extracts).
  bool keep_lock = false;
  // Transport to use (tests); null = libcurl with the configured timeouts and TLS options.
  std::shared_ptr<http::Transport> transport;
  // Called after each partition (from worker threads, serialised).
  std::function<void(const PartitionOutcome&)> on_partition;
  // Progress display: "auto" (a terminal), "always", "never"; default from the config's `progress`.
  std::string progress;
};

// A client for the configured Matomo (url, rate_limit, concurrency, retries, timeouts, TLS).
Result<std::unique_ptr<matomo::MatomoClient>> MakeClient(const Config& config, const std::string& token,
                                                         std::shared_ptr<http::Transport> transport = nullptr);
// The same with the token from MATOMO_TOKEN_AUTH in `env` or the configured token_file
// (ResolveMatomoToken): the one way every command builds its client.
Result<std::unique_ptr<matomo::MatomoClient>> MakeClient(const Config& config,
                                                         const std::map<std::string, std::string>& env);

// Matomo's version and the configured sites (`site`, default every site the token can view) with
// their time zones loaded. A site the token cannot view is a kConfig error.
struct Connection {
  std::string matomo_version;
  std::vector<SiteRef> sites;
};
Result<Connection> Connect(matomo::MatomoClient& client, const Config& config);

PlanOptions PlanOptionsFromConfig(const Config& config, const Clock& clock);

// Errors returned here mean nothing ran (config, auth, lock, Matomo unreachable); partition
// failures are in the summary.
Result<ExtractSummary> RunExtraction(const Config& config, const std::string& token, const Clock& clock,
                                     const ExtractRunOptions& options = {});

// Human-readable summary lines (the failed and mismatched partitions with their reasons).
std::string FormatSummary(const ExtractSummary& s);

}  // namespace metl::extract
