#include "core/options.h"

#include <cctype>

namespace metl {
namespace {

// Talk to Matomo (load only to fill matomo_sites and matomo_goals for sites they lack).
// `dwc load` reads the custom dimension mapping from the API when url and a token are set.
constexpr unsigned kMatomo = kCmdExtract | kCmdCheck | kCmdLoad | kCmdSync | kCmdVerify | kCmdDwcLoad;
constexpr unsigned kLanding = kCmdExtract | kCmdCheck | kCmdLoad | kCmdSync | kCmdStatus | kCmdDwcExtract | kCmdDwcLoad;
constexpr unsigned kWarehouse = kCmdLoad | kCmdSync | kCmdStatus | kCmdVerify | kCmdDwcLoad;
constexpr unsigned kRange = kCmdExtract | kCmdCheck | kCmdLoad | kCmdSync | kCmdStatus | kCmdVerify | kCmdReport;
// Build the models (the analysis tables take their settings from these).
constexpr unsigned kModels = kCmdLoad | kCmdSync | kCmdDwcLoad;
constexpr unsigned kExtracting = kCmdExtract | kCmdSync | kCmdCheck;

const std::vector<OptionSpec> kOptions = {
    {"config", OptionType::kPath, "", kCmdAll,
     "TOML configuration file. Default: ./matomo-etl.toml when it exists.", {}, false},
    {"url", OptionType::kString, "", kMatomo,
     "Matomo base URL, e.g. https://example.matomo.cloud/ (or its index.php)."},
    {"token_env", OptionType::kString, "MATOMO_TOKEN_AUTH", kMatomo,
     "Name of the environment variable holding the Matomo token_auth."},
    {"token_file", OptionType::kPath, "", kMatomo,
     "File holding the Matomo token_auth (first line). Beats token_env when set."},
    {"site", OptionType::kIntList, "", kRange | kCmdDwcLoad,
     "Site id to process (repeatable). Default: every site the token can view (or every landed site)."},
    {"from", OptionType::kDate, "", kRange,
     "First site-local day (YYYY-MM-DD). Default: incremental from the last landed day."},
    {"to", OptionType::kDate, "", kRange, "Last site-local day (YYYY-MM-DD). Default: the last closed day."},
    {"backfill_days", OptionType::kInt, "30", kExtracting,
     "Closed days a first run extracts when nothing has landed yet.", "1..3650"},
    {"lookback_days", OptionType::kInt, "3", kExtracting,
     "Closed days re-extracted on every run to catch late data (replaced only if changed).", "0..365"},
    {"include_today", OptionType::kBool, "false", kExtracting,
     "Also extract today's (open) day; it lands marked partial."},
    {"landing", OptionType::kPath, "./landing", kLanding, "Landing zone: a folder or gs://BUCKET/PREFIX."},
    {"compression", OptionType::kEnum, "zstd", kCmdExtract | kCmdSync, "Compression of landed part files.",
     "zstd|gzip"},
    {"now", OptionType::kTimestamp, "", kCmdAll,
     "Pretend the current time is this (UTC; for tests and replays)."},
    {"rate_limit", OptionType::kInt, "200", kMatomo, "Maximum Matomo requests per minute.", "1..100000"},
    {"concurrency", OptionType::kInt, "4", kMatomo, "Maximum Matomo requests in flight.", "1..64"},
    {"page_size", OptionType::kInt, "5000", kExtracting,
     "Visits per Live request; halved on timeouts and slow pages down to 100, grown back after successes.",
     "100..100000"},
    {"max_retries", OptionType::kInt, "8", kMatomo | kCmdDwcExtract, "Retries of a transient failure before giving up.", "0..100"},
    {"retry_delay_ms", OptionType::kInt, "500", kMatomo | kCmdDwcExtract,
     "First retry delay in milliseconds; doubles on each retry up to 30 s (a Retry-After header wins).",
     "1..60000"},
    {"connect_timeout", OptionType::kInt, "15", kMatomo, "Connect timeout in seconds.", "1..600"},
    {"timeout", OptionType::kInt, "300", kMatomo, "Timeout of one request in seconds.", "1..3600"},
    {"ca_file", OptionType::kPath, "", kMatomo, "CA bundle for TLS verification (default: the system's)."},
    {"insecure_skip_tls_verify", OptionType::kBool, "false", kMatomo,
     "Turn off TLS certificate verification (prints a warning on every run)."},
    {"warehouse", OptionType::kString, "duckdb:./matomo.duckdb", kWarehouse | kCmdDemo | kCmdSql | kCmdReport,
     "Warehouse: duckdb:PATH, postgres://USER@HOST:PORT/DB?schema=matomo, bigquery://PROJECT/DATASET or "
     "clickhouse://USER@HOST:8123/DB (clickhouses://...:8443 for HTTPS)."},
    {"clickhouse_password", OptionType::kString, "", kWarehouse | kCmdSql | kCmdReport,
     "Password of a clickhouse:// warehouse's user. Config file only (never a flag); CLICKHOUSE_PASSWORD beats "
     "it, and a password in the URI beats both (with a warning). Keep the file mode 0600.",
     {}, true, true},
    {"duckdb_memory_mb", OptionType::kInt, "96", kWarehouse | kCmdDemo,
     "Memory limit of an embedded DuckDB warehouse while partitions load, in MB (0 = none: DuckDB's "
     "default, 80% of RAM, which the models and queries always get). A load's peak memory stays near "
     "this plus about 150 MB however large the day; what does not fit spills to PATH.tmp. Raise it for "
     "speed when memory is plentiful.",
     "0..1048576"},
    {"raw_visits", OptionType::kEnum, "warehouse", kCmdLoad | kCmdSync | kCmdDemo | kCmdDwcLoad,
     "Where each visit's raw JSON is kept. `warehouse`: in matomo_raw_visits too (most of a DuckDB file's "
     "size). `landing`: only in the landing zone; matomo_raw_visits stays empty (every load empties it) and "
     "every other table is the same. Back to `warehouse`: days loaded from then on get their raw visits; "
     "`load --full-refresh` fills the older ones.",
     "warehouse|landing"},
    {"full_refresh", OptionType::kBool, "false", kCmdLoad | kCmdSync, "Rebuild every table from the landing zone."},
    {"dry_run", OptionType::kBool, "false", kCmdLoad,
     "Print what the load would do and change nothing. BigQuery: the files, bytes, job ids and transaction, "
     "with the equivalent bq / gcloud storage commands (nothing is sent). DuckDB and PostgreSQL: the landed "
     "partitions that are due, the warehouse only read."},
    {"attribution_lookback_days", OptionType::kInt, "30", kModels,
     "Days before a conversion whose visits (same visitor id or user id) matomo_attribution credits. A change "
     "applies to the days rebuilt from then on; `sync --full-refresh` rebuilds them all.",
     "1..365"},
    {"funnels", OptionType::kString, "Visit to conversion: url=* > goal=any", kModels,
     "Funnels of matomo_funnels: \"NAME: STEP > STEP > ...; NAME: ...\", a step being url=GLOB (a pageview, * = "
     "any text), event=CATEGORY[/ACTION], goal=ID, goal=order or goal=any (docs/bi.md). Changed steps rebuild "
     "the table.",
     {}},
    {"out", OptionType::kPath, "./report.html", kCmdReport, "The HTML file `report` writes."},
    {"threads", OptionType::kInt, "0", kCmdLoad | kCmdSync | kCmdDemo | kCmdDwcLoad,
     "Partitions loaded in parallel into PostgreSQL, one connection each (0 = number of cores). DuckDB loads "
     "with one writer, several small days to a transaction, whatever this says.",
     "0..256"},
    {"json", OptionType::kBool, "false", kCmdStatus | kCmdVerify | kCmdCheck, "Print machine-readable JSON."},
    {"reports", OptionType::kBool, "false", kCmdVerify,
     "verify: compare the report tables (matomo_pages_daily, ...) with Matomo's API reports instead of the daily "
     "figures; with --json, one JSON object per difference."},
    {"log_format", OptionType::kEnum, "text", kCmdAll, "Log line format on stderr.", "text|json"},
    {"log_level", OptionType::kEnum, "info", kCmdAll, "Least severe log level shown.", "debug|info|warn|error"},
    {"progress", OptionType::kEnum, "auto", kCmdExtract | kCmdSync | kCmdLoad | kCmdDemo | kCmdDwcLoad,
     "Progress display: auto (on a terminal), always, never.", "auto|always|never"},
    {"dwc_sites", OptionType::kIntList, "", kExtracting | kCmdDwcLoad,
     "Sites whose source is Matomo's Data Warehouse Connector (repeatable): extract and sync leave them "
     "out, `dwc load` loads only them (when set) and each day it loads replaces that day's Live partition. "
     "Default: none (every site from the Live API; `dwc load` loads every site of its export)."},
    {"from_dir", OptionType::kPath, "", kCmdDwcLoad,
     "Folder of Data Warehouse Connector export files (JSONL, plain, gzip or zstd; the table from each "
     "file's name or folder) for `dwc load` (`dwc sync` refuses it: it loads what it lands). Default: "
     "<landing>/dwc, where `dwc extract` mirrors the bucket."},
    {"dwc_custom_dimensions", OptionType::kString, "", kCmdDwcLoad,
     "Custom dimensions of the sites `dwc load` loads (the export lacks Matomo's custom_dimensions table): "
     "\"site=1 id=1 scope=visit index=1; site=1 id=2 scope=action index=1\" (id: Live's dimension<id>; "
     "index: the log tables' custom_dimension_<index>; add active=0 for an inactive one). When set, it is the "
     "whole mapping. Default: read from Matomo's API (CustomDimensions.getConfiguredCustomDimensions) when url "
     "and a token are set, else from a custom_dimensions.jsonl in the export folder (docs/dwc.md)."},
    {"demo_dir", OptionType::kPath, "./demo", kCmdDemo, "Folder of the demo's landing zone and DuckDB file."},
    {"query", OptionType::kString, "", kCmdSql,
     "The SQL statement `sql` runs (usually given as its argument: matomo-etl sql \"SELECT ...\"). "
     "Read-only: writes, and access to other files, are refused.",
     {}, false},
    {"format", OptionType::kEnum, "table", kCmdSql,
     "Output of `sql`: an aligned table, CSV (RFC 4180, a header line) or JSON (an array of objects; "
     "numbers and booleans typed, NULL as null).",
     "table|csv|json"},
    {"s3", OptionType::kString, "", kCmdDwcExtract,
     "The Data Warehouse Connector export: s3://BUCKET/PREFIX (credentials from AWS_ACCESS_KEY_ID / "
     "AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN or ~/.aws/credentials and AWS_PROFILE; AWS_ENDPOINT_URL_S3 for "
     "an S3-compatible store)."},
    {"region", OptionType::kString, "", kCmdDwcExtract,
     "AWS region of the bucket, e.g. eu-west-1. Default: AWS_REGION, else AWS_DEFAULT_REGION."},
    {"dwc_max_file_age_days", OptionType::kInt, "10", kCmdStatus,
     "`status` warns (and exits 3) when a Data Warehouse Connector file landed under <landing>/dwc/ is still "
     "not loaded this many days after it was written to S3. Matomo says it deletes export files after 14 days "
     "(unconfirmed).",
     "1..3650"},
    {"table_pattern", OptionType::kString, "", kCmdDwcExtract,
     "Regular expression (ECMAScript) over each file's key whose group named `table` ((?P<table>...) or "
     "(?<table>...)) is the file's table; overrides the built-in recognition (docs/dwc.md)."},
};

}  // namespace

const std::vector<OptionSpec>& AllOptions() { return kOptions; }

const OptionSpec* FindOption(std::string_view key) {
  for (const auto& o : kOptions) {
    if (o.key == key) return &o;
  }
  return nullptr;
}

std::string FlagName(std::string_view key) {
  std::string out = "--";
  for (char c : key) out += c == '_' ? '-' : c;
  return out;
}

std::string EnvName(std::string_view key) {
  std::string out = "MATOMO_ETL_";
  for (char c : key) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

const char* OptionTypeName(OptionType type) {
  switch (type) {
    case OptionType::kString: return "string";
    case OptionType::kPath: return "path";
    case OptionType::kInt: return "integer";
    case OptionType::kBool: return "boolean";
    case OptionType::kDate: return "date";
    case OptionType::kTimestamp: return "timestamp";
    case OptionType::kEnum: return "enum";
    case OptionType::kIntList: return "list of integers";
  }
  return "?";
}

std::string OptionsMarkdown() {
  static constexpr std::pair<unsigned, const char*> kNames[] = {
      {kCmdExtract, "extract"}, {kCmdCheck, "check"},   {kCmdLoad, "load"}, {kCmdSync, "sync"},
      {kCmdStatus, "status"},   {kCmdVerify, "verify"}, {kCmdDemo, "demo"}, {kCmdSql, "sql"},
      {kCmdDwcExtract, "dwc extract"}, {kCmdDwcLoad, "dwc load"}, {kCmdDwcSync, "dwc sync"},
      {kCmdReport, "report"}};
  std::string md =
      "# Configuration reference\n\n"
      "Generated from the option table in `src/core/options.cc` (`matomo-etl options --markdown`); do not edit.\n\n"
      "Every option can be set as a TOML key in the config file, as an environment variable, or as a flag.\n"
      "A flag beats the environment, which beats the file, which beats the default. Unknown keys are errors.\n"
      "The Matomo token is never an option value: it comes from the variable named by `token_env`\n"
      "(default `MATOMO_TOKEN_AUTH`) or from `token_file`. `clickhouse_password` is read from the config file\n"
      "only (or use `CLICKHOUSE_PASSWORD`), never from a flag.\n\n"
      "| key | flag | environment | type | default | commands | description |\n"
      "|---|---|---|---|---|---|---|\n";
  for (const auto& o : kOptions) {
    std::string type = OptionTypeName(o.type);
    if (!o.allowed.empty()) type += " (" + std::string(o.allowed) + ")";
    std::string cmds;
    for (auto [bit, name] : kNames) {
      if (o.commands & bit) cmds += (cmds.empty() ? "" : ", ") + std::string(name);
    }
    std::string def = o.default_value.empty() ? "" : "`" + std::string(o.default_value) + "`";
    const std::string flag = o.secret ? "(none)" : "`" + FlagName(o.key) + "`";
    const std::string env = o.secret ? "(none)" : "`" + EnvName(o.key) + "`";
    md += "| `" + std::string(o.key) + "` | " + flag + " | " + env + " | " + type + " | " +
          def + " | " + cmds + " | " + std::string(o.description) + " |\n";
  }
  return md;
}

}  // namespace metl
