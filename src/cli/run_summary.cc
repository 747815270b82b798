#include "cli/run_summary.h"

#include <cstdio>

#include "core/exit_codes.h"
#include "core/log.h"

namespace metl::cli {
namespace {

bool JsonLogs() { return CurrentLogFormat() == LogFormat::kJson; }

constexpr const char* kExtractRetryHint =
    "Failed partitions are retried by the next run (they stay due until they land).";
constexpr const char* kLoadRetryHint =
    "Fix the cause and run the same command again: loaded partitions are skipped, failed ones retried.";

}  // namespace

int PrintExtractSummary(const extract::ExtractSummary& s) {
  if (!JsonLogs()) {
    std::fputs(extract::FormatSummary(s).c_str(), stdout);
    return s.exit_code;
  }
  const LogLevel level = s.failed ? LogLevel::kError : s.mismatched ? LogLevel::kWarn : LogLevel::kInfo;
  Log(level, "extract summary",
      {{"partitions", s.partitions.size()}, {"landed", s.landed}, {"unchanged", s.unchanged},
       {"mismatch", s.mismatched}, {"failed", s.failed}, {"visits", s.visits}, {"requests", s.requests},
       {"retries", s.retries}, {"rate_limited", s.rate_limited}, {"seconds", s.seconds},
       {"exit_code", s.exit_code}, {"hint", s.failed ? kExtractRetryHint : ""}});
  for (const auto& o : s.partitions) {
    if (o.result != extract::PartitionResult::kFailed && o.result != extract::PartitionResult::kMismatch) continue;
    const bool failed = o.result == extract::PartitionResult::kFailed;
    Log(failed ? LogLevel::kError : LogLevel::kWarn,
        failed ? "extract: partition failed" : "extract: partition mismatch",
        {{"site", o.site_id}, {"date", o.date.ToString()}, {"error", o.error}});
  }
  return s.exit_code;
}

int PrintLoadSummary(const warehouse::LoadSummary& s, const std::string& where) {
  const int rc = s.failed > 0 ? kExitPartitionsFailed : kExitOk;
  if (JsonLogs()) {
    Log(s.failed ? LogLevel::kError : LogLevel::kInfo, "load summary",
        {{"loaded", s.loaded}, {"unchanged", s.skipped}, {"failed", s.failed}, {"visits", s.visits},
         {"rows", s.rows}, {"seconds", s.seconds}, {"warehouse", where}, {"exit_code", rc},
         {"hint", s.failed ? kLoadRetryHint : ""}});
    for (const auto& p : s.partitions) {
      if (p.result != warehouse::PartitionResult::kFailed || !p.error) continue;
      LogError("load: partition failed", {{"site", p.key.site_id}, {"date", p.key.date.ToString()},
                                          {"error", p.error->ToString()}});
    }
    return rc;
  }
  std::printf("loaded %d partition%s (%lld visits, %lld rows) into %s in %.1f s; %d unchanged; %d failed\n",
              s.loaded, s.loaded == 1 ? "" : "s", static_cast<long long>(s.visits), static_cast<long long>(s.rows),
              where.c_str(), s.seconds, s.skipped, s.failed);
  for (const auto& p : s.partitions) {
    if (p.result != warehouse::PartitionResult::kFailed || !p.error) continue;
    std::printf("  FAILED %s\n", p.error->ToString().c_str());
  }
  if (s.failed > 0) std::printf("%s\n", kLoadRetryHint);
  return rc;
}

}  // namespace metl::cli
