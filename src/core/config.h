// Resolved configuration of one command: every option of the table in options.h with its value
// and where it came from. Precedence: flag > environment > config file > default.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/error.h"
#include "core/options.h"

namespace metl {

class Config {
 public:
  // Accessors take keys of the option table; asking for an undeclared key is a bug (aborts).
  bool Has(std::string_view key) const;
  const std::string& String(std::string_view key) const;  // "" when unset
  int64_t Int(std::string_view key) const;
  bool Bool(std::string_view key) const;
  std::optional<CivilDate> Date(std::string_view key) const;
  std::optional<int64_t> Timestamp(std::string_view key) const;
  std::vector<int64_t> IntList(std::string_view key) const;
  // "flag --x", "environment MATOMO_ETL_X", "file PATH", "default".
  std::string Source(std::string_view key) const;
  const std::string& config_file() const { return config_file_; }

  // Validated setter (used by the resolver and by commands that set values, like `demo`).
  Status Set(std::string_view key, std::vector<std::string> values, std::string source);

 private:
  struct Value {
    std::vector<std::string> values;
    std::string source;
  };
  const Value* Find(std::string_view key) const;
  std::map<std::string, Value, std::less<>> values_;
  std::string config_file_;
  friend Result<Config> ResolveConfig(unsigned, const struct ConfigInputs&);
};

struct ConfigInputs {
  std::map<std::string, std::vector<std::string>> flags;  // key -> values given on the command line
  std::map<std::string, std::string> env;                 // the process environment
  std::string default_config_path = "./matomo-etl.toml";  // read when present and no --config
};

// Reads the environment of this process into ConfigInputs::env form.
std::map<std::string, std::string> ProcessEnvironment();

// Validates one textual value for an option; the error names the key, the value, where it came
// from and what is allowed.
Status ValidateOptionValue(const OptionSpec& spec, const std::string& value, const std::string& source);

Result<Config> ResolveConfig(unsigned command, const ConfigInputs& inputs);

// The Matomo token: from token_file when set, else the variable named by token_env. Never from a
// flag or the config file. Warns when token_file is readable by other users.
Result<std::string> ResolveMatomoToken(const Config& config, const std::map<std::string, std::string>& env);

}  // namespace metl
