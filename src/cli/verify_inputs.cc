#include "cli/verify_inputs.h"

#include <algorithm>
#include <cstdio>

#include "cli/load_common.h"
#include "core/exit_codes.h"
#include "extract/extract_run.h"

namespace metl::cli {

std::optional<int> OpenVerifyInputs(CommandContext& ctx, VerifyInputs& in) {
  auto wh = OpenConfiguredWarehouse(ctx.config);
  if (!wh.ok()) {
    ReportError(wh.error());
    return ExitCodeFor(wh.error());
  }
  in.warehouse = std::move(wh).value();
  auto client = extract::MakeClient(ctx.config, ctx.env);
  if (!client.ok()) {
    ReportError(client.error());
    return ExitCodeFor(client.error());
  }
  in.client = std::move(client).value();
  auto session = ConnectMigrated(*in.warehouse);
  if (!session.ok()) {
    ReportError(session.error());
    return kExitInternal;
  }
  in.session = std::move(session).value();
  landing::PartitionFilter filter = FilterFromConfig(ctx.config);
  auto ledger = warehouse::ReadLedger(*in.session, filter.sites, filter.from, filter.to);
  if (!ledger.ok()) {
    ReportError(ledger.error());
    return kExitInternal;
  }
  for (auto& e : *ledger) {
    if (e.status != warehouse::kLedgerLoaded) continue;
    auto it = in.site_ranges.find(e.key.site_id);
    if (it == in.site_ranges.end()) {
      in.site_ranges[e.key.site_id] = {e.key.date, e.key.date};
    } else {
      it->second.first = std::min(it->second.first, e.key.date);
      it->second.second = std::max(it->second.second, e.key.date);
    }
    in.loaded.push_back(std::move(e));
  }
  if (in.loaded.empty()) {
    std::printf("nothing to verify: no loaded partition in range (run `matomo-etl sync` or `load` first)\n");
    return kExitOk;
  }
  return std::nullopt;
}

}  // namespace metl::cli
