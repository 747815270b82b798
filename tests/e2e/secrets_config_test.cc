// Configuration (issue 7), end to end through the CLI: every bad value is an error naming the key,
// the value and what is allowed (exit 2, nothing ran), from a flag, the environment or the file;
// a config file readable by other users that holds a password gets a warning that never prints it.
#include <gtest/gtest.h>

#include <filesystem>

#include "harness.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;

struct BadValue {
  std::string key, flag, value, allowed;
};

const std::vector<BadValue> kBadValues = {
    {"page_size", "--page-size", "12", "100..100000"},
    {"concurrency", "--concurrency", "many", "an integer in 1..64"},
    {"compression", "--compression", "lz77", "one of zstd|gzip"},
    {"log_level", "--log-level", "loud", "one of debug|info|warn|error"},
    {"from", "--from", "2026-02-30", "a date YYYY-MM-DD"},
    {"now", "--now", "yesterday", "epoch seconds"},
    {"lookback_days", "--lookback-days", "-1", "0..365"},
    {"site", "--site", "0", "a positive integer"},
};

void ExpectNamesKeyValueAllowed(const ProcessResult& r, const BadValue& b, const std::string& source) {
  EXPECT_EQ(r.exit_code, 2) << source << ": " << r.err;
  EXPECT_NE(r.err.find(b.key), std::string::npos) << source << ": " << r.err;
  EXPECT_NE(r.err.find("'" + b.value + "'"), std::string::npos) << source << ": " << r.err;
  EXPECT_NE(r.err.find(b.allowed), std::string::npos) << source << ": " << r.err;
}

TEST(ConfigE2E, EveryBadValueNamesKeyValueAndWhatIsAllowed) {
  TempDir tmp;
  Env env{{"MATOMO_TOKEN_AUTH", "x"}};
  for (const auto& b : kBadValues) {
    SCOPED_TRACE(b.key);
    ExpectNamesKeyValueAllowed(RunEtl({"extract", "--url", "http://127.0.0.1:1/", b.flag, b.value}, env), b, "flag");
    std::string var = "MATOMO_ETL_";
    for (char c : b.key) var += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    Env with_var = env;
    with_var[var] = b.value;
    ExpectNamesKeyValueAllowed(RunEtl({"extract", "--url", "http://127.0.0.1:1/"}, with_var), b, "environment");
  }
  // From the file: a string where a number belongs is named too.
  fs::path config = tmp.path() / "c.toml";
  WriteFile(config, "page_size = 12\n");
  ExpectNamesKeyValueAllowed(RunEtl({"extract", "--url", "http://127.0.0.1:1/", "--config", config.string()}, env),
                             kBadValues[0], "file");
  WriteFile(config, "page_size = \"big\"\n");
  ProcessResult typed = RunEtl({"extract", "--config", config.string()}, env);
  EXPECT_EQ(typed.exit_code, 2);
  EXPECT_NE(typed.err.find("'page_size' must be a"), std::string::npos) << typed.err;
  WriteFile(config, "pagesize = 500\n");
  ProcessResult unknown = RunEtl({"extract", "--config", config.string()}, env);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("did you mean 'page_size'"), std::string::npos) << unknown.err;
}

TEST(ConfigE2E, ConfigFileWithAPasswordReadableByOthersWarnsWithoutPrintingIt) {
  TempDir tmp;
  fs::path config = tmp.path() / "matomo-etl.toml";
  const std::string password = "pw-e2e-Secr3t-77";
  WriteFile(config, "warehouse = \"postgres://metl:" + password + "@127.0.0.1:1/metl\"\n");
  fs::permissions(config, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                              fs::perms::others_read);
  ProcessResult open = RunEtl({"status", "--config", config.string()}, {}, "", 60);
  EXPECT_NE(open.err.find("readable by other users"), std::string::npos) << open.err;
  EXPECT_NE(open.err.find(config.string()), std::string::npos) << open.err;
  EXPECT_EQ(open.err.find(password), std::string::npos) << "the password was printed: " << open.err;
  EXPECT_EQ(open.out.find(password), std::string::npos);

  fs::permissions(config, fs::perms::owner_read | fs::perms::owner_write);
  ProcessResult closed = RunEtl({"status", "--config", config.string()}, {}, "", 60);
  EXPECT_EQ(closed.err.find("readable by other users"), std::string::npos) << closed.err;

  // No password, no warning even when world-readable.
  WriteFile(config, "warehouse = \"postgres://metl@127.0.0.1:1/metl\"\n");
  fs::permissions(config, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  ProcessResult nopw = RunEtl({"status", "--config", config.string()}, {}, "", 60);
  EXPECT_EQ(nopw.err.find("readable by other users"), std::string::npos) << nopw.err;
}

}  // namespace
}  // namespace metl::e2e
