// Config mistakes of issue 17: reversed dates are one error for every command, and an empty token
// variable is called empty, not unset.
#include <gtest/gtest.h>

#include "core/config.h"

namespace metl {
namespace {

ConfigInputs NoFile() {
  ConfigInputs in;
  in.default_config_path = "/nonexistent/matomo-etl.toml";
  return in;
}

TEST(ConfigInputErrors, ReversedDatesAreAConfigErrorNamingBothSources) {
  for (unsigned command : {kCmdExtract, kCmdCheck, kCmdLoad, kCmdSync, kCmdStatus, kCmdVerify}) {
    ConfigInputs in = NoFile();
    in.flags["from"] = {"2026-11-10"};
    in.env["MATOMO_ETL_TO"] = "2026-11-01";
    auto c = ResolveConfig(command, in);
    ASSERT_FALSE(c.ok()) << command;
    EXPECT_EQ(c.error().kind(), ErrorKind::kConfig);
    EXPECT_NE(c.error().ToString().find("from 2026-11-10 (flag --from) is after to 2026-11-01 (environment "
                                        "MATOMO_ETL_TO)"),
              std::string::npos)
        << c.error().ToString();
  }
  ConfigInputs same = NoFile();
  same.flags["from"] = {"2026-11-10"};
  same.flags["to"] = {"2026-11-10"};
  EXPECT_TRUE(ResolveConfig(kCmdExtract, same).ok());
}

TEST(ConfigInputErrors, EmptyTokenVariableIsCalledEmpty) {
  auto c = ResolveConfig(kCmdExtract, NoFile());
  ASSERT_TRUE(c.ok());
  auto empty = ResolveMatomoToken(*c, {{"MATOMO_TOKEN_AUTH", ""}});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message().find("is set but empty"), std::string::npos) << empty.error().ToString();
  auto unset = ResolveMatomoToken(*c, {});
  ASSERT_FALSE(unset.ok());
  EXPECT_NE(unset.error().message().find("is not set"), std::string::npos) << unset.error().ToString();
}

}  // namespace
}  // namespace metl
