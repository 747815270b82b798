// `matomo-etl dwc extract`: the files of a Data Warehouse Connector export (s3://BUCKET/PREFIX)
// into the landing zone under dwc/, each once (dwc/file_extract.h). `dwc load` reads what it landed
// (dwc/landed_files.h). Exit codes: 0 all landed or already there, 2 configuration or credentials,
// 3 some files failed (the summary names them).
#include <cstdio>

#include "cli/commands.h"
#include "cli/dwc_steps.h"
#include "core/exit_codes.h"
#include "dwc/file_extract.h"
#include "objstore/s3_store.h"

namespace metl::cli {

DwcExtractStep RunDwcExtractStep(CommandContext& ctx) {
  DwcExtractStep step;
  auto fail = [&step](const Error& e) { return FailedStep(step, e); };
  const std::string& url = ctx.config.String("s3");
  if (url.empty() || !url.starts_with("s3://")) {
    return fail(Error(ErrorKind::kConfig, url.empty() ? "no export to read: --s3 is not set"
                                                      : "--s3 must be an s3:// URL, not '" + url + "'")
                    .WithHint("pass the bucket and prefix Matomo exports to: --s3 s3://BUCKET/PREFIX --region REGION"));
  }
  auto matcher = dwc::TableMatcher::Make(ctx.config.String("table_pattern"));
  if (!matcher.ok()) return fail(matcher.error());
  objstore::S3Options s3;
  s3.env = ctx.env;
  s3.region = ctx.config.String("region");
  s3.retry.max_retries = static_cast<int>(ctx.config.Int("max_retries"));
  s3.retry.base_delay_s = static_cast<double>(ctx.config.Int("retry_delay_ms")) / 1000.0;
  auto source = objstore::S3ObjectStore::Open(url, std::move(s3));
  if (!source.ok()) return fail(source.error());
  auto landing = objstore::OpenObjectStore(ctx.config.String("landing"));
  if (!landing.ok()) return fail(landing.error());
  dwc::FileExtractOptions options;
  options.matcher = std::move(matcher).value();
  options.now_epoch = [&ctx] { return static_cast<int64_t>(ctx.clock->NowEpochSeconds()); };
  auto summary = dwc::ExtractDwcFiles(**source, **landing, options);
  if (!summary.ok()) return fail(summary.error());
  step.ran = true;
  step.summary = std::move(summary).value();
  const auto& s = step.summary;
  std::printf(
      "dwc extract %s -> %s/dwc: %lld files listed, %lld landed (%lld of them changed), %lld already landed, "
      "%lld deleted before download, %lld failed, %lld bytes\n",
      (*source)->Describe().c_str(), (*landing)->Describe().c_str(), static_cast<long long>(s.listed),
      static_cast<long long>(s.landed), static_cast<long long>(s.changed), static_cast<long long>(s.skipped),
      static_cast<long long>(s.vanished), static_cast<long long>(s.failed), static_cast<long long>(s.bytes));
  for (const auto& [table, n] : s.landed_per_table) {
    std::printf("  %-24s %lld file(s) landed\n", table.c_str(), static_cast<long long>(n));
  }
  for (const auto& f : s.failures) std::printf("  failed: %s\n", f.c_str());
  if (s.failed > 0) {
    std::fprintf(stderr, "error: %lld DWC file(s) failed to land; the next run retries them\n",
                 static_cast<long long>(s.failed));
    step.rc = kExitPartitionsFailed;
  }
  return step;
}

int RunDwcExtract(CommandContext& ctx) { return RunDwcExtractStep(ctx).rc; }

}  // namespace metl::cli
