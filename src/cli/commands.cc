#include "cli/commands.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <functional>
#include <iostream>
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
};

// Flags a user may try for the Matomo token (which is only read from the environment or token_file).
bool IsTokenFlag(std::string_view name) {
  return name == "--token" || name == "--token-auth" || name == "--token_auth" || name == "--auth-token";
}

void ApplyLogOptions(const Config& config) {
  SetLogFormat(config.String("log_format") == "json" ? LogFormat::kJson : LogFormat::kText);
  LogLevel level = LogLevel::kInfo;
  if (ParseLogLevel(config.String("log_level"), level)) SetLogLevel(level);
}

}  // namespace

void ReportError(const Error& error) {
  if (CurrentLogFormat() == LogFormat::kJson) {
    LogError(error.message(), {{"kind", ErrorKindName(error.kind())}, {"detail", error.ToString()}});
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

  // `options`: the generated configuration reference.
  CLI::App* options_cmd = app.add_subcommand("options", "Print the configuration reference (Markdown).");
  // `schema`: the data dictionary of every table (docs/schema.md).
  CLI::App* schema_cmd = app.add_subcommand("schema", "Print the data dictionary of every table (Markdown).");

  std::map<std::string, std::vector<std::string>> flags;
  const CommandDef* chosen = nullptr;
  for (const auto& def : kCommands) {
    CLI::App* sub = app.add_subcommand(def.name, def.description);
    sub->callback([&chosen, &def] { chosen = &def; });
    for (const auto& o : AllOptions()) {
      if (!(o.commands & def.bit)) continue;
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
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError& e) {
    // CLI11 echoes unexpected arguments, values included: `--token SECRET` would print the token.
    // Name only the options (without any =value) and count the rest.
    std::string what = e.what(), names;
    int hidden = 0;
    bool token_flag = false;
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
        names += " " + name;
      } else {
        ++hidden;
      }
    }
    if (token_flag) {
      // The value stays unprinted: it is the secret that must not be in a process argument.
      std::fprintf(stderr,
                   "error: the Matomo token is never read from the command line (other users see it in `ps`). "
                   "Export it instead: export MATOMO_TOKEN_AUTH=<token_auth> (or set token_file, mode 0600)\n");
      return kExitUsage;
    }
    std::fprintf(stderr, "unexpected argument(s):%s%s\nRun with --help for more information.\n", names.c_str(),
                 hidden ? (" and " + std::to_string(hidden) + " value(s), not shown (a value may be a secret)").c_str()
                        : "");
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
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
    std::fprintf(stderr, "internal error: %s\nThis is a bug in matomo-etl; please report it with the command line.\n",
                 e.what());
    return kExitInternal;
  }
}

}  // namespace metl::cli
