// The command list of matomo-etl. main.cc calls Main; each command's body is in cmd_<verb>.cc.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/config.h"

namespace metl::cli {

// What every command receives: its resolved options, the environment (for the token) and a clock.
struct CommandContext {
  Config config;
  std::map<std::string, std::string> env;
  std::unique_ptr<Clock> clock;
};

int Main(int argc, char** argv);

// One function per command; they return an ExitCode (core/exit_codes.h).
int RunExtract(CommandContext& ctx);
int RunCheck(CommandContext& ctx);
int RunLoad(CommandContext& ctx);
int RunSync(CommandContext& ctx);
int RunStatus(CommandContext& ctx);
int RunVerify(CommandContext& ctx);
int RunDemo(CommandContext& ctx);
int RunSql(CommandContext& ctx);
int RunReport(CommandContext& ctx);

// Prints an error the way every command does: "error: <message>. <hint>" on stderr (and as a
// JSON log line with --log-format json).
void ReportError(const Error& error);
// The exit code an error maps to: config/auth -> 2, others -> 1 unless a command decides more.
int ExitCodeFor(const Error& error);

}  // namespace metl::cli
