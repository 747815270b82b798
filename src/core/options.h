// Every configuration option, declared once (DESIGN.md "Options declared once"): its TOML key,
// flag (--key-with-dashes), environment variable (MATOMO_ETL_KEY), type, default, which commands
// take it, and its description. The CLI, the config-file reader and docs/configuration.md are
// derived from this table; unknown keys are errors.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace metl {

enum class OptionType {
  kString,
  kPath,
  kInt,       // with [min, max]
  kBool,      // a flag without value on the command line
  kDate,      // YYYY-MM-DD
  kTimestamp, // YYYY-MM-DD[ HH:MM:SS] UTC or epoch seconds
  kEnum,      // one of `allowed` ("a|b|c")
  kIntList,   // repeatable flag; TOML array; comma-separated in the environment
};

// Commands as bits, so an option can belong to several.
enum CommandBit : unsigned {
  kCmdExtract = 1u << 0,
  kCmdCheck = 1u << 1,
  kCmdLoad = 1u << 2,
  kCmdSync = 1u << 3,
  kCmdStatus = 1u << 4,
  kCmdVerify = 1u << 5,
  kCmdDemo = 1u << 6,
  kCmdSql = 1u << 7,
  kCmdDwcExtract = 1u << 8,  // `dwc extract`
  kCmdDwcLoad = 1u << 9,     // `dwc load`
  kCmdReport = 1u << 10,
  // `dwc sync` runs `dwc extract` then `dwc load`: it takes every option of either (`--from-dir`
  // excepted, refused at run time), so its mask is theirs, and options declared for them need no edit.
  kCmdDwcSync = kCmdDwcExtract | kCmdDwcLoad,
};
inline constexpr unsigned kCmdAll = 0xffff;

struct OptionSpec {
  std::string_view key;  // snake_case TOML key
  OptionType type;
  std::string_view default_value;  // as text; "" = unset
  unsigned commands;
  std::string_view description;
  std::string_view allowed = {};  // kEnum: "a|b"; kInt: "min..max"
  bool file_allowed = true;       // false: flag/env only (e.g. `config` itself)
  // A secret (clickhouse_password): read from the config file only, never from a flag (other users see
  // process arguments in `ps`) or a MATOMO_ETL_ variable, and its value never printed.
  bool secret = false;
};

const std::vector<OptionSpec>& AllOptions();
const OptionSpec* FindOption(std::string_view key);
std::string FlagName(std::string_view key);  // "lookback_days" -> "--lookback-days"
std::string EnvName(std::string_view key);   // "lookback_days" -> "MATOMO_ETL_LOOKBACK_DAYS"
const char* OptionTypeName(OptionType type);

// docs/configuration.md, generated from the table (`matomo-etl options --markdown`).
std::string OptionsMarkdown();

}  // namespace metl
