#include "cli/dwc_status.h"

#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "core/log.h"
#include "dwc/export_folder.h"
#include "dwc/file_ledger.h"
#include "landing/landing_zone.h"
#include "landing/manifest.h"

namespace metl::cli {
namespace {

std::string Quote(const std::string& s) { return "\"" + JsonEscape(s) + "\""; }

std::string AgeDays(int64_t seconds) {
  if (seconds < 0) return "after --now";
  if (seconds < 172800) return std::to_string(seconds / 3600) + " h old";
  return std::to_string(seconds / 86400) + " days old";
}

}  // namespace

std::optional<DwcStatus> ReadDwcStatus(warehouse::Warehouse& warehouse, const Config& config, int64_t now) {
  const landing::LandingZone zone{std::filesystem::path(config.String("landing"))};
  if (!zone.open_status().ok()) {
    ReportError(zone.open_status().error());
    return std::nullopt;
  }
  const dwc::ExportFolder folder = dwc::ExportFolder::OfLanding(zone);
  auto exists = folder.Exists();
  if (!exists.ok()) {
    ReportError(exists.error());
    return std::nullopt;
  }
  if (!*exists) return std::nullopt;
  DwcStatus out;
  out.folder = folder.Describe();
  out.max_age_days = config.Int("dwc_max_file_age_days");
  // The file ledger exists once `dwc load` ran; before that every landed file is pending.
  if (auto s = warehouse.Migrate({dwc::FileLedgerTable()}); !s.ok()) {
    ReportError(s.error());
    return std::nullopt;
  }
  auto session = warehouse.Connect();
  if (!session.ok()) {
    ReportError(session.error());
    return std::nullopt;
  }
  auto ledger = dwc::ReadFileLedger(**session);
  if (!ledger.ok()) {
    ReportError(ledger.error());
    return std::nullopt;
  }
  auto files = dwc::FindPendingFiles(folder, *ledger, now, out.max_age_days * 86400);
  if (!files.ok()) {
    ReportError(files.error());
    return std::nullopt;
  }
  out.files = std::move(files).value();
  return out;
}

std::string DwcStatusJson(const std::optional<DwcStatus>& status) {
  if (!status) return "null";
  const auto& f = status->files;
  std::string too_old;
  for (const auto& p : f.too_old) too_old += std::string(too_old.empty() ? "" : ",") + Quote(p.key);
  return "{\"folder\":" + Quote(status->folder) + ",\"files\":" + std::to_string(f.files) +
         ",\"loaded\":" + std::to_string(f.loaded) + ",\"pending\":" + std::to_string(f.pending.size()) +
         ",\"oldest_pending_key\":" + (f.pending.empty() ? "null" : Quote(f.pending.front().key)) +
         ",\"oldest_pending_written_at\":" +
         (f.pending.empty() ? "null" : Quote(landing::FormatIsoUtc(f.pending.front().written_at))) +
         ",\"max_file_age_days\":" + std::to_string(status->max_age_days) +
         ",\"too_old\":" + std::to_string(f.too_old.size()) + ",\"too_old_keys\":[" + too_old + "]}";
}

void PrintDwcStatus(const DwcStatus& status, int64_t now) {
  const auto& f = status.files;
  std::printf("dwc: %lld export file(s) under %s: %lld loaded, %zu pending (landed, not loaded)",
              static_cast<long long>(f.files), status.folder.c_str(), static_cast<long long>(f.loaded),
              f.pending.size());
  if (!f.pending.empty()) {
    const auto& oldest = f.pending.front();
    std::printf("; oldest pending %s, written %s (%s)", oldest.key.c_str(),
                landing::FormatIsoUtc(oldest.written_at).c_str(), AgeDays(now - oldest.written_at).c_str());
  }
  std::printf("\n");
  if (status.alert()) {
    std::printf(
        "WARNING: %zu DWC file(s) still not loaded more than %lld days after Matomo wrote them (oldest %s, %s). "
        "Matomo says it deletes export files after 14 days (unconfirmed): keep the %s mirror, and run "
        "`matomo-etl dwc load` to see why they do not load.\n",
        f.too_old.size(), static_cast<long long>(status.max_age_days), f.too_old.front().key.c_str(),
        AgeDays(now - f.too_old.front().written_at).c_str(), status.folder.c_str());
  }
}

}  // namespace metl::cli
