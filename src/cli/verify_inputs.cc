#include "cli/verify_inputs.h"

#include <algorithm>
#include <cstdio>

#include "cli/load_common.h"
#include "core/exit_codes.h"
#include "extract/extract_run.h"

namespace metl::cli {
namespace {

// Loaded partitions in range whose source is the DWC, read without creating or migrating anything
// (0 when the warehouse does not exist yet or has no ledger).
size_t DwcPartitionsInRange(const Config& config, warehouse::Warehouse& wh) {
  auto where = warehouse::CheckWarehouseUrl(config.String("warehouse"));
  if (!where.ok() || (!where->file.empty() && !where->file_exists)) return 0;
  auto session = wh.Connect();
  if (!session.ok()) return 0;
  landing::PartitionFilter filter = FilterFromConfig(config);
  auto ledger = warehouse::ReadLedger(**session, filter.sites, filter.from, filter.to);
  if (!ledger.ok()) return 0;
  return static_cast<size_t>(std::count_if(ledger->begin(), ledger->end(), [](const warehouse::LedgerEntry& e) {
    return e.status == warehouse::kLedgerLoaded && e.source == "dwc";
  }));
}

// The DWC path runs without Matomo's URL or token; verify cannot: say what it needs and why. Matomo's
// aggregates are the reference whichever exit loaded a day: the export holds raw rows only (the very
// rows the warehouse was built from), never Matomo's figures.
Error NeedsMatomoForDwc(const Error& cause, size_t dwc) {
  ErrorContext context = cause.context();
  context.hint =
      "verify compares the warehouse with Matomo's own aggregates (VisitsSummary.get, Actions.get, Goals.get), "
      "which the export does not hold: set url (--url, or url = \"https://example.matomo.cloud/\" in "
      "matomo-etl.toml) and a token with view access to the sites (MATOMO_TOKEN_AUTH or token_file); docs/dwc.md";
  return Error(cause.kind(),
               std::to_string(dwc) + " partition(s) to verify were loaded from the DWC export, and " + cause.message(),
               context);
}

}  // namespace

std::optional<int> OpenVerifyInputs(CommandContext& ctx, VerifyInputs& in) {
  auto wh = OpenConfiguredWarehouse(ctx.config);
  if (!wh.ok()) {
    ReportError(wh.error());
    return ExitCodeFor(wh.error());
  }
  in.warehouse = std::move(wh).value();
  auto client = extract::MakeClient(ctx.config, ctx.env);
  if (!client.ok()) {
    Error e = client.error();
    if (size_t dwc = DwcPartitionsInRange(ctx.config, *in.warehouse); dwc > 0) e = NeedsMatomoForDwc(std::move(e), dwc);
    ReportError(e);
    return ExitCodeFor(e);
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
