// `matomo-etl demo` (what `make run` runs): starts the built-in Matomo simulator (matomo-sim, next
// to this binary) on a free loopback port with a freshly generated token (handed over in the
// environment and sent in POST bodies only), syncs 2 sites x 14 days into <demo_dir>/matomo.duckdb,
// verifies the result against the simulator's own aggregates, prints what landed and how to query
// it, and stops the simulator.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <random>

#include "cli/commands.h"
#include "cli/load_common.h"
#include "core/exit_codes.h"
#include "core/log.h"
#include "warehouse/ddl.h"

extern char** environ;

namespace metl::cli {
namespace {

std::string RandomToken() {
  std::random_device rd;
  static const char* kHex = "0123456789abcdef";
  std::string t;
  for (int i = 0; i < 32; ++i) t += kHex[rd() % 16];
  return t;
}

// matomo-sim as a child process; stopped (SIGTERM, then SIGKILL) when destroyed.
class Simulator {
 public:
  ~Simulator() { Stop(); }
  Result<std::string> Start(const std::string& bin, const std::vector<std::string>& args, const std::string& token) {
    int out[2];
    if (pipe(out) != 0) return Error(ErrorKind::kInternal, "pipe failed");
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) {
      if (std::string_view(*e).substr(0, 17) != "MATOMO_SIM_TOKEN=") env_strings.emplace_back(*e);
    }
    env_strings.push_back("MATOMO_SIM_TOKEN=" + token);  // environment, never argv
    std::vector<char*> envp, argv;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> all{bin};
    all.insert(all.end(), args.begin(), args.end());
    for (auto& s : all) argv.push_back(s.data());
    argv.push_back(nullptr);
    const pid_t demo_pid = getpid();
    pid_ = fork();
    if (pid_ < 0) return Error(ErrorKind::kInternal, "fork failed");
    if (pid_ == 0) {
      // The simulator must not outlive the demo, even when the demo is killed (SIGTERM, SIGKILL).
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (getppid() != demo_pid) _exit(0);  // the demo died before prctl took effect
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      int devnull = open("/dev/null", O_WRONLY);
      if (devnull >= 0) dup2(devnull, 2);  // the simulator's request log stays out of the demo's output
      execve(bin.c_str(), argv.data(), envp.data());
      _exit(127);
    }
    close(out[1]);
    std::string line;
    pollfd p{out[0], POLLIN, 0};
    while (line.find('\n') == std::string::npos) {
      if (poll(&p, 1, 30000) <= 0) break;
      char buf[256];
      ssize_t n = read(out[0], buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<size_t>(n));
    }
    close(out[0]);
    if (line.find('\n') == std::string::npos) return Error(ErrorKind::kInternal, "matomo-sim did not start");
    return line.substr(0, line.find('\n'));
  }
  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      usleep(100000);
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

Result<Config> CommandConfig(unsigned command, std::map<std::string, std::vector<std::string>> flags,
                             const std::map<std::string, std::string>& env) {
  ConfigInputs inputs;
  inputs.flags = std::move(flags);
  inputs.env = env;
  inputs.default_config_path = "";  // the demo ignores ./matomo-etl.toml: it must not touch a real setup
  return ResolveConfig(command, inputs);
}

// How to run this binary from the current folder: "./build/matomo-etl" rather than a long absolute path.
std::string CommandName(const std::filesystem::path& self) {
  std::error_code ec;
  auto rel = std::filesystem::relative(self, std::filesystem::current_path(ec), ec);
  if (ec || rel.empty() || rel.native().rfind("..", 0) == 0) return self.string();
  return rel.has_parent_path() ? rel.string() : "./" + rel.string();
}

void PrintSummary(warehouse::Session& session, const std::string& db_path, const std::string& etl) {
  std::printf("\nWhat landed in %s:\n\n", db_path.c_str());
  std::printf("  %-28s %10s\n", "table", "rows");
  for (const TableDef& t : AllTables()) {
    auto r = session.Query("SELECT count(*) FROM " + warehouse::QuoteIdent(t.name));
    if (r.ok() && !r->rows.empty()) {
      std::printf("  %-28s %10s\n", std::string(t.name).c_str(), r->rows[0][0].value_or("0").c_str());
    }
  }
  auto kpis = session.Query(
      "SELECT site_id, CAST(date AS VARCHAR), nb_visits, nb_uniq_visitors, nb_actions, nb_pageviews, bounce_count, "
      "nb_conversions, CAST(revenue AS DECIMAL(18,2)) FROM matomo_daily_kpis ORDER BY site_id, date");
  if (kpis.ok()) {
    std::printf("\nDaily KPIs (matomo_daily_kpis):\n\n  %-4s %-10s %7s %7s %8s %9s %7s %11s %10s\n", "site", "date",
                "visits", "uniq", "actions", "pageviews", "bounces", "conversions", "revenue");
    for (const auto& row : kpis->rows) {
      std::printf("  %-4s %-10s %7s %7s %8s %9s %7s %11s %10s\n", row[0].value_or("").c_str(),
                  row[1].value_or("").c_str(), row[2].value_or("").c_str(), row[3].value_or("").c_str(),
                  row[4].value_or("").c_str(), row[5].value_or("").c_str(), row[6].value_or("").c_str(),
                  row[7].value_or("").c_str(), row[8].value_or("").c_str());
    }
  }
  // `matomo-etl sql`, not the DuckDB CLI: nothing installs that one.
  std::printf(
      "\nQuery it with `matomo-etl sql` (read-only; --format csv or json for other tools):\n\n"
      "  %s sql --warehouse duckdb:%s \\\n"
      "    \"SELECT referrer_type, count(*) AS visits, sum(revenue) AS revenue "
      "FROM matomo_visits GROUP BY 1 ORDER BY 2 DESC\"\n"
      "  %s sql --warehouse duckdb:%s \\\n"
      "    \"SELECT url, count(*) AS pageviews FROM matomo_actions "
      "WHERE action_type = 'pageview' GROUP BY 1 ORDER BY 2 DESC LIMIT 10\"\n\n"
      "Other tools that open the file (DuckDB's Python package, DBeaver, Power BI): docs/bi.md.\n"
      "Tables and columns: docs/schema.md. Against a real Matomo: docs/getting-started.md.\n",
      etl.c_str(), db_path.c_str(), etl.c_str(), db_path.c_str());
}

}  // namespace

int RunDemo(CommandContext& ctx) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  fs::path sim_bin = self.parent_path() / "matomo-sim";
  if (ec || !fs::exists(sim_bin)) {
    ReportError(Error(ErrorKind::kConfig, "matomo-sim not found next to matomo-etl (" + sim_bin.string() + ")")
                    .WithHint("build it: `make build` (or `cmake --build build --target matomo-sim`)"));
    return kExitUsage;
  }
  const std::string& demo_dir = ctx.config.String("demo_dir");
  fs::path dir = fs::absolute(demo_dir.empty() ? "./demo" : demo_dir).lexically_normal();
  fs::create_directories(dir, ec);
  if (ec) {
    ReportError(Error(ErrorKind::kConfig, "cannot create " + dir.string() + ": " + ec.message()));
    return kExitUsage;
  }
  const std::string token = RandomToken();
  const int64_t now = ctx.clock->NowEpochSeconds();
  const CivilDate to = DateOfEpoch(now) - 2;  // closed in every time zone (UTC-12 included)
  const CivilDate from = to - 13;
  Simulator sim;
  std::printf("Starting matomo-sim (2 sites, generated visits)...\n");
  auto url = sim.Start(sim_bin.string(),
                       {"--port", "0", "--sites", "2", "--visits-per-day", "150", "--now", std::to_string(now)}, token);
  if (!url.ok()) {
    ReportError(url.error());
    return kExitInternal;
  }
  std::printf("matomo-sim serves %s\n\n", url->c_str());

  std::map<std::string, std::string> env = ctx.env;
  env["MATOMO_TOKEN_AUTH"] = token;  // handed to the extractor in memory, never as an argument
  env.erase("MATOMO_ETL_TOKEN_ENV");
  env.erase("MATOMO_ETL_TOKEN_FILE");
  const std::string db = (dir / "matomo.duckdb").string();
  std::map<std::string, std::vector<std::string>> flags = {
      {"url", {*url}}, {"from", {from.ToString()}}, {"to", {to.ToString()}},
      {"landing", {(dir / "landing").string()}}, {"warehouse", {"duckdb:" + db}}, {"now", {std::to_string(now)}}};
  if (ctx.config.Int("threads") > 0) flags["threads"] = {std::to_string(ctx.config.Int("threads"))};
  flags["duckdb_memory_mb"] = {std::to_string(ctx.config.Int("duckdb_memory_mb"))};
  flags["raw_visits"] = {ctx.config.String("raw_visits")};
  auto sync_config = CommandConfig(kCmdSync, flags, env);
  if (!sync_config.ok()) {
    ReportError(sync_config.error());
    return kExitUsage;
  }
  std::printf("== matomo-etl sync --from %s --to %s --warehouse duckdb:%s\n", from.ToString().c_str(),
              to.ToString().c_str(), db.c_str());
  CommandContext sync_ctx{std::move(sync_config).value(), env, std::make_unique<FixedClock>(now, true)};
  int rc = RunSync(sync_ctx);
  if (rc != kExitOk) {
    std::printf("sync exited with %d; see the messages above\n", rc);
    return rc;
  }
  for (const char* load_only : {"landing", "threads", "raw_visits"}) flags.erase(load_only);  // not verify's
  auto verify_config = CommandConfig(kCmdVerify, flags, env);
  if (!verify_config.ok()) {
    ReportError(verify_config.error());
    return kExitUsage;
  }
  std::printf("\n== matomo-etl verify\n");
  CommandContext verify_ctx{std::move(verify_config).value(), env, std::make_unique<FixedClock>(now, true)};
  int verify_rc = RunVerify(verify_ctx);
  sim.Stop();

  warehouse::WarehouseOptions wh_options;
  wh_options.duckdb_memory_mb = ctx.config.Int("duckdb_memory_mb");
  auto wh = warehouse::OpenWarehouse("duckdb:" + db, wh_options);
  if (wh.ok()) {
    auto session = (*wh)->Connect();
    if (session.ok()) PrintSummary(**session, db, CommandName(self));
  }
  std::printf("\nThe simulator is stopped. Run `matomo-etl demo` again: unchanged days are skipped.\n");
  return verify_rc;
}

}  // namespace metl::cli
