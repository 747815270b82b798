// `matomo-etl check`: reaches the URL, checks the token, prints the Matomo version, the sites with
// their time zones, and the partitions a run would extract (without extracting or locking).
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "core/exit_codes.h"
#include "core/log.h"
#include "extract/extract_run.h"
#include "landing/manifest.h"

namespace metl::cli {

int RunCheck(CommandContext& ctx) {
  auto token = ResolveMatomoToken(ctx.config, ctx.env);
  if (!token.ok()) {
    ReportError(token.error());
    return kExitUsage;
  }
  auto client = extract::MakeClient(ctx.config, *token);
  if (!client.ok()) {
    ReportError(client.error());
    return ExitCodeFor(client.error());
  }
  auto conn = extract::Connect(**client, ctx.config);
  if (!conn.ok()) {
    ReportError(conn.error());
    return ExitCodeFor(conn.error());
  }
  landing::LandingZone zone(ctx.config.String("landing"));
  extract::PlanOptions po = extract::PlanOptionsFromConfig(ctx.config, *ctx.clock);
  auto plan = extract::PlanPartitions(zone, conn->sites, po);
  if (!plan.ok()) {
    ReportError(plan.error());
    return ExitCodeFor(plan.error());
  }
  const std::string url = matomo::SourceUrl((*client)->api_url());
  if (ctx.config.Bool("json")) {
    std::string j = "{\"url\": \"" + JsonEscape(url) + "\", \"matomo_version\": \"" + JsonEscape(conn->matomo_version) +
                    "\", \"token\": \"ok\", \"sites\": [";
    for (size_t i = 0; i < conn->sites.size(); ++i) {
      const auto& s = conn->sites[i];
      j += std::string(i ? ", " : "") + "{\"id\": " + std::to_string(s.id) + ", \"name\": \"" + JsonEscape(s.name) +
           "\", \"timezone\": \"" + JsonEscape(s.timezone_name) + "\", \"last_closed_day\": \"" +
           extract::LastClosedDay(*s.tz, po.now).ToString() + "\"}";
    }
    j += "], \"partitions\": [";
    for (size_t i = 0; i < plan->size(); ++i) {
      const auto& p = (*plan)[i];
      j += std::string(i ? ", " : "") + "{\"site_id\": " + std::to_string(p.site.id) + ", \"date\": \"" +
           p.date.ToString() + "\", \"reason\": \"" + extract::DueReasonName(p.reason) + "\"}";
    }
    j += "]}\n";
    std::fputs(j.c_str(), stdout);
    return kExitOk;
  }
  std::printf("Matomo %s at %s: reachable, token accepted.\n", conn->matomo_version.c_str(), url.c_str());
  std::printf("Sites (%zu):\n", conn->sites.size());
  for (const auto& s : conn->sites) {
    std::printf("  %4lld  %-30s %-24s last closed day %s\n", static_cast<long long>(s.id), s.name.c_str(),
                s.timezone_name.c_str(), extract::LastClosedDay(*s.tz, po.now).ToString().c_str());
  }
  std::printf("A run now would extract %zu partitions into %s:\n", plan->size(), zone.root().c_str());
  // One line per site: its due days, compressed into ranges.
  for (const auto& s : conn->sites) {
    std::string days;
    std::optional<CivilDate> run_start, prev;
    auto flush = [&] {
      if (!run_start) return;
      days += (days.empty() ? "" : ", ") + run_start->ToString() +
              (*prev != *run_start ? ".." + prev->ToString() : "");
    };
    int count = 0;
    for (const auto& p : *plan) {
      if (p.site.id != s.id) continue;
      ++count;
      if (prev && p.date == *prev + 1) {
        prev = p.date;
        continue;
      }
      flush();
      run_start = prev = p.date;
    }
    flush();
    std::printf("  site %lld: %d (%s)\n", static_cast<long long>(s.id), count, days.empty() ? "none" : days.c_str());
  }
  return kExitOk;
}

}  // namespace metl::cli
