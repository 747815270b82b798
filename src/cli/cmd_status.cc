// `matomo-etl status`: per site and day, what was extracted (landing manifests) and what was
// loaded (the warehouse ledger), with the last error, freshness and the gaps in the range.
// Exit code: 0 when every day in range is loaded; 3 when a day failed, is not loaded yet, or is a
// gap (so that a cron job or an alert can run `status --json` and act on the code).
#include <cstdio>
#include <map>
#include <set>

#include "cli/commands.h"
#include "cli/load_common.h"
#include "core/exit_codes.h"
#include "core/log.h"
#include "landing/landing_zone.h"
#include "warehouse/ledger.h"

namespace metl::cli {
namespace {

struct DayStatus {
  int64_t site_id = 0;
  CivilDate date;
  std::optional<landing::Manifest> landed;
  std::optional<warehouse::LedgerEntry> loaded;
  std::string status;  // loaded, failed, not_loaded, changed, gap
};

std::string Iso(std::optional<int64_t> t) { return t ? landing::FormatIsoUtc(*t) : ""; }

std::string Quote(const std::string& s) { return "\"" + JsonEscape(s) + "\""; }

std::string Age(int64_t seconds) {
  if (seconds < 120) return std::to_string(seconds) + " s";
  if (seconds < 7200) return std::to_string(seconds / 60) + " min";
  if (seconds < 172800) return std::to_string(seconds / 3600) + " h";
  return std::to_string(seconds / 86400) + " days";
}

}  // namespace

int RunStatus(CommandContext& ctx) {
  auto wh = OpenConfiguredWarehouse(ctx.config);
  if (!wh.ok()) {
    ReportError(wh.error());
    return ExitCodeFor(wh.error());
  }
  landing::PartitionFilter filter = FilterFromConfig(ctx.config);
  std::vector<warehouse::LedgerEntry> ledger;
  {
    auto session = ConnectMigrated(**wh);
    if (!session.ok()) {
      ReportError(session.error());
      return kExitInternal;
    }
    auto rows = warehouse::ReadLedger(**session, filter.sites, filter.from, filter.to);
    if (!rows.ok()) {
      ReportError(rows.error());
      return kExitInternal;
    }
    ledger = std::move(rows).value();
  }
  landing::LandingZone zone(ctx.config.String("landing"));
  auto refs = zone.ListPartitions(filter);
  if (!refs.ok()) {
    ReportError(refs.error());
    return ExitCodeFor(refs.error());
  }

  std::map<std::pair<int64_t, int64_t>, DayStatus> days;
  for (const auto& ref : *refs) {
    DayStatus& d = days[{ref.site_id, ref.date.days()}];
    d.site_id = ref.site_id;
    d.date = ref.date;
    auto m = zone.ReadManifest(ref);
    if (m.ok()) d.landed = std::move(m).value();
  }
  for (auto& e : ledger) {
    DayStatus& d = days[{e.key.site_id, e.key.date.days()}];
    d.site_id = e.key.site_id;
    d.date = e.key.date;
    d.loaded = std::move(e);
  }
  // Gaps: days between a site's first and last known day (or --from/--to) that neither landed nor loaded.
  std::map<int64_t, std::pair<CivilDate, CivilDate>> ranges;
  for (const auto& [k, d] : days) {
    auto it = ranges.find(d.site_id);
    if (it == ranges.end()) {
      ranges[d.site_id] = {d.date, d.date};
    } else {
      it->second.first = std::min(it->second.first, d.date);
      it->second.second = std::max(it->second.second, d.date);
    }
  }
  for (int64_t site : filter.sites) {
    if (!ranges.count(site) && filter.from && filter.to) ranges[site] = {*filter.from, *filter.to};
  }
  for (auto& [site, range] : ranges) {
    if (filter.from) range.first = *filter.from;
    if (filter.to) range.second = *filter.to;
    for (CivilDate day = range.first; day <= range.second; ++day) {
      DayStatus& d = days[{site, day.days()}];
      d.site_id = site;
      d.date = day;
    }
  }
  int problems = 0;
  for (auto& [k, d] : days) {
    if (!d.landed && !d.loaded) {
      d.status = "gap";
    } else if (d.loaded && d.loaded->status == warehouse::kLedgerFailed) {
      d.status = "failed";
    } else if (!d.loaded) {
      d.status = "not_loaded";
    } else if (d.landed && d.landed->content_sha256 != d.loaded->content_hash) {
      d.status = "changed";  // re-extracted with new content since the last load
    } else {
      d.status = "loaded";
    }
    if (d.status != "loaded") ++problems;
  }

  const int64_t now = ctx.clock->NowEpochSeconds();
  if (ctx.config.Has("json") && ctx.config.Bool("json")) {
    std::string o = "{\"warehouse\":" + Quote((*wh)->Describe()) + ",\"landing\":" + Quote(zone.root().string()) +
                    ",\"now\":" + Quote(Iso(now)) + ",\"problems\":" + std::to_string(problems) + ",\"sites\":[";
    bool first_site = true;
    for (const auto& [site, range] : ranges) {
      int loaded = 0, failed = 0, gaps = 0, pending = 0;
      int64_t last_loaded = 0;
      std::string gap_list;
      for (const auto& [k, d] : days) {
        if (d.site_id != site) continue;
        if (d.status == "loaded") ++loaded;
        if (d.status == "failed") ++failed;
        if (d.status == "not_loaded" || d.status == "changed") ++pending;
        if (d.status == "gap") {
          ++gaps;
          gap_list += std::string(gap_list.empty() ? "" : ",") + Quote(d.date.ToString());
        }
        if (d.loaded) last_loaded = std::max(last_loaded, d.loaded->loaded_at);
      }
      o += std::string(first_site ? "" : ",") + "{\"site_id\":" + std::to_string(site) + ",\"from\":" +
           Quote(range.first.ToString()) + ",\"to\":" + Quote(range.second.ToString()) +
           ",\"loaded\":" + std::to_string(loaded) + ",\"failed\":" + std::to_string(failed) +
           ",\"pending\":" + std::to_string(pending) + ",\"gaps\":[" + gap_list + "],\"last_loaded_at\":" +
           (last_loaded ? Quote(Iso(last_loaded)) : "null") + ",\"freshness_seconds\":" +
           (last_loaded ? std::to_string(now - last_loaded) : "null") + "}";
      first_site = false;
    }
    o += "],\"partitions\":[";
    bool first = true;
    for (const auto& [k, d] : days) {
      o += std::string(first ? "" : ",") + "{\"site_id\":" + std::to_string(d.site_id) + ",\"date\":" +
           Quote(d.date.ToString()) + ",\"status\":" + Quote(d.status);
      if (d.landed) {
        o += ",\"extracted_at\":" + Quote(d.landed->extracted_at) + ",\"landing_status\":" +
             Quote(landing::PartitionStatusName(d.landed->status)) + ",\"landed_visits\":" +
             std::to_string(d.landed->visits) + ",\"invalid_utf8_replaced\":" +
             std::to_string(d.landed->invalid_utf8_replaced);
      }
      if (d.loaded) {
        o += ",\"loaded_at\":" + Quote(Iso(d.loaded->loaded_at)) + ",\"loaded_visits\":" +
             std::to_string(d.loaded->visits) + ",\"last_error\":" +
             (d.loaded->last_error.empty() ? "null" : Quote(d.loaded->last_error));
      }
      o += "}";
      first = false;
    }
    std::printf("%s]}\n", o.c_str());
    return problems ? kExitPartitionsFailed : kExitOk;
  }

  std::printf("warehouse %s, landing %s\n\n", (*wh)->Describe().c_str(), zone.root().string().c_str());
  std::printf("%-6s %-10s %-10s %-20s %-8s %7s %-20s %7s  %s\n", "site", "date", "status", "extracted", "landed",
              "visits", "loaded", "visits", "last error");
  for (const auto& [k, d] : days) {
    std::string err = d.loaded ? d.loaded->last_error : "";
    if (err.size() > 80) err = err.substr(0, 77) + "...";
    std::printf("%-6lld %-10s %-10s %-20s %-8s %7s %-20s %7s  %s\n", static_cast<long long>(d.site_id),
                d.date.ToString().c_str(), d.status.c_str(), d.landed ? d.landed->extracted_at.c_str() : "-",
                d.landed ? landing::PartitionStatusName(d.landed->status) : "-",
                d.landed ? std::to_string(d.landed->visits).c_str() : "-",
                d.loaded ? Iso(d.loaded->loaded_at).c_str() : "-",
                d.loaded ? std::to_string(d.loaded->visits).c_str() : "-", err.c_str());
  }
  std::printf("\n");
  for (const auto& [site, range] : ranges) {
    int loaded = 0, total = 0;
    int64_t last_loaded = 0, invalid_utf8 = 0;
    std::string gaps, invalid_utf8_days;
    for (const auto& [k, d] : days) {
      if (d.site_id != site) continue;
      ++total;
      if (d.landed && d.landed->invalid_utf8_replaced > 0) {
        invalid_utf8 += d.landed->invalid_utf8_replaced;
        invalid_utf8_days += " " + d.date.ToString();
      }
      if (d.status == "loaded") ++loaded;
      if (d.status == "gap") gaps += " " + d.date.ToString();
      if (d.loaded) last_loaded = std::max(last_loaded, d.loaded->loaded_at);
    }
    std::printf("site %lld: %s..%s, %d of %d days loaded; last load %s%s; gaps:%s\n", static_cast<long long>(site),
                range.first.ToString().c_str(), range.second.ToString().c_str(), loaded, total,
                last_loaded ? Age(now - last_loaded).c_str() : "never", last_loaded ? " ago" : "",
                gaps.empty() ? " none" : gaps.c_str());
    if (invalid_utf8 > 0) {
      std::printf("site %lld: %lld invalid UTF-8 byte(s) from Matomo landed as U+FFFD on:%s\n",
                  static_cast<long long>(site), static_cast<long long>(invalid_utf8), invalid_utf8_days.c_str());
    }
  }
  if (problems) {
    std::printf("%d day(s) need attention: `matomo-etl sync` (or `extract --from D --to D` then `load`) repairs them.\n",
                problems);
  }
  return problems ? kExitPartitionsFailed : kExitOk;
}

}  // namespace metl::cli
