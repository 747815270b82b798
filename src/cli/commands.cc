#include "cli/commands.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string_view>
#include <vector>

#include "core/exit_codes.h"
#include "core/log.h"
#include "core/version.h"
#include "normalize/schema_docs.h"

namespace metl::cli {
namespace {

struct CommandDef {
  const char* name;
  unsigned bit;
  const char* description;
  int (*run)(CommandContext&);
  const char* group = nullptr;  // "dwc": the command is `matomo-etl dwc <name>`
};

const CommandDef kCommands[] = {
    {"extract", kCmdExtract, "Extract due (site, day) partitions from Matomo's Live API into the landing zone.",
     RunExtract},
    {"check", kCmdCheck, "Check the URL and token; list sites, time zones and the partitions a run would extract.",
     RunCheck},
    {"load", kCmdLoad, "Load landed partitions into the warehouse and rebuild the models.", RunLoad},
    {"sync", kCmdSync, "The daily job: extract, load and models.", RunSync},
    {"status", kCmdStatus, "Per site and day: extracted, loaded, visits, status, freshness, gaps.", RunStatus},
    {"verify", kCmdVerify, "Compare the warehouse's daily figures with Matomo's own aggregates.", RunVerify},
    {"demo", kCmdDemo, "Start the built-in Matomo simulator, sync it into a local DuckDB file, and show it.",
     RunDemo},
    {"sql", kCmdSql, "Run one read-only SQL query against the warehouse; print a table, CSV or JSON (--format).",
     RunSql},
    {"extract", kCmdDwcExtract,
     "Land the new or changed files of a Data Warehouse Connector export (s3://BUCKET/PREFIX) under "
     "<landing>/dwc/, each exactly once.",
     RunDwcExtract, "dwc"},
    {"load", kCmdDwcLoad,
     "Load Data Warehouse Connector export files (landed by `dwc extract`, or --from-dir) into the curated tables.",
     RunDwcLoad, "dwc"},
    {"sync", kCmdDwcSync, "The DWC daily job: `dwc extract` then `dwc load`, with the options of both.", RunDwcSync,
     "dwc"},
    {"report", kCmdReport, "Write one self-contained HTML report (charts, channels, pages, funnel, cohorts) of the warehouse.",
     RunReport},
};

// Flags a user may try for the Matomo token (which is only read from the environment or token_file).
bool IsTokenFlag(std::string_view name) {
  return name == "--token" || name == "--token-auth" || name == "--token_auth" || name == "--auth-token";
}

// Flags a user may try for the ClickHouse password (config file or CLICKHOUSE_PASSWORD only).
bool IsPasswordFlag(std::string_view name) {
  return name == "--clickhouse-password" || name == "--clickhouse_password" || name == "--password";
}

void ApplyLogOptions(const Config& config) {
  SetLogFormat(config.String("log_format") == "json" ? LogFormat::kJson : LogFormat::kText);
  LogLevel level = LogLevel::kInfo;
  if (ParseLogLevel(config.String("log_level"), level)) SetLogLevel(level);
}

// --log-format json from the command line or the environment, seen before the arguments are parsed,
// so that a command line CLI11 refuses is reported as JSON too (the config file is read only later).
bool JsonLogsRequested(int argc, char** argv) {
  bool json = false;
  if (const char* env = std::getenv("MATOMO_ETL_LOG_FORMAT")) json = std::string_view(env) == "json";
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--log-format" && i + 1 < argc) json = std::string_view(argv[i + 1]) == "json";
    if (a.substr(0, 13) == "--log-format=") json = a.substr(13) == "json";
  }
  return json;
}

}  // namespace

void ReportError(const Error& error) {
  if (CurrentLogFormat() == LogFormat::kJson) {
    const ErrorContext& c = error.context();
    std::vector<LogField> fields = {{"kind", ErrorKindName(error.kind())}};
    if (c.site_id) fields.emplace_back("site", *c.site_id);
    if (!c.date.empty()) fields.emplace_back("date", c.date);
    if (c.http_status) fields.emplace_back("http_status", *c.http_status);
    if (!c.matomo_message.empty()) fields.emplace_back("matomo_message", c.matomo_message);
    if (!c.hint.empty()) fields.emplace_back("hint", c.hint);
    fields.emplace_back("detail", error.ToString());
    Log(LogLevel::kError, error.message(), fields);
  } else {
    std::fprintf(stderr, "error: %s\n", error.ToString().c_str());
  }
}

int ExitCodeFor(const Error& error) {
  switch (error.kind()) {
    case ErrorKind::kConfig: return kExitUsage;
    case ErrorKind::kTerminal: return kExitUsage;
    case ErrorKind::kTransient:
    case ErrorKind::kData: return kExitPartitionsFailed;
    case ErrorKind::kInternal: return kExitInternal;
  }
  return kExitInternal;
}

int Main(int argc, char** argv) {
  CLI::App app{"matomo-etl " METL_VERSION ": Matomo raw data (visits and actions) into a warehouse, exactly once."};
  app.require_subcommand(1);
  app.set_version_flag("--version", METL_VERSION);
  app.footer("Options can also be set in matomo-etl.toml or as MATOMO_ETL_<KEY> variables; see docs/configuration.md.");
  if (JsonLogsRequested(argc, argv)) SetLogFormat(LogFormat::kJson);

  // `options`: the generated configuration reference.
  CLI::App* options_cmd = app.add_subcommand("options", "Print the configuration reference (Markdown).");
  // `schema`: the data dictionary of every table (docs/schema.md).
  CLI::App* schema_cmd = app.add_subcommand("schema", "Print the data dictionary of every table (Markdown).");

  std::map<std::string, std::vector<std::string>> flags;
  const CommandDef* chosen = nullptr;
  auto add_options = [&flags](CLI::App* sub, unsigned bit) {
    for (const auto& o : AllOptions()) {
      if (!(o.commands & bit) || o.secret) continue;  // a secret is never a flag
      std::string key(o.key);
      std::string help(o.description);
      if (!o.default_value.empty()) help += " [default: " + std::string(o.default_value) + "]";
      if (o.type == OptionType::kBool) {
        sub->add_flag_callback(FlagName(o.key), [&flags, key] { flags[key] = {"true"}; }, help);
      } else if (o.type == OptionType::kIntList) {
        sub->add_option_function<std::vector<std::string>>(
               FlagName(o.key), [&flags, key](const std::vector<std::string>& v) {
                 auto& dst = flags[key];
                 dst.insert(dst.end(), v.begin(), v.end());
               }, help)
            ->type_name("ID")
            ->delimiter(',');
      } else {
        sub->add_option_function<std::string>(
               FlagName(o.key), [&flags, key](const std::string& v) { flags[key] = {v}; }, help)
            ->type_name(o.type == OptionType::kDate ? "DATE" : o.type == OptionType::kInt ? "N" : "VALUE");
      }
    }
  };
  std::map<std::string, CLI::App*> groups;
  for (const auto& def : kCommands) {
    CLI::App* parent = &app;
    if (def.group != nullptr) {
      CLI::App*& g = groups[def.group];
      if (g == nullptr) {
        g = app.add_subcommand(def.group, "Matomo's Data Warehouse Connector exports (option B; docs/dwc.md).");
        g->require_subcommand(1);
      }
      parent = g;
    }
    CLI::App* sub = parent->add_subcommand(def.name, def.description);
    sub->callback([&chosen, &def] { chosen = &def; });
    if (def.bit == kCmdSql) {  // the statement, as the argument (or --query)
      sub->add_option_function<std::string>(
             "SQL", [&flags](const std::string& v) { flags["query"] = {v}; },
             "The SQL statement, e.g. \"SELECT * FROM matomo_daily_kpis ORDER BY date DESC LIMIT 7\"")
          ->type_name("");
    }
    add_options(sub, def.bit);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError& e) {
    // CLI11 echoes unexpected arguments, values included: `--token SECRET` would print the token.
    // Name only the options (without any =value) and count the rest.
    std::string what = e.what(), names;
    int hidden = 0;
    bool token_flag = false, password_flag = false;
    size_t colon = what.find(": ");
    std::string list = colon == std::string::npos ? "" : what.substr(colon + 2);
    for (size_t start = 0; start < list.size();) {
      size_t end = list.find(' ', start);
      std::string word = list.substr(start, end == std::string::npos ? std::string::npos : end - start);
      start = end == std::string::npos ? list.size() : end + 1;
      if (word.empty()) continue;
      if (word[0] == '-') {
        std::string name = word.substr(0, word.find('='));
        token_flag = token_flag || IsTokenFlag(name);
        password_flag = password_flag || IsPasswordFlag(name);
        names += " " + name;
      } else {
        ++hidden;
      }
    }
    if (token_flag) {
      // The value stays unprinted: it is the secret that must not be in a process argument.
      ReportError(Error(ErrorKind::kConfig,
                        "the Matomo token is never read from the command line (other users see it in `ps`)")
                      .WithHint("export it instead: export MATOMO_TOKEN_AUTH=<token_auth> (or set token_file, mode 0600)"));
      return kExitUsage;
    }
    if (password_flag) {
      ReportError(Error(ErrorKind::kConfig,
                        "a password is never read from the command line (other users see it in `ps`)")
                      .WithHint("export CLICKHOUSE_PASSWORD=... or set clickhouse_password in the config file (mode 0600); "
                                "PostgreSQL: PGPASSWORD or ~/.pgpass"));
      return kExitUsage;
    }
    std::string hidden_note =
        hidden ? " and " + std::to_string(hidden) + " value(s), not shown (a value may be a secret)" : "";
    ReportError(Error(ErrorKind::kConfig, "unexpected argument(s):" + names + hidden_note)
                    .WithHint("run with --help for more information"));
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
    if (CurrentLogFormat() == LogFormat::kJson && e.get_exit_code() != 0) {  // --help and --version stay text
      ReportError(Error(ErrorKind::kConfig, e.what()).WithHint("run with --help for more information"));
      return kExitUsage;
    }
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  if (options_cmd->parsed()) {
    std::fputs(OptionsMarkdown().c_str(), stdout);
    return kExitOk;
  }
  if (schema_cmd->parsed()) {
    std::fputs(SchemaMarkdown().c_str(), stdout);
    return kExitOk;
  }
  if (!chosen) return kExitUsage;

  ConfigInputs inputs;
  inputs.flags = std::move(flags);
  inputs.env = ProcessEnvironment();
  auto config = ResolveConfig(chosen->bit, inputs);
  if (!config.ok()) {
    ReportError(config.error());
    return kExitUsage;
  }
  ApplyLogOptions(*config);
  CommandContext ctx{std::move(config).value(), std::move(inputs.env), nullptr};
  if (auto now = ctx.config.Timestamp("now")) {
    ctx.clock = std::make_unique<FixedClock>(*now, /*advance=*/true);
  } else {
    ctx.clock = std::make_unique<SystemClock>();
  }
  try {
    return chosen->run(ctx);
  } catch (const std::exception& e) {
    ReportError(Error(ErrorKind::kInternal, std::string("internal error: ") + e.what())
                    .WithHint("this is a bug in matomo-etl; please report it with the command line"));
    return kExitInternal;
  }
}

}  // namespace metl::cli
