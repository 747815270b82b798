// The command list of matomo-etl. main.cc calls Main; each command's body is in cmd_<verb>.cc.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/config.h"
#include "warehouse/loader.h"
#include "warehouse/warehouse.h"

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
// `load --dry-run` (cmd_load_dry_run.cc): what the load would do, changing nothing.
int RunLoadDryRun(CommandContext& ctx, warehouse::LoadOptions options, const warehouse::WarehouseLocation& where);
int RunSync(CommandContext& ctx);
int RunStatus(CommandContext& ctx);
int RunVerify(CommandContext& ctx);
int RunVerifyReports(CommandContext& ctx);  // verify --reports (verify_reports.cc)
int RunDemo(CommandContext& ctx);
int RunSql(CommandContext& ctx);
int RunDwcExtract(CommandContext& ctx);
int RunDwcLoad(CommandContext& ctx);  // `dwc load` (cmd_dwc_load.cc)
int RunDwcSync(CommandContext& ctx);  // `dwc sync` (cmd_dwc_sync.cc)
int RunReport(CommandContext& ctx);

// Prints an error the way every command does: "error: <message>. <hint>" on stderr (and as a
// JSON log line with --log-format json).
void ReportError(const Error& error);
// The exit code an error maps to: config/auth -> 2, others -> 1 unless a command decides more.
int ExitCodeFor(const Error& error);

}  // namespace metl::cli
