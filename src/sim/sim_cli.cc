#include "sim/sim_cli.h"

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "core/civil_date.h"
#include "core/clock.h"
#include "core/log.h"
#include "sim/dwc_export.h"
#include "sim/generated_dataset.h"
#include "sim/replay_dataset.h"
#include "sim/server.h"

namespace metl::sim {
namespace {

HttpServer* g_server = nullptr;

void OnSignal(int) {
  if (g_server != nullptr) g_server->Stop();
}

struct CliOptions {
  uint64_t seed = 1;
  int sites = 2;
  int visits_per_day = 200;
  std::string from, to, now, replay, request_log;
  std::string token;
  bool allow_token_in_query = false;
  int threads = 16;
  int port = 0;
  int gzip_level = 1;
  bool late_data = false;
  int64_t rate_limit = 0, max_concurrent = 0, query_timeout_above = 0;
  std::string fail_5xx, php_fatal, cut_body, random_errors, invalid_utf8;
  double latency_ms = 0, latency_per_visit_ms = 0;
  DwcExportOptions dwc;  // dwc.dir "" = no export
};

int Fail(const Error& e) {
  std::fprintf(stderr, "matomo-sim: %s\n", e.ToString().c_str());
  return 2;
}

Result<std::shared_ptr<const Dataset>> MakeDataset(const CliOptions& o, int64_t now, GeneratorOptions& g) {
  CivilDate yesterday = DateOfEpoch(now) - 1;
  g.to = yesterday;
  g.from = yesterday - 29;
  if (!o.replay.empty()) {
    METL_ASSIGN_OR_RETURN(auto replay, ReplayDataset::Open(o.replay));
    return std::shared_ptr<const Dataset>(std::move(replay));
  }
  g.seed = o.seed;
  g.sites = o.sites;
  g.visits_per_day = o.visits_per_day;
  g.to = yesterday;
  g.from = yesterday - 29;
  if (!o.to.empty()) {
    METL_ASSIGN_OR_RETURN(g.to, CivilDate::Parse(o.to));
  }
  if (!o.from.empty()) {
    METL_ASSIGN_OR_RETURN(g.from, CivilDate::Parse(o.from));
  } else if (!o.to.empty()) {
    g.from = g.to - 29;
  }
  if (g.to < g.from) return Error(ErrorKind::kConfig, "--from is after --to");
  METL_ASSIGN_OR_RETURN(auto generated, GeneratedDataset::Create(g));
  return std::shared_ptr<const Dataset>(std::move(generated));
}

}  // namespace

int Main(int argc, char** argv) {
  CliOptions o;
  CLI::App app{
      "matomo-sim: a stand-in for Matomo 5.1.2's HTTP Reporting API (Live.getLastVisitsDetails, VisitsSummary.get,\n"
      "Actions.get, Goals.get, Goals.getGoals, SitesManager.*, API.getMatomoVersion, and the report methods of\n"
      "docs/reports.md: Actions.getPageUrls, Referrers.getAll, Events.getCategory, ...) on 127.0.0.1.\n"
      "The first line on stdout is the URL it serves. Fault rates take a probability (0.1), every:N or first:N.",
      "matomo-sim"};
  app.add_option("--port", o.port, "TCP port on 127.0.0.1; 0 picks a free one")->capture_default_str();
  app.add_option("--threads", o.threads, "worker threads (concurrent requests served)")->capture_default_str();
  app.add_option("--gzip-level", o.gzip_level,
                 "zlib level (1-9) for clients sending Accept-Encoding: gzip; 0 never compresses (fastest on loopback)")
      ->capture_default_str()
      ->check(CLI::Range(0, 9));
  app.add_option("--token", o.token,
                 "the token_auth it accepts (default: $MATOMO_SIM_TOKEN, else \"sim-token\"; a test token, no secret)");
  app.add_flag("--allow-token-in-query", o.allow_token_in_query,
               "also accept token_auth in the query string (default: POST body only, like Matomo 5 secure tokens)");
  app.add_option("--seed", o.seed, "seed of the generated data, tie orders and random faults")->capture_default_str();
  app.add_option("--sites", o.sites, "number of generated sites")->capture_default_str();
  app.add_option("--visits-per-day", o.visits_per_day, "generated visits per site and day")->capture_default_str();
  app.add_option("--from", o.from, "first generated day YYYY-MM-DD (default: 30 days up to --to)");
  app.add_option("--to", o.to, "last generated day YYYY-MM-DD (default: yesterday of --now)");
  app.add_option("--now", o.now,
                 "the clock it pretends to have: epoch seconds or \"YYYY-MM-DD HH:MM:SS\" UTC (default: real time); "
                 "it advances from there in real time");
  app.add_option("--replay", o.replay,
                 "serve DIR/sites.json and DIR/site=<id>/date=<YYYY-MM-DD>.json|.jsonl instead of generated data");
  app.add_option("--request-log", o.request_log, "append one JSON line per request to FILE (without token_auth)");
  app.add_flag("--late-data", o.late_data,
               "after the first Live request of a past (site, day), add that day's late visits");
  app.add_option("--rate-limit", o.rate_limit, "HTTP 429 + Retry-After above N API calls per minute (0 = off)");
  app.add_option("--max-concurrent", o.max_concurrent, "HTTP 429 when more than N API calls are in flight (0 = off)");
  app.add_option("--fail-5xx", o.fail_5xx, "rate of 500/502/503/504 HTML pages");
  app.add_option("--php-fatal", o.php_fatal, "rate of PHP fatal error HTML pages with status 200");
  app.add_option("--cut-body", o.cut_body, "rate of bodies cut off halfway (connection closed)");
  app.add_option("--random-errors", o.random_errors, "rate of {\"result\":\"error\"} objects with status 200");
  app.add_option("--invalid-utf8", o.invalid_utf8,
                 "rate of visits (by idVisit) whose page titles carry a Latin-1 byte (invalid UTF-8)");
  app.add_option("--latency-ms", o.latency_ms, "added latency per API call (ms)");
  app.add_option("--latency-per-visit-ms", o.latency_per_visit_ms, "added latency per visit in a Live page (ms)");
  app.add_option("--query-timeout-above", o.query_timeout_above,
                 "Live filter_limit above N (or -1) answers \"Could not run the query in time\" (0 = off)");
  app.add_option("--dwc-export", o.dwc.dir,
                 "also write the Data Warehouse Connector export of the served visits (--from..--to) into DIR");
  app.add_option("--dwc-layout", o.dwc.layout,
                 "partitioned: TABLE/date=YYYY-MM-DD/part-0.jsonl; flat: TABLE_YYYYMMDD.jsonl (default partitioned)");
  app.add_option("--dwc-compression", o.dwc.compression, "none, gzip or zstd (default none)");
  app.add_option("--dwc-binary", o.dwc.binary,
                 "idvisitor/config_id/location_ip as hex, base64 or mysql (base64:type254:...) (default hex)");
  std::string dwc_dims = "file";
  app.add_option("--dwc-custom-dimensions", dwc_dims,
                 "file: also write Matomo's custom_dimensions table; none: leave it out, as the real export does "
                 "(the mapping is then CustomDimensions.getConfiguredCustomDimensions) (default file)")
      ->check(CLI::IsMember({"file", "none"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  o.dwc.custom_dimensions = dwc_dims == "file";

  int64_t now = 0;
  std::shared_ptr<const Clock> clock;
  if (o.now.empty()) {
    clock = std::make_shared<SystemClock>();
  } else {
    auto parsed = ParseTimestamp(o.now);
    if (!parsed.ok()) return Fail(Error(ErrorKind::kConfig, "bad --now: " + parsed.error().message()));
    clock = std::make_shared<FixedClock>(*parsed, /*advance=*/true);
  }
  now = clock->NowEpochSeconds();

  ServerOptions so;
  so.threads = o.threads;
  so.port = o.port;
  so.request_log = o.request_log;
  so.gzip_level = o.gzip_level;
  so.handler.seed = o.seed;
  so.handler.allow_token_in_query = o.allow_token_in_query;
  if (!o.token.empty()) {
    so.handler.token = o.token;
  } else if (const char* env = std::getenv("MATOMO_SIM_TOKEN"); env != nullptr && *env != '\0') {
    so.handler.token = env;
  }
  FaultOptions& f = so.handler.faults;
  f.rate_limit_per_min = o.rate_limit;
  f.max_concurrent = o.max_concurrent;
  f.latency_ms = o.latency_ms;
  f.latency_per_visit_ms = o.latency_per_visit_ms;
  f.query_timeout_above = o.query_timeout_above;
  f.late_data = o.late_data;
  struct {
    const std::string* text;
    FaultSpec* spec;
    const char* flag;
  } specs[] = {{&o.fail_5xx, &f.fail_5xx, "--fail-5xx"},
               {&o.php_fatal, &f.php_fatal, "--php-fatal"},
               {&o.cut_body, &f.cut_body, "--cut-body"},
               {&o.random_errors, &f.random_errors, "--random-errors"},
               {&o.invalid_utf8, &f.invalid_utf8, "--invalid-utf8"}};
  for (auto& s : specs) {
    auto parsed = FaultSpec::Parse(*s.text);
    if (!parsed.ok()) {
      return Fail(Error(ErrorKind::kConfig, std::string(s.flag) + ": " + parsed.error().message(),
                        parsed.error().context()));
    }
    *s.spec = *parsed;
  }

  GeneratorOptions range;
  auto dataset = MakeDataset(o, now, range);
  if (!dataset.ok()) return Fail(dataset.error());
  if (!o.dwc.dir.empty()) {  // written before the URL is printed: a test that read it finds the files
    Status exported = WriteDwcExport(**dataset, range.from, range.to, now, o.dwc);
    if (!exported.ok()) return Fail(exported.error());
  }
  auto server = HttpServer::Create(*dataset, clock, so);
  if (!server.ok()) return Fail(server.error());
  auto port = (*server)->Bind();
  if (!port.ok()) return Fail(port.error());
  std::printf("http://127.0.0.1:%d/\n", *port);
  std::fflush(stdout);
  g_server = server->get();
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGPIPE, SIG_IGN);
  bool ok = (*server)->Run();
  g_server = nullptr;
  return ok ? 0 : 1;
}

}  // namespace metl::sim
