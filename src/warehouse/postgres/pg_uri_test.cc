#include "warehouse/postgres/pg_uri.h"

#include <gtest/gtest.h>

namespace metl::warehouse::pg_engine {
namespace {

TEST(PgUri, SchemaIsTakenOutAndDefaultsToMatomo) {
  auto t = ParsePgUri("postgres://metl@127.0.0.1:5432/db");
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->schema, "matomo");
  EXPECT_EQ(t->conninfo, "postgres://metl@127.0.0.1:5432/db");

  t = ParsePgUri("postgresql://metl@host/db?sslmode=require&schema=analytics&connect_timeout=5");
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->schema, "analytics");
  EXPECT_EQ(t->conninfo, "postgresql://metl@host/db?sslmode=require&connect_timeout=5");

  t = ParsePgUri("postgres://h/db?schema=My%20Schema");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->schema, "My Schema");
  EXPECT_EQ(t->conninfo, "postgres://h/db");
}

TEST(PgUri, OtherParametersPassThroughToLibpqWhichChecksThem) {
  EXPECT_TRUE(ParsePgUri("postgres://h/db?sslmode=verify-full&application_name=x").ok());
  auto bad = ParsePgUri("postgres://h/db?nonsense=1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ErrorKind::kConfig);
  EXPECT_NE(bad.error().message().find("nonsense"), std::string::npos);
  EXPECT_FALSE(ParsePgUri("postgres://h/db?schema=").ok());
  EXPECT_FALSE(ParsePgUri("postgres://h/db?schema=%zz").ok());
  EXPECT_FALSE(ParsePgUri("mysql://h/db").ok());
}

TEST(PgUri, PasswordsNeverReachTheRedactedFormOrErrors) {
  EXPECT_EQ(RedactPgUri("postgres://metl:s3cret@h:5432/db?schema=m"), "postgres://metl@h:5432/db?schema=m");
  EXPECT_EQ(RedactPgUri("postgres://metl@h/db?password=s3cret&sslmode=require"),
            "postgres://metl@h/db?sslmode=require");
  EXPECT_EQ(RedactPgUri("postgresql://h/db"), "postgresql://h/db");
  auto t = ParsePgUri("postgres://metl:s3cret@h/db");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->redacted.find("s3cret"), std::string::npos);
  EXPECT_NE(t->conninfo.find("s3cret"), std::string::npos);  // libpq still gets it
  auto bad = ParsePgUri("postgres://metl:s3cret@h/db?bogus=1&password=s3cret");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().ToString().find("s3cret"), std::string::npos);
}

TEST(PgUri, RecognizesBothSchemes) {
  EXPECT_TRUE(IsPostgresUri("postgres://h/db"));
  EXPECT_TRUE(IsPostgresUri("postgresql://h/db"));
  EXPECT_FALSE(IsPostgresUri("duckdb:./x.duckdb"));
}

}  // namespace
}  // namespace metl::warehouse::pg_engine
