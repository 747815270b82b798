#include "extract/extract_run.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "core/exit_codes.h"
#include "core/log.h"
#include "core/version.h"
#include "extract/progress.h"
#include "http/curl_transport.h"
#include "landing/backfill_marker.h"
#include "landing/zone_lock.h"

namespace metl::extract {

Result<std::unique_ptr<matomo::MatomoClient>> MakeClient(const Config& config, const std::string& token,
                                                         std::shared_ptr<http::Transport> transport) {
  if (config.String("url").empty()) {
    return Error(ErrorKind::kConfig, "no Matomo URL configured")
        .WithHint("set url = \"https://example.matomo.cloud/\" in matomo-etl.toml, or --url");
  }
  if (!transport) {
    http::CurlOptions co;
    co.connect_timeout_s = config.Int("connect_timeout");
    co.timeout_s = config.Int("timeout");
    co.ca_file = config.String("ca_file");
    co.insecure_skip_tls_verify = config.Bool("insecure_skip_tls_verify");
    if (co.insecure_skip_tls_verify) {
      LogWarn("TLS certificate verification is OFF (insecure_skip_tls_verify): the token can be intercepted");
    }
    transport = std::make_shared<http::CurlTransport>(co);
  }
  matomo::ClientOptions o;
  o.url = config.String("url");
  o.rate_limit_per_min = static_cast<double>(config.Int("rate_limit"));
  o.concurrency = static_cast<int>(config.Int("concurrency"));
  o.retry.max_retries = static_cast<int>(config.Int("max_retries"));
  o.retry.base_delay_s = static_cast<double>(config.Int("retry_delay_ms")) / 1000.0;
  auto client = std::make_unique<matomo::MatomoClient>(std::move(transport), o, token);
  if (!client->init_status().ok()) return client->init_status().error();
  return client;
}

Result<std::unique_ptr<matomo::MatomoClient>> MakeClient(const Config& config,
                                                         const std::map<std::string, std::string>& env) {
  METL_ASSIGN_OR_RETURN(std::string token, ResolveMatomoToken(config, env));
  return MakeClient(config, token);
}

Result<Connection> Connect(matomo::MatomoClient& client, const Config& config) {
  Connection c;
  METL_ASSIGN_OR_RETURN(c.matomo_version, matomo::GetMatomoVersion(client));
  METL_ASSIGN_OR_RETURN(auto sites, matomo::GetSites(client));
  std::vector<int64_t> wanted = config.IntList("site");
  for (int64_t id : wanted) {
    if (std::none_of(sites.begin(), sites.end(), [&](const matomo::SiteInfo& s) { return s.id == id; })) {
      return Error(ErrorKind::kConfig, "site " + std::to_string(id) + " does not exist or the token cannot view it")
          .WithHint("check the `site` option, or give the token's user view access to that site");
    }
  }
  // Sites fed by the Data Warehouse Connector (`dwc load`) are not extracted from Live.
  const std::vector<int64_t> dwc = config.Has("dwc_sites") ? config.IntList("dwc_sites") : std::vector<int64_t>{};
  for (const auto& s : sites) {
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), s.id) == wanted.end()) continue;
    if (std::find(dwc.begin(), dwc.end(), s.id) != dwc.end()) continue;
    auto tz = TimeZone::Load(s.timezone);
    if (!tz.ok()) {
      return Error(ErrorKind::kData, "site " + std::to_string(s.id) + " has a time zone this machine does not know: " +
                                         s.timezone)
          .WithHint("install the tzdata package");
    }
    SiteRef ref{s.id, s.name, s.timezone, *tz};
    if (auto created = ParseTimestamp(s.ts_created); created.ok()) ref.created = (*tz)->LocalDateOf(*created);
    c.sites.push_back(std::move(ref));
  }
  if (c.sites.empty() && !dwc.empty()) return c;  // every site comes from the DWC: nothing to extract
  if (c.sites.empty()) {
    return Error(ErrorKind::kConfig, "the token cannot view any site").WithHint("give the token's user view access");
  }
  return c;
}

namespace {

// Before anything lands: a site's planned days that start before its first landed day (a first
// run, or --from before it) are a backfill, recorded so that a kill or a failed day midway does not
// leave those days behind (landing/backfill_marker.h).
Status MarkBackfillStarts(const landing::LandingZone& zone, const std::vector<PlannedPartition>& plan,
                          std::map<int64_t, SiteLanding>& sites) {
  std::map<int64_t, CivilDate> earliest;
  for (const auto& p : plan) {
    if (p.partial) continue;  // today is taken again once closed
    auto [it, added] = earliest.emplace(p.site.id, p.date);
    if (!added && p.date < it->second) it->second = p.date;
  }
  for (const auto& [site, from] : earliest) {
    SiteLanding& s = sites[site];
    if (s.first_landed && *s.first_landed <= from) continue;
    if (s.backfill_marker && *s.backfill_marker <= from) continue;
    METL_TRY(landing::WriteBackfillMarker(zone, site, from));
    s.backfill_marker = from;
  }
  return OkStatus();
}

// After the run: a marker whose days have all landed (the first landed day reached it) goes.
Status ClearFinishedBackfills(const landing::LandingZone& zone, const std::map<int64_t, SiteLanding>& sites) {
  for (const auto& [site, s] : sites) {
    if (!s.backfill_marker) continue;
    landing::PartitionFilter filter;
    filter.sites = {site};
    METL_ASSIGN_OR_RETURN(auto landed, zone.ListPartitions(filter));
    if (!landed.empty() && landed.front().date <= *s.backfill_marker) {
      METL_TRY(landing::DeleteBackfillMarker(zone, site));
    }
  }
  return OkStatus();
}

}  // namespace

PlanOptions PlanOptionsFromConfig(const Config& config, const Clock& clock) {
  PlanOptions p;
  p.from = config.Date("from");
  p.to = config.Date("to");
  p.backfill_days = config.Int("backfill_days");
  p.lookback_days = config.Int("lookback_days");
  p.include_today = config.Bool("include_today");
  p.now = clock.NowEpochSeconds();
  return p;
}

Result<ExtractSummary> RunExtraction(const Config& config, const std::string& token, const Clock& clock,
                                     const ExtractRunOptions& options) {
  double start = MonotonicSeconds();
  landing::LandingZone zone(config.String("landing"));
  // Matomo before the lock, which creates the landing folder: a run that cannot start (no URL, an
  // unknown site, Matomo unreachable) leaves nothing behind.
  METL_ASSIGN_OR_RETURN(auto client, MakeClient(config, token, options.transport));
  METL_ASSIGN_OR_RETURN(Connection conn, Connect(*client, config));
  std::shared_ptr<void> lock;  // a landing::RunLock or, on an object store, a landing::ObjectRunLock
  if (options.acquire_lock) {
    METL_ASSIGN_OR_RETURN(lock, landing::AcquireZoneLock(zone, "extract"));
  }
  METL_TRY(zone.CleanTemp());  // leftovers of a killed run
  std::map<int64_t, SiteLanding> site_landing;
  METL_ASSIGN_OR_RETURN(auto plan,
                        PlanPartitions(zone, conn.sites, PlanOptionsFromConfig(config, clock), &site_landing));
  METL_TRY(MarkBackfillStarts(zone, plan, site_landing));

  ExtractSummary summary;
  summary.matomo_version = conn.matomo_version;
  summary.sites = conn.sites;
  summary.partitions.resize(plan.size());
  LogInfo("extracting", {{"matomo_version", conn.matomo_version},
                         {"sites", conn.sites.size()},
                         {"partitions", plan.size()},
                         {"landing", zone.root().string()}});

  int64_t page_size = config.Int("page_size");
  PageSizer sizer(page_size, std::max(5.0, static_cast<double>(config.Int("timeout")) / 4));
  std::atomic<int64_t> visits{0};
  ExportContext ctx;
  ctx.client = client.get();
  ctx.zone = &zone;
  ctx.sizer = &sizer;
  ctx.clock = &clock;
  METL_ASSIGN_OR_RETURN(ctx.compression, landing::ParseCompression(config.String("compression")));
  ctx.matomo_version = conn.matomo_version;
  ctx.extractor_version = METL_VERSION;
  ctx.visits_counter = &visits;

  ProgressDisplay progress(options.progress.empty() ? config.String("progress") : options.progress,
                           static_cast<int64_t>(plan.size()), &client->stats(), &visits);
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};  // an auth failure mid-run stops the others
  std::mutex mu;
  auto worker = [&] {
    for (;;) {
      size_t i = next++;
      if (i >= plan.size()) return;
      PartitionOutcome o;
      if (stop) {
        o.site_id = plan[i].site.id;
        o.date = plan[i].date;
        o.error = "not attempted: the run stopped after an authentication failure";
        o.error_kind = ErrorKind::kConfig;
      } else {
        o = ExportPartition(ctx, plan[i]);
        if (o.result == PartitionResult::kFailed && o.error_kind == ErrorKind::kConfig) stop = true;
      }
      std::lock_guard<std::mutex> lock_guard(mu);
      summary.partitions[i] = o;
      progress.PartitionDone();
      std::initializer_list<LogField> fields = {
          {"site", o.site_id}, {"date", o.date.ToString()},
          {"result", PartitionResultName(o.result)}, {"visits", o.visits},
          {"matomo_nb_visits", o.matomo_nb_visits},
          {"requests", o.requests}};
      if (o.result == PartitionResult::kFailed) {
        LogError("partition failed: " + o.error, fields);
      } else if (o.result == PartitionResult::kMismatch) {
        LogWarn("partition landed marked mismatch: " + o.error, fields);
      } else if (!progress.active()) {
        LogInfo(o.partial ? "partition landed (partial: today)" : "partition done", fields);
      }
      if (options.on_partition) options.on_partition(o);
    }
  };
  int threads = static_cast<int>(std::min<int64_t>(config.Int("concurrency"), static_cast<int64_t>(plan.size())));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  progress.Stop();
  METL_TRY(ClearFinishedBackfills(zone, site_landing));

  for (const auto& o : summary.partitions) {
    switch (o.result) {
      case PartitionResult::kLanded: ++summary.landed; break;
      case PartitionResult::kUnchanged: ++summary.unchanged; break;
      case PartitionResult::kFailed: ++summary.failed; break;
      case PartitionResult::kMismatch: ++summary.mismatched; break;
    }
  }
  summary.visits = visits.load();
  summary.requests = client->stats().requests.load();
  summary.retries = client->stats().retries.load();
  summary.rate_limited = client->stats().rate_limited.load();
  summary.seconds = MonotonicSeconds() - start;
  if (options.keep_lock) summary.run_lock = lock;
  if (stop) {
    // Authentication broke mid-run (token revoked): a config/auth error, as the issue asks.
    for (const auto& o : summary.partitions) {
      if (o.result == PartitionResult::kFailed && o.error_kind == ErrorKind::kConfig &&
          o.error.rfind("not attempted", 0) != 0) {
        summary.exit_code = kExitUsage;
      }
    }
  }
  if (summary.exit_code == 0) {
    summary.exit_code = summary.failed ? kExitPartitionsFailed : summary.mismatched ? kExitMismatch : kExitOk;
  }
  return summary;
}

std::string FormatSummary(const ExtractSummary& s) {
  char head[512];
  std::snprintf(head, sizeof head,
                "extract: %zu partitions: %lld landed, %lld unchanged, %lld mismatch, %lld failed; %lld visits, "
                "%lld requests (%lld retries, %lld rate-limited) in %.1f s\n",
                s.partitions.size(), static_cast<long long>(s.landed), static_cast<long long>(s.unchanged),
                static_cast<long long>(s.mismatched), static_cast<long long>(s.failed),
                static_cast<long long>(s.visits), static_cast<long long>(s.requests),
                static_cast<long long>(s.retries), static_cast<long long>(s.rate_limited), s.seconds);
  std::string out = head;
  for (const auto& o : s.partitions) {
    if (o.result == PartitionResult::kFailed) {
      out += "  FAILED   site " + std::to_string(o.site_id) + " " + o.date.ToString() + ": " + o.error + "\n";
    } else if (o.result == PartitionResult::kMismatch) {
      out += "  MISMATCH site " + std::to_string(o.site_id) + " " + o.date.ToString() + ": " + o.error + "\n";
    }
  }
  if (s.failed) out += "Failed partitions are retried by the next run (they stay due until they land).\n";
  return out;
}

}  // namespace metl::extract
