#include "landing/backfill_marker.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "landing/partition_writer.h"

namespace metl::landing {
namespace fs = std::filesystem;

namespace {

std::string MarkerKey(int64_t site_id) {
  return "site=" + std::to_string(site_id) + "/" + kBackfillMarkerFile;
}

Result<std::optional<CivilDate>> ParseMarker(const std::string& content, const std::string& where) {
  // One field, written by WriteBackfillMarker: {"from":"YYYY-MM-DD"}.
  const std::string key = "\"from\":\"";
  size_t p = content.find(key);
  if (p != std::string::npos) {
    if (auto d = CivilDate::Parse(std::string_view(content).substr(p + key.size(), 10)); d.ok()) return {*d};
  }
  return Error(ErrorKind::kConfig, "the backfill marker " + where + " is unreadable (" + content.substr(0, 80) +
                                       "): delete it, and run `matomo-etl extract --from DAY` for the days "
                                       "the site lacks before its first landed day");
}

}  // namespace

Result<std::optional<CivilDate>> ReadBackfillMarker(const LandingZone& zone, int64_t site_id) {
  if (zone.store()) {
    METL_TRY(zone.open_status());
    // One GET per site and run: "not found" is the usual answer (no backfill unfinished).
    auto content = zone.store()->GetString(MarkerKey(site_id));
    if (!content.ok()) {
      if (objstore::IsNotFound(content.error())) return std::optional<CivilDate>();
      return std::move(content).error();
    }
    return ParseMarker(*content, zone.store()->Describe() + "/" + MarkerKey(site_id));
  }
  fs::path path = zone.SiteDir(site_id) / kBackfillMarkerFile;
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::optional<CivilDate>();
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  if (!in) return Error(ErrorKind::kConfig, "cannot read " + path.string() + ": " + LandingNotWritableHint(zone.root()));
  return ParseMarker(buf.str(), path.string());
}

Status WriteBackfillMarker(const LandingZone& zone, int64_t site_id, CivilDate from) {
  std::string content = "{\"from\":\"" + from.ToString() + "\"}\n";
  if (zone.store()) {
    METL_TRY(zone.open_status());
    // Every write carries a precondition (ifGenerationMatch): created if absent, else replaced only
    // in the version just read, as the run lock holder is the only writer.
    objstore::PutOptions options;
    options.content_type = "application/json";
    METL_ASSIGN_OR_RETURN(auto info, zone.store()->Stat(MarkerKey(site_id)));
    if (info) {
      options.if_version = info->version;
    } else {
      options.if_absent = true;
    }
    return zone.store()->PutString(MarkerKey(site_id), content, options);
  }
  std::error_code ec;
  fs::create_directories(zone.SiteDir(site_id), ec);
  if (ec) {
    return Error(ErrorKind::kConfig,
                 "cannot create " + zone.SiteDir(site_id).string() + ": " + LandingNotWritableHint(zone.root()));
  }
  return WriteFileAtomic(zone.SiteDir(site_id) / kBackfillMarkerFile, content);
}

Status DeleteBackfillMarker(const LandingZone& zone, int64_t site_id) {
  if (zone.store()) {
    METL_TRY(zone.open_status());
    return zone.store()->Delete(MarkerKey(site_id));
  }
  std::error_code ec;
  fs::remove(zone.SiteDir(site_id) / kBackfillMarkerFile, ec);
  if (ec) {
    return Error(ErrorKind::kConfig, "cannot delete " + (zone.SiteDir(site_id) / kBackfillMarkerFile).string() +
                                         ": " + LandingNotWritableHint(zone.root()));
  }
  return OkStatus();
}

}  // namespace metl::landing
