// `matomo-etl dwc sync`, the DWC daily job: `dwc extract` (the export's new or changed files into
// <landing>/dwc/, a local folder or gs://) then `dwc load` (those files into the curated tables),
// the same steps and options as the two commands (cli/dwc_steps.h), and a run summary of both.
// Exit code: extract's when it stopped the run (2: configuration or credentials; 1: internal),
// else extract's 3 (some files did not land: the others are loaded all the same), else load's
// (3 when a file or a day failed), else 0.
#include <cstdio>

#include "cli/commands.h"
#include "cli/dwc_steps.h"
#include "cli/load_common.h"
#include "core/exit_codes.h"

namespace metl::cli {

int RunDwcSync(CommandContext& ctx) {
  // Fail fast, before any download, on what would stop the load step anyway.
  if (ctx.config.Has("from_dir") && !ctx.config.String("from_dir").empty()) {
    ReportError(Error(ErrorKind::kConfig, "dwc sync loads the files it lands: --from-dir does not apply to it")
                    .WithHint("load a folder of your own with `matomo-etl dwc load --from-dir DIR`"));
    return kExitUsage;
  }
  if (Status models_ok = CheckModelOptions(ctx.config); !models_ok.ok()) {
    ReportError(models_ok.error());
    return kExitUsage;
  }
  if (auto where = warehouse::CheckWarehouseUrl(ctx.config.String("warehouse")); !where.ok()) {
    ReportError(where.error());
    return ExitCodeFor(where.error());
  }

  DwcExtractStep extracted = RunDwcExtractStep(ctx);
  if (extracted.rc != kExitOk && extracted.rc != kExitPartitionsFailed) return extracted.rc;
  DwcLoadStep loaded = RunDwcLoadStep(ctx);
  const int rc = extracted.rc != kExitOk ? extracted.rc : loaded.rc;

  const auto& x = extracted.summary;
  std::printf(
      "dwc sync: %lld files listed, %lld landed, %lld already landed, %lld deleted before download, %lld failed to "
      "land; %lld files in the mirror, %lld loaded (new or changed), %lld failed to load; %lld days rebuilt: %lld "
      "partitions loaded, %lld unchanged, %lld failed; custom dimensions from %s; exit %d\n",
      static_cast<long long>(x.listed), static_cast<long long>(x.landed), static_cast<long long>(x.skipped),
      static_cast<long long>(x.vanished), static_cast<long long>(x.failed), static_cast<long long>(loaded.files),
      static_cast<long long>(loaded.fresh), static_cast<long long>(loaded.failed_files),
      static_cast<long long>(loaded.days), static_cast<long long>(loaded.partitions_loaded),
      static_cast<long long>(loaded.partitions_unchanged), static_cast<long long>(loaded.partitions_failed),
      !loaded.dimensions_asked ? "(not needed)"
      : loaded.dimensions == dwc::DimensionSource::kApi ? "the API"
      : loaded.dimensions == dwc::DimensionSource::kConfig ? "the config"
      : loaded.dimensions == dwc::DimensionSource::kFile ? "the file" : "nowhere (none known)",
      rc);
  return rc;
}

}  // namespace metl::cli
