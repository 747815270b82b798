#include "warehouse/clickhouse/ch_uri.h"

#include <gtest/gtest.h>

namespace metl::warehouse::ch_engine {
namespace {

TEST(ChUri, OneServerWithUserDatabaseAndDefaults) {
  auto t = ParseClickHouseUri("clickhouse://etl@ch.example:8123/analytics", std::nullopt);
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->user, "etl");
  EXPECT_EQ(t->database, "analytics");
  ASSERT_EQ(t->shards.size(), 1u);
  EXPECT_EQ(t->BaseUrl(0), "http://ch.example:8123/");
  EXPECT_FALSE(t->clustered());
  EXPECT_EQ(t->password, "");
}

TEST(ChUri, PasswordFromTheEnvironmentOrTheUriNeverInTheRedactedForm) {
  auto env = ParseClickHouseUri("clickhouse://etl@h:8123/db", std::string("s3cret-env"));
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->password, "s3cret-env");
  EXPECT_FALSE(env->password_in_uri);
  auto uri = ParseClickHouseUri("clickhouse://etl:p%40ss-uri@h:8123/db", std::string("s3cret-env"));
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(uri->password, "p@ss-uri");
  EXPECT_TRUE(uri->password_in_uri);
  EXPECT_EQ(uri->redacted.find("p@ss"), std::string::npos) << uri->redacted;
  EXPECT_EQ(uri->redacted.find("p%40ss"), std::string::npos) << uri->redacted;
  EXPECT_EQ(uri->BaseUrl(0).find("ss-uri"), std::string::npos);
}

TEST(ChUri, ClusterListsEveryShardsHttpEndpointInOrder) {
  auto t = ParseClickHouseUri("clickhouse://default@127.0.0.1:18123/db?cluster=etl&shards=127.0.0.1:18123,127.0.0.1:19123",
                              std::nullopt);
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_TRUE(t->clustered());
  EXPECT_EQ(t->cluster, "etl");
  ASSERT_EQ(t->shards.size(), 2u);
  EXPECT_EQ(t->BaseUrl(1), "http://127.0.0.1:19123/");
  EXPECT_NE(t->redacted.find("shards=127.0.0.1:18123,127.0.0.1:19123"), std::string::npos);
}

TEST(ChUri, MistakesAreConfigErrorsThatNeverEchoThePassword) {
  for (const char* bad : {"clickhouse://u:hunter2@h:notaport/db", "clickhouse://u:hunter2@h:8123/db?cluster=etl",
                          "clickhouse://u:hunter2@h:8123/db?shards=a:1", "clickhouse://u:hunter2@h:8123/db?bogus=1",
                          "clickhouse://u:hunter2@h:8123/bad-name", "clickhouse://u:hunter2@h:8123/db?cluster=x&shards=a:99999"}) {
    auto t = ParseClickHouseUri(bad, std::nullopt);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.error().kind(), ErrorKind::kConfig) << bad;
    EXPECT_EQ(t.error().ToString().find("hunter2"), std::string::npos) << t.error().ToString();
  }
}

}  // namespace
}  // namespace metl::warehouse::ch_engine
