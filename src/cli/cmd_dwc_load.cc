// `matomo-etl dwc load`: Data Warehouse Connector export files into the curated tables.
//
//   1. list the export files (--from-dir DIR, else <landing>/dwc/ (a folder or gs://), where
//      `dwc extract` mirrors the bucket: dwc/export_folder.h), oldest first;
//   2. the files the file ledger lacks, or holds with another ETag, say which (site, day) they touch
//      (a file's ETag: the one `dwc extract` recorded in dwc/_landed/, else the MD5 of its bytes;
//      dwc/file_identity.h); when there is none, no file is read at all; else two passes over the
//      files find the touched days and keep the rows of those days only (newest version of a row
//      wins; dwc/rebuild.h);
//   3. the custom dimension mapping of the touched days' sites: the dwc_custom_dimensions option, else
//      Matomo's API when url and token are set, else the export folder's custom_dimensions file;
//   4. each touched day is rendered as Live-shaped visits into an ordinary landing partition
//      (source dwc) and loaded by the normal loader: same normalizer, same exactly-once ledger;
//   5. only then the files are recorded in the file ledger (a killed run redoes them, and the
//      reload is a no-op because the rebuilt partitions hash the same); where the engine has
//      transactions, each file's rows are merged into the raw layer (matomo_raw_dwc_<table>) in the
//      transaction of its ledger row (dwc/raw_layer.h).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "cli/commands.h"
#include "cli/dwc_dimensions.h"
#include "cli/dwc_steps.h"
#include "cli/load_common.h"
#include "core/exit_codes.h"
#include "core/log.h"
#include "core/version.h"
#include "dwc/dwc_partitions.h"
#include "dwc/export_files.h"
#include "dwc/export_folder.h"
#include "dwc/file_identity.h"
#include "dwc/file_ledger.h"
#include "dwc/raw_layer.h"
#include "dwc/rebuild.h"
#include "normalize/dwc_raw_schema.h"
#include "landing/zone_lock.h"

namespace metl::cli {

DwcLoadStep RunDwcLoadStep(CommandContext& ctx) {
  DwcLoadStep step;
  auto fail = [&step](const Error& e) { return FailedStep(step, e); };
  warehouse::LoadOptions options = LoadOptionsFromConfig(ctx.config);
  const std::string from_dir = ctx.config.Has("from_dir") ? ctx.config.String("from_dir") : "";
  if (landing::IsObjectStoreUrl(from_dir) || from_dir.find("://") != std::string::npos) {
    return fail(Error(ErrorKind::kConfig, "--from-dir takes a local folder, not '" + from_dir + "'")
                    .WithHint("files in a bucket are loaded from the landing zone: `matomo-etl dwc extract` "
                              "mirrors them into <landing>/dwc/ (a local folder or gs://), then `dwc load` reads them"));
  }
  landing::LandingZone zone(options.landing);
  if (!zone.open_status().ok()) return fail(zone.open_status().error());
  // The export files: --from-dir's folder, else the landing zone's dwc/ mirror (local or gs://).
  const dwc::ExportFolder folder =
      from_dir.empty() ? dwc::ExportFolder::OfLanding(zone) : dwc::ExportFolder::Local(from_dir);
  if (from_dir.empty() && !zone.store()) {
    // Nothing ever landed (or a failed `dwc extract` before it): say so, not "pass --from-dir".
    if (auto exists = folder.Exists(); exists.ok() && !*exists) {
      return fail(Error(ErrorKind::kConfig, "nothing has landed in " + folder.Describe() + " yet")
                      .WithHint("`matomo-etl dwc extract --s3 s3://BUCKET/PREFIX` (or `dwc sync`) lands the export "
                                "files there; `dwc load --from-dir DIR` loads a folder of your own"));
    }
  }
  auto files = folder.List();
  if (!files.ok()) return fail(files.error());
  step.files = static_cast<int64_t>(files->size());

  auto wh = OpenConfiguredWarehouse(ctx.config);
  if (!wh.ok()) return fail(wh.error());
  // The raw layer needs a file's rows and its ledger row in one transaction: DuckDB and PostgreSQL.
  // BigQuery and ClickHouse load the curated tables only (docs/dwc.md says so).
  const bool raw_layer = (*wh)->capabilities().transactions;
  std::vector<TableDef> tables = {dwc::FileLedgerTable()};
  if (raw_layer) {
    for (TableDef& t : DwcRawTableDefs()) tables.push_back(std::move(t));
  }
  if (auto s = (*wh)->Migrate(tables); !s.ok()) return fail(s.error());
  auto session = (*wh)->Connect();
  if (!session.ok()) return fail(session.error());
  // PostgreSQL, a row store, plans each merge's lookups through these indexes; DuckDB joins by hash over
  // its columns whatever the indexes, and an ART index would only cost memory and insert time there.
  if (raw_layer && (*wh)->capabilities().engine == "postgres") {
    if (auto s = dwc::EnsureRawIndexes(**session, DwcRawTables()); !s.ok()) return fail(s.error());
  }
  auto ledger = dwc::ReadFileLedger(**session);
  if (!ledger.ok()) return fail(ledger.error());

  auto lock = landing::AcquireZoneLock(zone, "dwc load");
  if (!lock.ok()) return fail(lock.error());

  // 1-2. Which files are new or changed, by their ETag: an unchanged file is not read.
  const std::map<std::string, dwc::LandedFile> records = folder.LandedRecords();
  std::vector<std::optional<dwc::FileIdentity>> ids(files->size());
  std::vector<bool> is_fresh(files->size(), false);
  int skipped_tables = 0;
  bool any_fresh = false, rebuild_all = false;
  for (size_t i = 0; i < files->size(); ++i) {
    const dwc::ExportFile& f = (*files)[i];
    const DwcRawTable* raw_table = raw_layer ? FindDwcRawTable(f.table_name) : nullptr;
    if (f.table == dwc::RawTable::kOther && !raw_table) {
      ++skipped_tables;  // another Matomo table (forms, media, ...) or not a table file: not mapped
      continue;
    }
    auto id = dwc::IdentifyFile(f, records);
    if (!id.ok()) {
      ReportError(id.error());
      ++step.failed_files;
      continue;
    }
    if (id->hashed) ++step.hashed;
    auto known = ledger->find(f.key);
    is_fresh[i] = known == ledger->end() || known->second.etag != id->etag;
    any_fresh = any_fresh || is_fresh[i];
    if (f.table == dwc::RawTable::kOther) {  // a table of the raw layer alone: read when merged (step 4)
      ids[i] = std::move(id).value();
      continue;
    }
    // A file that changed may have lost rows (a GDPR deletion applied to it): which days held them is
    // unknown, so every day is rebuilt (unchanged ones hash the same and are not reloaded).
    if (is_fresh[i] && known != ledger->end()) rebuild_all = true;
    ids[i] = std::move(id).value();
  }

  // The touched days and the rows they need (dwc/rebuild.h: two passes; not every row in memory).
  // --site narrows the run; dwc_sites (when set) names the sites whose source is the DWC: others stay Live's.
  std::vector<std::set<int64_t>> narrowing;
  for (const char* option : {"site", "dwc_sites"}) {
    if (!ctx.config.Has(option)) continue;
    std::vector<int64_t> list = ctx.config.IntList(option);
    if (!list.empty()) narrowing.emplace_back(list.begin(), list.end());
  }
  dwc::RebuildInput input;
  input.files = &*files;
  input.fresh = is_fresh;
  input.rebuild_all = rebuild_all;
  input.use.assign(files->size(), false);
  for (size_t i = 0; i < files->size(); ++i) input.use[i] = ids[i] && (*files)[i].table != dwc::RawTable::kOther;
  input.allowed = [&narrowing](int64_t site) {
    return std::all_of(narrowing.begin(), narrowing.end(), [site](const std::set<int64_t>& s) { return s.count(site) > 0; });
  };
  input.report = [&step](const Error& e) {
    ReportError(e);
    ++step.failed_files;
  };
  dwc::Rebuild rebuild;
  if (any_fresh) rebuild = dwc::PlanRebuild(input);
  // The fresh files, oldest first, for the file ledger (and the raw layer).
  std::vector<dwc::LedgerFile> fresh;
  std::vector<const dwc::ExportFile*> fresh_files;  // fresh's files, same order
  const int64_t now = ctx.clock->NowEpochSeconds();
  for (size_t i = 0; any_fresh && i < files->size(); ++i) {
    const dwc::ExportFile& f = (*files)[i];
    if (!ids[i] || !is_fresh[i] || rebuild.failed[i]) continue;
    fresh.push_back({f.key, ids[i]->etag, f.size, f.table_name, rebuild.rows_read[i], now});
    fresh_files.push_back(&f);
  }
  step.fresh = static_cast<int64_t>(fresh.size());
  const std::set<dwc::DayKey>& days = rebuild.days;
  const size_t touched = rebuild.touched.size();
  dwc::RawStore& store = rebuild.rows.store;
  // The custom dimension mapping of the sites rebuilt (the export has none: cli/dwc_dimensions.h).
  std::set<int64_t> day_sites;
  for (const auto& d : days) day_sites.insert(d.site_id);
  if (!day_sites.empty()) {
    auto dims = ApplyDwcDimensions(ctx, store, day_sites);
    if (!dims.ok()) return fail(dims.error());
    step.dimensions = dims->source;
    step.dimensions_asked = true;
    std::printf("dwc custom dimensions: %lld for %zu site(s), from %.*s%s\n", static_cast<long long>(dims->dimensions),
                day_sites.size(), static_cast<int>(dwc::DimensionSourceName(dims->source).size()),
                dwc::DimensionSourceName(dims->source).data(),
                dims->unmapped_sites ? " (WARNING: values without a mapping left out, see above)" : "");
  }
  auto landed = dwc::LandDays(store, zone, days, now, METL_VERSION);
  if (!landed.ok()) return fail(landed.error());
  step.days = static_cast<int64_t>(days.size());
  int failed_days = 0;
  std::set<int64_t> sites;
  for (const auto& d : *landed) {
    sites.insert(d.key.site_id);
    if (!d.error.empty()) {
      ++failed_days;
      LogError("dwc day not built", {{"site", d.key.site_id}, {"date", d.key.date.ToString()}, {"error", d.error}});
    }
  }
  lock->reset();
  int rc = kExitOk;
  bool loads_ok = true;
  if (!sites.empty()) {
    options.filter.sites.assign(sites.begin(), sites.end());
    auto summary = warehouse::LoadPartitions(**wh, options, *ctx.clock);
    if (!summary.ok()) return fail(summary.error());
    rc = PrintLoadSummary(*summary, (*wh)->Describe());
    loads_ok = summary->failed == 0;
    step.partitions_loaded = summary->loaded;
    step.partitions_unchanged = summary->skipped;
    step.partitions_failed = summary->failed;
  }
  // 5. The files, once their days are in (all of them: a narrowed run leaves the files unrecorded,
  // so that the days it left out are built when their site is loaded).
  int64_t raw_rows = 0;
  double merge_seconds = 0;
  if (loads_ok && failed_days == 0 && days.size() == touched) {
    if (!raw_layer) {
      if (auto s = dwc::RecordFiles(**session, fresh); !s.ok()) return fail(s.error());
    }
    // Oldest first, each file in its own transaction with its ledger row: a killed run leaves the
    // newer files unrecorded, and the next run merges them again (the same rows, the same result).
    if (raw_layer && !fresh.empty()) LogInfo("merging the files into the raw layer", {{"files", fresh.size()}});
    const auto merge_start = std::chrono::steady_clock::now();
    for (size_t i = 0; raw_layer && i < fresh.size(); ++i) {
      const dwc::ExportFile& f = *fresh_files[i];
      auto rows = dwc::LoadRawFile(**session, (*wh)->capabilities().types, f, FindDwcRawTable(f.table_name), fresh[i]);
      if (!rows.ok()) {
        ReportError(rows.error());
        ++step.failed_files;
        continue;
      }
      if (FindDwcRawTable(f.table_name)) raw_rows += *rows;
      LogDebug("raw layer file merged", {{"key", f.key}, {"rows", *rows}, {"done", i + 1}, {"of", fresh.size()}});
    }
    merge_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - merge_start).count();
  }
  std::printf(
      "dwc: %zu files (%zu new or changed, %lld failed, %d of tables not mapped, %lld without a _landed record "
      "hashed); %zu days rebuilt\n",
      files->size(), fresh.size(), static_cast<long long>(step.failed_files), skipped_tables,
      static_cast<long long>(step.hashed), days.size());
  if (raw_layer) {
    std::printf("dwc raw layer: %lld rows merged into matomo_raw_dwc_* tables in %.2f s\n",
                static_cast<long long>(raw_rows), merge_seconds);
  } else {
    std::printf("dwc raw layer: not on %.*s yet (docs/dwc.md); only the curated tables were loaded\n",
                static_cast<int>((*wh)->capabilities().engine.size()), (*wh)->capabilities().engine.data());
  }
  step.rc = step.failed_files > 0 || failed_days > 0 || !loads_ok ? kExitPartitionsFailed : rc;
  return step;
}

int RunDwcLoad(CommandContext& ctx) { return RunDwcLoadStep(ctx).rc; }

}  // namespace metl::cli
