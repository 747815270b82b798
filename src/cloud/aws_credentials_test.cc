#include "cloud/aws_credentials.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace metl::cloud {
namespace {

TEST(AwsCredentials, EnvironmentBeatsTheSharedFileAndCarriesTheSessionToken) {
  auto c = LoadAwsCredentials({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                               {"AWS_SECRET_ACCESS_KEY", "s3cr3t-env"},
                               {"AWS_SESSION_TOKEN", "tok"},
                               {"HOME", "/nonexistent"}});
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->access_key_id, "AKIDENV");
  EXPECT_EQ(c->session_token, "tok");
  EXPECT_EQ(c->source.find("s3cr3t"), std::string::npos);
}

TEST(AwsCredentials, HalfAnEnvironmentPairIsAConfigErrorWithoutTheSecret) {
  auto c = LoadAwsCredentials({{"AWS_SECRET_ACCESS_KEY", "s3cr3t-half"}});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind(), ErrorKind::kConfig);
  EXPECT_EQ(c.error().ToString().find("s3cr3t"), std::string::npos);
}

TEST(AwsCredentials, SharedFileProfileIsChosenByAwsProfile) {
  std::string path = std::filesystem::temp_directory_path() / "metl-aws-credentials-test";
  {
    std::ofstream f(path);
    f << "# comment\n[default]\naws_access_key_id=DEFAULTID\naws_secret_access_key=defaultsecret\n"
         "[profile dwc]\n aws_access_key_id = DWCID \naws_secret_access_key = dwc/secret=x\naws_session_token = T\n";
  }
  auto d = LoadAwsCredentials({{"AWS_SHARED_CREDENTIALS_FILE", path}});
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_EQ(d->access_key_id, "DEFAULTID");
  auto p = LoadAwsCredentials({{"AWS_SHARED_CREDENTIALS_FILE", path}, {"AWS_PROFILE", "dwc"}});
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->access_key_id, "DWCID");
  EXPECT_EQ(p->secret_access_key, "dwc/secret=x");
  EXPECT_EQ(p->session_token, "T");
  auto missing = LoadAwsCredentials({{"AWS_SHARED_CREDENTIALS_FILE", path}, {"AWS_PROFILE", "nope"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().ToString().find("[nope]"), std::string::npos);
  EXPECT_EQ(missing.error().ToString().find("defaultsecret"), std::string::npos);
  std::remove(path.c_str());
}

TEST(AwsRegion, FlagBeatsAwsRegionBeatsAwsDefaultRegion) {
  Environment env = {{"AWS_REGION", "eu-west-1"}, {"AWS_DEFAULT_REGION", "us-east-1"}};
  EXPECT_EQ(*ResolveAwsRegion("ap-south-1", env), "ap-south-1");
  EXPECT_EQ(*ResolveAwsRegion("", env), "eu-west-1");
  EXPECT_EQ(*ResolveAwsRegion("", {{"AWS_DEFAULT_REGION", "us-east-1"}}), "us-east-1");
  EXPECT_FALSE(ResolveAwsRegion("", {}).ok());
}

TEST(AwsEndpoint, S3SpecificVariableBeatsTheGeneralOne) {
  EXPECT_EQ(AwsS3EndpointOverride({{"AWS_ENDPOINT_URL", "http://a"}, {"AWS_ENDPOINT_URL_S3", "http://b/"}}),
            "http://b");
  EXPECT_EQ(AwsS3EndpointOverride({{"AWS_ENDPOINT_URL", "http://a"}}), "http://a");
  EXPECT_EQ(AwsS3EndpointOverride({}), "");
}

}  // namespace
}  // namespace metl::cloud
