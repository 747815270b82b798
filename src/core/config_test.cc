#include "core/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace metl {
namespace {

std::string WriteToml(const std::string& body) {
  static int n = 0;
  auto path = std::filesystem::temp_directory_path() / ("metl-config-test-" + std::to_string(getpid()) + "-" +
                                                        std::to_string(n++) + ".toml");
  std::ofstream(path) << body;
  return path.string();
}

TEST(Config, DefaultsApplyWhenNothingIsSet) {
  ConfigInputs in;
  in.default_config_path = "/nonexistent/matomo-etl.toml";
  auto c = ResolveConfig(kCmdExtract, in);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->Int("lookback_days"), 3);
  EXPECT_EQ(c->Int("backfill_days"), 30);
  EXPECT_EQ(c->String("landing"), "./landing");
  EXPECT_EQ(c->Source("landing"), "default");
  EXPECT_FALSE(c->Has("url"));
}

TEST(Config, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  ConfigInputs in;
  in.flags["config"] = {WriteToml("lookback_days = 5\nbackfill_days = 9\nlanding = \"/file\"\nsite = [1, 2]\n")};
  in.env["MATOMO_ETL_BACKFILL_DAYS"] = "7";
  in.env["MATOMO_ETL_LANDING"] = "/env";
  in.flags["landing"] = {"/flag"};
  auto c = ResolveConfig(kCmdExtract, in);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->Int("lookback_days"), 5);
  EXPECT_EQ(c->Int("backfill_days"), 7);
  EXPECT_EQ(c->String("landing"), "/flag");
  EXPECT_EQ(c->IntList("site"), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(c->Source("backfill_days"), "environment MATOMO_ETL_BACKFILL_DAYS");
}

TEST(Config, UnknownKeyIsAnErrorWithASuggestion) {
  ConfigInputs in;
  in.flags["config"] = {WriteToml("lookback_dayz = 5\n")};
  auto c = ResolveConfig(kCmdExtract, in);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind(), ErrorKind::kConfig);
  EXPECT_NE(c.error().ToString().find("unknown key 'lookback_dayz'"), std::string::npos);
  EXPECT_NE(c.error().ToString().find("did you mean 'lookback_days'"), std::string::npos);
}

TEST(Config, BadValuesNameKeyValueSourceAndWhatIsAllowed) {
  ConfigInputs in;
  in.default_config_path = "/nonexistent";
  in.env["MATOMO_ETL_LOOKBACK_DAYS"] = "many";
  auto c = ResolveConfig(kCmdExtract, in);
  ASSERT_FALSE(c.ok());
  std::string msg = c.error().ToString();
  EXPECT_NE(msg.find("'many'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("lookback_days"), std::string::npos) << msg;
  EXPECT_NE(msg.find("MATOMO_ETL_LOOKBACK_DAYS"), std::string::npos) << msg;
  EXPECT_NE(msg.find("0..365"), std::string::npos) << msg;

  ConfigInputs in2;
  in2.default_config_path = "/nonexistent";
  in2.flags["compression"] = {"lz4"};
  auto c2 = ResolveConfig(kCmdExtract, in2);
  ASSERT_FALSE(c2.ok());
  EXPECT_NE(c2.error().ToString().find("zstd|gzip"), std::string::npos);
}

TEST(Config, TokenIsNeverReadFromTheFileAndTheErrorDoesNotEchoIt) {
  ConfigInputs in;
  in.flags["config"] = {WriteToml("token = \"s3cr3t-value\"\n")};
  auto c = ResolveConfig(kCmdExtract, in);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().ToString().find("s3cr3t-value"), std::string::npos);
  EXPECT_NE(c.error().ToString().find("MATOMO_TOKEN_AUTH"), std::string::npos);
}

TEST(Config, TomlSyntaxErrorsGiveALine) {
  ConfigInputs in;
  in.flags["config"] = {WriteToml("url = \"https://x\"\nlookback_days = = 3\n")};
  auto c = ResolveConfig(kCmdExtract, in);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().ToString().find("line 2"), std::string::npos) << c.error().ToString();
}

TEST(Config, TokenComesFromTheNamedVariable) {
  ConfigInputs in;
  in.default_config_path = "/nonexistent";
  in.flags["token_env"] = {"MY_TOKEN"};
  auto c = ResolveConfig(kCmdExtract, in);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(ResolveMatomoToken(*c, {}).ok());
  EXPECT_NE(ResolveMatomoToken(*c, {}).error().ToString().find("MY_TOKEN"), std::string::npos);
  auto t = ResolveMatomoToken(*c, {{"MY_TOKEN", "abc123\n"}});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, "abc123");
}

TEST(Config, OptionsMarkdownListsEveryKey) {
  std::string md = OptionsMarkdown();
  for (const auto& o : AllOptions()) EXPECT_NE(md.find("`" + std::string(o.key) + "`"), std::string::npos);
}

}  // namespace
}  // namespace metl

namespace metl {
namespace {

// docs/configuration.md is generated from the option table; keep them in step.
TEST(ConfigDocs, ConfigurationMarkdownIsUpToDate) {
  std::ifstream in(std::string(METL_SOURCE_DIR) + "/docs/configuration.md");
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), OptionsMarkdown())
      << "docs/configuration.md is stale: regenerate it with `make docs` (matomo-etl options > docs/configuration.md)";
}

}  // namespace
}  // namespace metl
