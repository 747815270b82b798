#include "warehouse/clickhouse/ch_uri.h"

#include <gtest/gtest.h>

namespace metl::warehouse::ch_engine {
namespace {

TEST(ChUri, OneServerWithUserDatabaseAndDefaults) {
  auto t = ParseClickHouseUri("clickhouse://etl@ch.example:8123/analytics");
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->user, "etl");
  EXPECT_EQ(t->database, "analytics");
  ASSERT_EQ(t->shards.size(), 1u);
  EXPECT_EQ(t->BaseUrl(0), "http://ch.example:8123/");
  EXPECT_FALSE(t->clustered());
  EXPECT_EQ(t->password, "");
}

TEST(ChUri, PasswordFromTheEnvironmentOrTheUriNeverInTheRedactedForm) {
  auto env = ParseClickHouseUri("clickhouse://etl@h:8123/db", {std::string("s3cret-env"), std::string("s3cret-file")});
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->password, "s3cret-env");
  EXPECT_EQ(env->password_source, "CLICKHOUSE_PASSWORD");
  EXPECT_FALSE(env->password_in_uri);
  // The config file's clickhouse_password when CLICKHOUSE_PASSWORD is unset or empty.
  for (std::optional<std::string> unset : {std::optional<std::string>(), std::optional<std::string>("")}) {
    auto file = ParseClickHouseUri("clickhouse://etl@h:8123/db", {unset, std::string("s3cret-file")});
    ASSERT_TRUE(file.ok());
    EXPECT_EQ(file->password, "s3cret-file");
    EXPECT_EQ(file->password_source, "clickhouse_password in the config file");
  }
  auto none = ParseClickHouseUri("clickhouse://etl@h:8123/db");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->password_source, "");
  auto uri = ParseClickHouseUri("clickhouse://etl:p%40ss-uri@h:8123/db", {std::string("s3cret-env"), std::nullopt});
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(uri->password, "p@ss-uri");
  EXPECT_TRUE(uri->password_in_uri);
  EXPECT_EQ(uri->password_source, "the --warehouse URI");
  EXPECT_EQ(uri->redacted.find("p@ss"), std::string::npos) << uri->redacted;
  EXPECT_EQ(uri->redacted.find("p%40ss"), std::string::npos) << uri->redacted;
  EXPECT_EQ(uri->BaseUrl(0).find("ss-uri"), std::string::npos);
}

TEST(ChUri, ClusterListsEveryShardsHttpEndpointInOrder) {
  auto t = ParseClickHouseUri("clickhouse://default@127.0.0.1:18123/db?cluster=etl&shards=127.0.0.1:18123,127.0.0.1:19123");
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_TRUE(t->clustered());
  EXPECT_EQ(t->cluster, "etl");
  ASSERT_EQ(t->shards.size(), 2u);
  EXPECT_EQ(t->BaseUrl(1), "http://127.0.0.1:19123/");
  EXPECT_NE(t->redacted.find("shards=127.0.0.1:18123,127.0.0.1:19123"), std::string::npos);
}

TEST(ChUri, HttpsByClickhousesOrSecureWithAnOptionalCaFile) {
  auto plain = ParseClickHouseUri("clickhouse://etl@h/db");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->BaseUrl(0), "http://h:8123/");
  auto scheme = ParseClickHouseUri("clickhouses://etl@h/db");
  ASSERT_TRUE(scheme.ok());
  EXPECT_EQ(scheme->BaseUrl(0), "https://h:8443/");
  EXPECT_EQ(scheme->ca_file, "");
  EXPECT_EQ(scheme->redacted, "clickhouses://etl@h:8443/db");
  auto param = ParseClickHouseUri("clickhouse://etl@h:9443/db?secure=1&ca_file=%2Ftmp%2Fmy%20ca.pem");
  ASSERT_TRUE(param.ok()) << param.error().ToString();
  EXPECT_EQ(param->BaseUrl(0), "https://h:9443/");
  EXPECT_EQ(param->ca_file, "/tmp/my ca.pem");
  auto default_port = ParseClickHouseUri("clickhouse://etl@h/db?secure=1");
  ASSERT_TRUE(default_port.ok());
  EXPECT_EQ(default_port->BaseUrl(0), "https://h:8443/");
}

TEST(ChUri, MistakesAreConfigErrorsThatNeverEchoThePassword) {
  for (const char* bad : {"clickhouse://u:hunter2@h:notaport/db", "clickhouse://u:hunter2@h:8123/db?cluster=etl",
                          "clickhouse://u:hunter2@h:8123/db?shards=a:1", "clickhouse://u:hunter2@h:8123/db?bogus=1",
                          "clickhouse://u:hunter2@h:8123/bad-name", "clickhouse://u:hunter2@h:8123/db?cluster=x&shards=a:99999",
                          "clickhouse://u:hunter2@h:8123/db?ca_file=/etc/ca.pem", "clickhouses://u:hunter2@h/db?ca_file="}) {
    auto t = ParseClickHouseUri(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.error().kind(), ErrorKind::kConfig) << bad;
    EXPECT_EQ(t.error().ToString().find("hunter2"), std::string::npos) << t.error().ToString();
  }
}

}  // namespace
}  // namespace metl::warehouse::ch_engine
