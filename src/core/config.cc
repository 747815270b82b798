#include "core/config.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <toml++/toml.h>

#include "core/log.h"

extern char** environ;

namespace metl {
namespace {

Error ConfigError(std::string message, std::string hint = {}) {
  return Error(ErrorKind::kConfig, std::move(message), ErrorContext{.hint = std::move(hint)});
}

bool ParseInt(std::string_view s, int64_t& out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool ParseBool(std::string_view s, bool& out) {
  if (s == "true" || s == "1" || s == "yes" || s == "on") return out = true, true;
  if (s == "false" || s == "0" || s == "no" || s == "off") return out = false, true;
  return false;
}

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    std::string part = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (!part.empty()) out.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string ToLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Closest declared key, for "did you mean" hints (edit distance <= 3).
std::string Suggest(std::string_view key) {
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? size_t{0} : size_t{1})});
      }
      std::swap(prev, cur);
    }
    return prev[b.size()];
  };
  std::string best;
  size_t best_d = 4;
  for (const auto& o : AllOptions()) {
    size_t d = distance(key, o.key);
    if (d < best_d) best_d = d, best = std::string(o.key);
  }
  return best;
}

// Converts one TOML node to the textual values of an option.
Result<std::vector<std::string>> TomlValues(const OptionSpec& spec, const toml::node& node, const std::string& where) {
  auto wrong = [&](const char* got) {
    return ConfigError("config file " + where + ": key '" + std::string(spec.key) + "' must be a " +
                       OptionTypeName(spec.type) + ", not " + got);
  };
  std::vector<std::string> out;
  auto scalar = [&](const toml::node& n) -> Status {
    if (auto s = n.as_string()) {
      if (spec.type == OptionType::kInt || spec.type == OptionType::kBool || spec.type == OptionType::kIntList) {
        return wrong("a string");
      }
      out.push_back(s->get());
    } else if (auto i = n.as_integer()) {
      if (spec.type != OptionType::kInt && spec.type != OptionType::kIntList && spec.type != OptionType::kTimestamp) {
        return wrong("an integer");
      }
      out.push_back(std::to_string(i->get()));
    } else if (auto b = n.as_boolean()) {
      if (spec.type != OptionType::kBool) return wrong("a boolean");
      out.push_back(b->get() ? "true" : "false");
    } else if (auto d = n.as_date()) {
      if (spec.type != OptionType::kDate) return wrong("a date");
      out.push_back(CivilDate::FromYmd(d->get().year, d->get().month, d->get().day).ToString());
    } else {
      return wrong("this kind of value");
    }
    return OkStatus();
  };
  if (auto arr = node.as_array()) {
    if (spec.type != OptionType::kIntList) return wrong("an array");
    for (const auto& el : *arr) METL_TRY(scalar(el));
  } else {
    METL_TRY(scalar(node));
  }
  return out;
}

// A postgres://user:PASSWORD@host URI: the password is a secret the config file then holds.
bool UriHasPassword(std::string_view uri) {
  size_t scheme = uri.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view rest = uri.substr(scheme + 3);
  size_t at = rest.find('@');
  if (at == std::string_view::npos) return false;
  std::string_view userinfo = rest.substr(0, at);
  return userinfo.find('/') == std::string_view::npos && userinfo.find(':') != std::string_view::npos;
}

void WarnIfSecretReadableByOthers(const std::string& path, const std::string& warehouse, bool clickhouse_password) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !(st.st_mode & (S_IRGRP | S_IROTH))) return;
  if (clickhouse_password) {
    LogWarn("the config file holds a password (`clickhouse_password`) and is readable by other users; restrict it "
            "with chmod 600, or move the password to CLICKHOUSE_PASSWORD",
            {{"path", path}});
  }
  if (UriHasPassword(warehouse)) {
    LogWarn("the config file holds a password (in `warehouse`) and is readable by other users; restrict it with "
            "chmod 600, or move the password to PGPASSWORD or ~/.pgpass (ClickHouse: CLICKHOUSE_PASSWORD)",
            {{"path", path}});
  }
}

void WarnUnknownEnvironment(const std::map<std::string, std::string>& env) {
  constexpr std::string_view kPrefix = "MATOMO_ETL_";
  for (const auto& [name, value] : env) {
    if (!name.starts_with(kPrefix)) continue;
    if (const OptionSpec* spec = FindOption(ToLower(name.substr(kPrefix.size()))); spec && EnvName(spec->key) == name) {
      continue;
    }
    std::string suggestion = Suggest(ToLower(name.substr(kPrefix.size())));
    // The value is never shown: the variable may hold a secret.
    LogWarn("unknown environment variable " + name + " is ignored" +
                (suggestion.empty() ? "" : ": did you mean " + EnvName(suggestion) + "?"),
            {{"hint", "see docs/configuration.md for every MATOMO_ETL_<KEY> variable"}});
  }
}

}  // namespace

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    size_t eq = kv.find('=');
    if (eq != std::string_view::npos) env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

Status ValidateOptionValue(const OptionSpec& spec, const std::string& value, const std::string& source) {
  auto bad = [&](const std::string& allowed) {
    return ConfigError("invalid value '" + value + "' for " + std::string(spec.key) + " (from " + source +
                       "): expected " + allowed);
  };
  switch (spec.type) {
    case OptionType::kString:
    case OptionType::kPath:
      if (value.find('\0') != std::string::npos) return bad("text without NUL bytes");
      return OkStatus();
    case OptionType::kInt:
    case OptionType::kIntList: {
      int64_t v = 0;
      std::string range = spec.allowed.empty() ? "" : std::string(spec.allowed);
      if (!ParseInt(value, v)) return bad(range.empty() ? "an integer" : "an integer in " + range);
      if (!range.empty()) {
        size_t dots = range.find("..");
        int64_t lo = std::stoll(range.substr(0, dots)), hi = std::stoll(range.substr(dots + 2));
        if (v < lo || v > hi) return bad("an integer in " + range);
      }
      if (spec.type == OptionType::kIntList && v <= 0) return bad("a positive integer");
      return OkStatus();
    }
    case OptionType::kBool: {
      bool b = false;
      return ParseBool(value, b) ? OkStatus() : bad("true or false");
    }
    case OptionType::kDate:
      return CivilDate::Parse(value).ok() ? OkStatus() : bad("a date YYYY-MM-DD");
    case OptionType::kTimestamp:
      return ParseTimestamp(value).ok() ? OkStatus() : bad("YYYY-MM-DD, 'YYYY-MM-DD HH:MM:SS' (UTC) or epoch seconds");
    case OptionType::kEnum: {
      std::string allowed(spec.allowed);
      for (const auto& choice : SplitComma([&] {
             std::string s = allowed;
             for (char& c : s) c = c == '|' ? ',' : c;
             return s;
           }())) {
        if (choice == value) return OkStatus();
      }
      return bad("one of " + allowed);
    }
  }
  return OkStatus();
}

Status Config::Set(std::string_view key, std::vector<std::string> values, std::string source) {
  const OptionSpec* spec = FindOption(key);
  if (!spec) std::abort();  // a bug: undeclared option
  if (spec->type != OptionType::kIntList && values.size() > 1) {
    return ConfigError(std::string(key) + " given more than once (from " + source + "): it takes one value");
  }
  for (const auto& v : values) METL_TRY(ValidateOptionValue(*spec, v, source));
  values_[std::string(key)] = Value{std::move(values), std::move(source)};
  return OkStatus();
}

const Config::Value* Config::Find(std::string_view key) const {
  if (!FindOption(key)) std::abort();  // a bug: undeclared option
  auto it = values_.find(key);
  return it == values_.end() || it->second.values.empty() ? nullptr : &it->second;
}

bool Config::Has(std::string_view key) const { return Find(key) != nullptr; }

const std::string& Config::String(std::string_view key) const {
  static const std::string kEmpty;
  const Value* v = Find(key);
  return v ? v->values.front() : kEmpty;
}

int64_t Config::Int(std::string_view key) const {
  int64_t out = 0;
  const Value* v = Find(key);
  if (v) ParseInt(v->values.front(), out);
  return out;
}

bool Config::Bool(std::string_view key) const {
  bool out = false;
  const Value* v = Find(key);
  if (v) ParseBool(v->values.front(), out);
  return out;
}

std::optional<CivilDate> Config::Date(std::string_view key) const {
  const Value* v = Find(key);
  if (!v) return std::nullopt;
  return CivilDate::Parse(v->values.front()).value();
}

std::optional<int64_t> Config::Timestamp(std::string_view key) const {
  const Value* v = Find(key);
  if (!v) return std::nullopt;
  return ParseTimestamp(v->values.front()).value();
}

std::vector<int64_t> Config::IntList(std::string_view key) const {
  std::vector<int64_t> out;
  const Value* v = Find(key);
  if (!v) return out;
  for (const auto& s : v->values) {
    int64_t x = 0;
    ParseInt(s, x);
    out.push_back(x);
  }
  return out;
}

std::string Config::Source(std::string_view key) const {
  auto it = values_.find(key);
  return it == values_.end() ? "unset" : it->second.source;
}

Result<Config> ResolveConfig(unsigned command, const ConfigInputs& inputs) {
  Config config;
  // 1. defaults
  for (const auto& o : AllOptions()) {
    if (!o.default_value.empty()) METL_TRY(config.Set(o.key, {std::string(o.default_value)}, "default"));
  }
  // 2. config file: --config (flag or env) or ./matomo-etl.toml when present
  std::string path;
  bool explicit_path = false;
  if (auto it = inputs.flags.find("config"); it != inputs.flags.end() && !it->second.empty()) {
    path = it->second.back(), explicit_path = true;
  } else if (auto e = inputs.env.find(EnvName("config")); e != inputs.env.end() && !e->second.empty()) {
    path = e->second, explicit_path = true;
  } else if (std::filesystem::exists(inputs.default_config_path)) {
    path = inputs.default_config_path;
  }
  if (!path.empty()) {
    if (!std::filesystem::is_regular_file(path)) {
      return ConfigError("config file " + path + " not found", "check the path given to --config");
    }
    toml::table table;
    try {
      table = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      return ConfigError("config file " + path + " line " + std::to_string(e.source().begin.line) + ": " +
                             std::string(e.description()),
                         "fix the TOML syntax (see matomo-etl.example.toml)");
    }
    for (const auto& [k, node] : table) {
      std::string key(k.str());
      const OptionSpec* spec = FindOption(key);
      if (key == "token" || key == "token_auth") {
        return ConfigError("config file " + path + ": the Matomo token is never read from the config file",
                           "remove '" + key + "' from it and put the token in MATOMO_TOKEN_AUTH or a token_file");
      }
      if (!spec || !spec->file_allowed) {
        std::string hint = "see docs/configuration.md for every key";
        if (std::string s = Suggest(key); !s.empty()) hint = "did you mean '" + s + "'? " + hint;
        return ConfigError("config file " + path + ": unknown key '" + key + "'", hint);
      }
      METL_ASSIGN_OR_RETURN(auto values, TomlValues(*spec, node, path));
      METL_TRY(config.Set(key, std::move(values), "file " + path));
    }
    config.config_file_ = path;
    WarnIfSecretReadableByOthers(path, config.String("warehouse"), config.Has("clickhouse_password"));
  }
  (void)explicit_path;
  // 3. environment (MATOMO_ETL_<KEY>); a misspelled variable would be silently ignored, so say so.
  WarnUnknownEnvironment(inputs.env);
  for (const auto& o : AllOptions()) {
    auto e = inputs.env.find(EnvName(o.key));
    if (e == inputs.env.end()) continue;
    if (o.secret) {  // the value is never shown, nor used: a secret has a variable of its own
      LogWarn(EnvName(o.key) + " is ignored: " + std::string(o.key) + " is read from the config file only",
              {{"hint", "for ClickHouse, export CLICKHOUSE_PASSWORD instead"}});
      continue;
    }
    std::vector<std::string> values =
        o.type == OptionType::kIntList ? SplitComma(e->second) : std::vector<std::string>{e->second};
    METL_TRY(config.Set(o.key, std::move(values), "environment " + EnvName(o.key)));
  }
  // 4. flags
  for (const auto& [key, values] : inputs.flags) {
    const OptionSpec* spec = FindOption(key);
    if (!spec) return ConfigError("unknown option " + FlagName(key));
    if (spec->secret) {
      return ConfigError(std::string(key) + " is never read from the command line (other users see it in `ps`)",
                         "put it in the config file (mode 0600), or export CLICKHOUSE_PASSWORD");
    }
    if (!(spec->commands & command)) return ConfigError("option " + FlagName(key) + " does not apply to this command");
    METL_TRY(config.Set(key, values, "flag " + FlagName(key)));
  }
  // Reversed dates: one message for every command, before anything runs or is created.
  if (auto from = config.Date("from"), to = config.Date("to"); from && to && *from > *to) {
    return ConfigError("from " + from->ToString() + " (" + config.Source("from") + ") is after to " + to->ToString() +
                           " (" + config.Source("to") + ")",
                       "swap them: --from is the first site-local day, --to the last");
  }
  return config;
}

Result<std::string> ResolveMatomoToken(const Config& config, const std::map<std::string, std::string>& env) {
  std::string token;
  if (config.Has("token_file")) {
    const std::string& path = config.String("token_file");
    std::ifstream in(path);
    if (!in) {
      return ConfigError("cannot read token_file " + path, "create it with the token on its first line, mode 0600");
    }
    std::getline(in, token);
    struct stat st {};
    if (stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH))) {
      LogWarn("token_file is readable by other users; restrict it with chmod 600", {{"path", path}});
    }
  } else {
    const std::string& var = config.String("token_env");
    auto it = env.find(var);
    if (it != env.end() && it->second.empty()) {
      return ConfigError("no Matomo token: the environment variable " + var + " is set but empty",
                         "export " + var +
                             "=<token_auth> with the token's value (check the script or unit that "
                             "sets it), or set token_file");
    }
    if (it == env.end()) {
      return Error(ErrorKind::kConfig, "no Matomo token: the environment variable " + var + " is not set",
                   ErrorContext{.hint = "create a token in Matomo (Administration > Personal > Security > "
                                        "Auth tokens) and export " + var + "=..., or set token_file"});
    }
    token = it->second;
  }
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ' || token.back() == '\n')) token.pop_back();
  if (token.empty()) return ConfigError("the Matomo token is empty", "put the token_auth value in it");
  for (char c : token) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '&' || c == '=') {
      return ConfigError("the Matomo token contains spaces or characters a token never has",
                         "check that the variable or file holds only the 32-character token_auth");
    }
  }
  return token;
}

}  // namespace metl
