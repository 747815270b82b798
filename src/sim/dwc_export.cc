#include "sim/dwc_export.h"

#include <simdjson.h>

#include "core/log.h"
#include "sim/dwc_exporter.h"

namespace metl::sim {

namespace dwcx {

int64_t Exporter::ServerTime(const SimSite& site, int64_t local_as_utc, int64_t lo, int64_t hi) const {
  auto c = site.tz->FromLocal(local_as_utc);
  for (int i = 0; i < c.count; ++i) {
    if (c.utc[i] >= lo && c.utc[i] <= hi) return c.utc[i];
  }
  return site.tz->FromLocalEarliest(local_as_utc);
}

}  // namespace dwcx

Status ValidateDwcExportOptions(const DwcExportOptions& o) {
  if (o.layout != "partitioned" && o.layout != "flat") {
    return Error(ErrorKind::kConfig, "--dwc-layout must be partitioned or flat, not '" + o.layout + "'");
  }
  if (o.compression != "none" && o.compression != "gzip" && o.compression != "zstd") {
    return Error(ErrorKind::kConfig, "--dwc-compression must be none, gzip or zstd, not '" + o.compression + "'");
  }
  if (o.binary != "hex" && o.binary != "base64" && o.binary != "mysql") {
    return Error(ErrorKind::kConfig, "--dwc-binary must be hex, base64 or mysql, not '" + o.binary + "'");
  }
  return OkStatus();
}

Status WriteDwcExport(const Dataset& dataset, CivilDate from, CivilDate to, int64_t now,
                      const DwcExportOptions& options) {
  METL_TRY(ValidateDwcExportOptions(options));
  dwcx::Exporter exporter(dataset, options);
  simdjson::dom::parser parser;
  METL_TRY(exporter.WriteSiteTables());
  int64_t visits = 0;
  for (CivilDate day = from; !(to < day); day = day + 1) {
    for (const auto& site : dataset.Sites()) {
      DayVisits list = dataset.VisitsOfDay(site.id, day);
      for (const auto& visit : *list) {
        if (visit.last_action_ts > now) continue;  // not served yet, not exported yet
        METL_TRY(exporter.Visit(site, visit, parser));
        ++visits;
      }
    }
    METL_TRY(exporter.WriteDay(day));
  }
  LogInfo("wrote the DWC export", {{"dir", options.dir},
                                   {"visits", std::to_string(visits)},
                                   {"layout", options.layout},
                                   {"compression", options.compression},
                                   {"binary", options.binary}});
  return OkStatus();
}

}  // namespace metl::sim
