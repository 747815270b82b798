// `matomo-etl status`: per site and day, what was extracted (landing manifests) and what was
// loaded (the warehouse ledger), with the last error, freshness and the gaps in the range.
// Gaps run up to each site's last CLOSED day (the planner's rule: site-local day end + the 30-minute
// visit timeout), not up to the last loaded day: a job that stopped days ago must not look healthy.
// Exit code: 0 when every day in range is loaded; 2 when the warehouse does not exist (status never
// creates one); 3 when a day failed, is not loaded yet, is a gap, or a site is stale (its last
// closed day is not loaded), or when a DWC export file landed under <landing>/dwc/ is still not
// loaded after dwc_max_file_age_days (cli/dwc_status.h), so that a cron job or an alert can run
// `status --json` and act on it.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "cli/commands.h"
#include "cli/dwc_status.h"
#include "cli/load_common.h"
#include "core/exit_codes.h"
#include "core/log.h"
#include "core/time_zone.h"
#include "extract/planner.h"
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

// What status knows of one site: the days it checks and how fresh the site is.
struct SiteSummary {
  std::string timezone = "UTC";
  std::optional<CivilDate> first_known;  // first day landed or loaded (within --from/--to)
  CivilDate from, to;                    // the days checked for gaps (to = last closed day or --to)
  CivilDate last_closed;
  std::optional<CivilDate> last_loaded_day;
  int64_t last_loaded_at = 0;  // epoch seconds of the newest load, 0 = never
  bool stale = false;          // its last closed day is not loaded
};

std::string Iso(std::optional<int64_t> t) { return t ? landing::FormatIsoUtc(*t) : ""; }

std::string Quote(const std::string& s) { return "\"" + JsonEscape(s) + "\""; }

std::string Age(int64_t seconds) {
  if (seconds < 120) return std::to_string(seconds) + " s";
  if (seconds < 7200) return std::to_string(seconds / 60) + " min";
  if (seconds < 172800) return std::to_string(seconds / 3600) + " h";
  return std::to_string(seconds / 86400) + " days";
}

// "2026-11-27T08:00:00Z (3 h ago)"; a load later than --now (a replayed clock) shows no age rather
// than a negative one.
std::string LastLoadText(int64_t loaded_at, int64_t now) {
  if (!loaded_at) return "never";
  if (now < loaded_at) return Iso(loaded_at) + " (after --now)";
  return Iso(loaded_at) + " (" + Age(now - loaded_at) + " ago)";
}

// Site time zones: the newest landing manifest says it, else matomo_sites in the warehouse.
std::map<int64_t, std::string> SiteTimeZones(warehouse::Session& session) {
  std::map<int64_t, std::string> out;
  auto rows = session.Query("SELECT site_id, timezone FROM matomo_sites");
  if (!rows.ok()) return out;
  for (const auto& row : rows->rows) {
    if (row.size() < 2 || !row[0] || !row[1]) continue;
    out[std::strtoll(row[0]->c_str(), nullptr, 10)] = *row[1];
  }
  return out;
}

}  // namespace

int RunStatus(CommandContext& ctx) {
  warehouse::WarehouseOptions wh_options;
  wh_options.clickhouse_password = ctx.config.String("clickhouse_password");
  wh_options.must_exist = true;  // `status` in the wrong folder must not leave an empty warehouse there
  const std::string& wh_url = ctx.config.String("warehouse");
  auto wh = warehouse::OpenWarehouse(wh_url, wh_options);
  if (!wh.ok()) {
    ReportError(wh.error());
    return ExitCodeFor(wh.error());
  }
  landing::PartitionFilter filter = FilterFromConfig(ctx.config);
  std::vector<warehouse::LedgerEntry> ledger;
  std::map<int64_t, std::string> warehouse_zones;
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
    warehouse_zones = SiteTimeZones(**session);
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

  const int64_t now = ctx.clock->NowEpochSeconds();
  const std::optional<DwcStatus> dwc = ReadDwcStatus(**wh, ctx.config, now);
  const bool dwc_alert = dwc && dwc->alert();
  std::map<int64_t, SiteSummary> sites;
  for (const auto& [k, d] : days) {
    SiteSummary& s = sites[d.site_id];
    if (!s.first_known || d.date < *s.first_known) s.first_known = d.date;
    if (d.landed) s.timezone = d.landed->site_timezone;  // days ascend: the newest manifest wins
  }
  for (int64_t site : filter.sites) {
    if (!sites.count(site) && filter.from) sites[site];
  }
  // Gaps: every day from --from (or the site's first known day) to the last closed day (or --to, when
  // earlier) that neither landed nor loaded.
  for (auto& [site, s] : sites) {
    bool from_manifest = std::any_of(days.begin(), days.end(), [&, id = site](const auto& kv) {
      return kv.second.site_id == id && kv.second.landed;
    });
    if (!from_manifest) {
      if (auto it = warehouse_zones.find(site); it != warehouse_zones.end()) s.timezone = it->second;
    }
    auto tz = TimeZone::Load(s.timezone);
    s.last_closed = extract::LastClosedDay(tz.ok() ? **tz : *TimeZone::Utc(), now);
    s.from = filter.from.value_or(s.first_known.value_or(s.last_closed));
    s.to = s.last_closed;
    if (filter.to && *filter.to < s.to) s.to = *filter.to;
    if (filter.to && *filter.to > s.last_closed) {
      LogInfo("--to is after the site's last closed day: gaps are counted up to that day",
              {{"site", std::to_string(site)},
               {"to", filter.to->ToString()},
               {"last_closed_day", s.last_closed.ToString()}});
    }
    for (CivilDate day = s.from; day <= s.to; ++day) {
      DayStatus& d = days[{site, day.days()}];
      d.site_id = site;
      d.date = day;
    }
  }
  int problems = 0;
  CivilDate first_problem, last_problem;
  bool any_gap = false;
  for (auto& [k, d] : days) {
    if (!d.landed && !d.loaded) {
      d.status = "gap";
      any_gap = true;
    } else if (d.loaded && d.loaded->status == warehouse::kLedgerFailed) {
      d.status = "failed";
    } else if (!d.loaded) {
      d.status = "not_loaded";
    } else if (d.landed && d.landed->content_sha256 != d.loaded->content_hash) {
      d.status = "changed";  // re-extracted with new content since the last load
    } else {
      d.status = "loaded";
    }
    SiteSummary& s = sites[d.site_id];
    if (d.loaded) s.last_loaded_at = std::max(s.last_loaded_at, d.loaded->loaded_at);
    if (d.status == "loaded" && (!s.last_loaded_day || d.date > *s.last_loaded_day)) s.last_loaded_day = d.date;
    if (d.status != "loaded") {
      if (!problems || d.date < first_problem) first_problem = d.date;
      if (!problems || d.date > last_problem) last_problem = d.date;
      ++problems;
    }
  }
  for (auto& [site, s] : sites) {
    // Stale: the last closed day is in range and not loaded (what a stopped daily job looks like).
    auto it = days.find({site, s.last_closed.days()});
    s.stale = s.to == s.last_closed && it != days.end() && it->second.status != "loaded";
  }
  // The first day after the last loaded one: "stale since" (the whole range when nothing loaded).
  auto stale_since = [](const SiteSummary& s) { return s.last_loaded_day ? *s.last_loaded_day + 1 : s.from; };

  if (ctx.config.Has("json") && ctx.config.Bool("json")) {
    std::string o = "{\"warehouse\":" + Quote((*wh)->Describe()) + ",\"landing\":" + Quote(zone.root().string()) +
                    ",\"now\":" + Quote(Iso(now)) + ",\"problems\":" + std::to_string(problems) + ",\"sites\":[";
    bool first_site = true;
    for (const auto& [site, s] : sites) {
      int loaded = 0, failed = 0, gaps = 0, pending = 0;
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
      }
      const int64_t last = s.last_loaded_at;
      o += std::string(first_site ? "" : ",") + "{\"site_id\":" + std::to_string(site) +
           ",\"from\":" + Quote(s.from.ToString()) + ",\"to\":" + Quote(s.to.ToString()) +
           ",\"last_closed_day\":" + Quote(s.last_closed.ToString()) + ",\"loaded\":" + std::to_string(loaded) +
           ",\"failed\":" + std::to_string(failed) + ",\"pending\":" + std::to_string(pending) + ",\"gaps\":[" +
           gap_list + "],\"stale\":" + (s.stale ? "true" : "false") +
           ",\"stale_since\":" + (s.stale ? Quote(stale_since(s).ToString()) : "null") +
           ",\"last_loaded_day\":" + (s.last_loaded_day ? Quote(s.last_loaded_day->ToString()) : "null") +
           ",\"last_loaded_at\":" + (last ? Quote(Iso(last)) : "null") +
           ",\"freshness_seconds\":" + (last ? std::to_string(std::max<int64_t>(0, now - last)) : "null") + "}";
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
    std::printf("%s],\"dwc\":%s}\n", o.c_str(), DwcStatusJson(dwc).c_str());
    return problems || dwc_alert ? kExitPartitionsFailed : kExitOk;
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
  for (const auto& [site, s] : sites) {
    int loaded = 0, total = 0;
    int64_t invalid_utf8 = 0;
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
    }
    std::printf("site %lld: %s..%s, %d of %d days loaded; last load %s; gaps:%s\n", static_cast<long long>(site),
                s.from.ToString().c_str(), s.to.ToString().c_str(), loaded, total,
                LastLoadText(s.last_loaded_at, now).c_str(), gaps.empty() ? " none" : gaps.c_str());
    if (s.stale) {
      std::printf("site %lld: STALE since %s: its last closed day %s (%s) is not loaded%s\n",
                  static_cast<long long>(site), stale_since(s).ToString().c_str(), s.last_closed.ToString().c_str(),
                  s.timezone.c_str(),
                  s.last_loaded_day ? (", the last loaded day is " + s.last_loaded_day->ToString()).c_str()
                                    : ", no day in range is loaded");
    }
    if (invalid_utf8 > 0) {
      std::printf("site %lld: %lld invalid UTF-8 byte(s) from Matomo landed as U+FFFD on:%s\n",
                  static_cast<long long>(site), static_cast<long long>(invalid_utf8), invalid_utf8_days.c_str());
    }
  }
  if (dwc) PrintDwcStatus(*dwc, now);
  if (problems) {
    std::string range = "--from " + first_problem.ToString() + " --to " + last_problem.ToString();
    if (any_gap) {
      // A plain `sync` only fills gaps after a site's first landed day: an explicit range reaches any day.
      std::printf("%d day(s) need attention: `matomo-etl sync %s` extracts and loads them.\n", problems, range.c_str());
    } else {
      std::printf("%d day(s) need attention: `matomo-etl load %s` loads them (what landed and is not loaded).\n",
                  problems, range.c_str());
    }
  }
  return problems || dwc_alert ? kExitPartitionsFailed : kExitOk;
}

}  // namespace metl::cli
