// `matomo-etl sync`, the daily job: extract (the `extract` command, same flags and exit codes),
// then load what landed, refresh matomo_sites / matomo_goals from the API, and rebuild the models.
// Exit code: extract's when it is not OK (2: nothing ran; 3: some partitions failed; 4: a day
// landed as `mismatch`), else load's (3 when a partition failed to load), else 0.
#include <cstdio>
#include <set>

#include "cli/api_tables.h"
#include "cli/commands.h"
#include "cli/load_common.h"
#include "core/exit_codes.h"
#include "core/log.h"
#include "extract/extract_run.h"
#include "matomo/client.h"

namespace metl::cli {

int RunSync(CommandContext& ctx) {
  // Fail fast on a bad --warehouse before spending Matomo requests.
  auto wh = OpenConfiguredWarehouse(ctx.config);
  if (!wh.ok()) {
    ReportError(wh.error());
    return ExitCodeFor(wh.error());
  }
  int extract_rc = RunExtract(ctx);
  if (extract_rc == kExitUsage || extract_rc == kExitInternal) return extract_rc;

  warehouse::LoadOptions options = LoadOptionsFromConfig(ctx.config);
  auto summary = warehouse::LoadPartitions(**wh, options, *ctx.clock);
  if (!summary.ok()) {
    ReportError(summary.error());
    return kExitInternal;
  }
  int load_rc = PrintLoadSummary(*summary, (*wh)->Describe());

  // Sites and goals of every site in the landing zone (or asked for).
  std::set<int64_t> sites;
  for (const auto& p : summary->partitions) sites.insert(p.key.site_id);
  if (ctx.config.Has("site")) {
    for (int64_t s : ctx.config.IntList("site")) sites.insert(s);
  }
  auto client = extract::MakeClient(ctx.config, ctx.env);
  auto session = (*wh)->Connect();
  if (!client.ok() || !session.ok()) {  // said, not silently skipped: the tables would be stale
    LogWarn("could not refresh matomo_sites and matomo_goals",
            {{"error", (!client.ok() ? client.error() : session.error()).ToString()}});
    if (load_rc == kExitOk) load_rc = kExitPartitionsFailed;
  } else {
    Status st = RefreshApiTables(**client, **session, std::vector<int64_t>(sites.begin(), sites.end()),
                                 ctx.clock->NowEpochSeconds());
    if (!st.ok()) {
      LogWarn("could not refresh matomo_sites and matomo_goals", {{"error", st.error().ToString()}});
      if (load_rc == kExitOk) load_rc = kExitPartitionsFailed;
    }
  }
  if (extract_rc != kExitOk) return extract_rc;
  return load_rc;
}

}  // namespace metl::cli
