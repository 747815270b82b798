// The signer against AWS's published SigV4 test vectors (tests/data/aws-sigv4/SOURCE.md names them).
#include "cloud/aws_sigv4.h"

#include <gtest/gtest.h>

#include <ctime>
#include <fstream>
#include <sstream>

namespace metl::cloud {
namespace {

std::string ReadVector(const std::string& name) {
  std::ifstream in(std::string(METL_SOURCE_DIR) + "/tests/data/aws-sigv4/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int64_t ParseAmzDate(const std::string& d) {
  std::tm tm{};
  strptime(d.c_str(), "%Y%m%dT%H%M%SZ", &tm);
  return static_cast<int64_t>(timegm(&tm));
}

// Parses a vector's .req ("METHOD PATH?QUERY HTTP/1.1", then Name:value lines) and signs it.
SigV4Signed SignVector(const std::string& name, AwsCredentials creds, const std::string& region,
                       const std::string& service) {
  std::string req = ReadVector(name + ".req");
  EXPECT_FALSE(req.empty()) << name;
  std::istringstream lines(req);
  std::string line;
  std::getline(lines, line);
  SigV4Request r;
  r.method = line.substr(0, line.find(' '));
  std::string target = line.substr(r.method.size() + 1, line.rfind(" HTTP/") - r.method.size() - 1);
  size_t q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::string query = target.substr(q + 1);
    for (size_t start = 0; start <= query.size();) {
      size_t amp = query.find('&', start);
      std::string pair = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      size_t eq = pair.find('=');
      r.query.emplace_back(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
      if (amp == std::string::npos) break;
      start = amp + 1;
    }
  }
  int64_t when = 0;
  while (std::getline(lines, line)) {
    size_t colon = line.find(':');
    std::string n = line.substr(0, colon), v = line.substr(colon + 1);
    std::string lower = n;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "host") {
      r.host = v;
    } else if (lower == "x-amz-date") {
      when = ParseAmzDate(v);
    } else if (lower == "x-amz-security-token") {
      creds.session_token = v;
    } else {
      r.headers.emplace_back(n, v);
    }
  }
  r.payload_sha256_hex = Sha256Hex("");
  return SignV4(r, creds, region, service, when);
}

std::string AuthorizationOf(const SigV4Signed& s) {
  for (const auto& [n, v] : s.headers) {
    if (n == "Authorization") return v;
  }
  return "";
}

const AwsCredentials kSuiteCreds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", "test"};

class SigV4SuiteVector : public ::testing::TestWithParam<const char*> {};

TEST_P(SigV4SuiteVector, AuthorizationMatchesAws) {
  std::string name = GetParam();
  SigV4Signed s = SignVector(name, kSuiteCreds, "us-east-1", "service");
  EXPECT_EQ(AuthorizationOf(s), ReadVector(name + ".authz")) << s.canonical_request;
}

INSTANTIATE_TEST_SUITE_P(AwsSuite, SigV4SuiteVector,
                         ::testing::Values("get-vanilla-query-order-key-case", "get-vanilla-query-order-key",
                                           "get-vanilla-query-unreserved", "get-vanilla-utf8-query",
                                           "post-sts-header-before"));

TEST(SigV4, CanonicalRequestSortsRepeatedKeysByValue) {
  SigV4Signed s = SignVector("get-vanilla-query-order-key", kSuiteCreds, "us-east-1", "service");
  EXPECT_EQ(s.canonical_request, ReadVector("get-vanilla-query-order-key.creq"));
}

TEST(SigV4, SessionTokenIsSentAndSigned) {
  SigV4Signed s = SignVector("post-sts-header-before", kSuiteCreds, "us-east-1", "service");
  bool sent = false;
  for (const auto& [n, v] : s.headers) sent = sent || (n == "x-amz-security-token" && v.starts_with("AQoDYXdz"));
  EXPECT_TRUE(sent);
}

TEST(SigV4, S3GetObjectExampleWithContentSha256) {
  AwsCredentials creds{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "", "test"};
  SigV4Signed s = SignVector("s3-get-object", creds, "us-east-1", "s3");
  EXPECT_EQ(AuthorizationOf(s), ReadVector("s3-get-object.authz")) << s.canonical_request;
}

TEST(SigV4, KeysWithEqualsAndSpacesAreEncodedOnceInPathAndQuery) {
  SigV4Request r;
  r.host = "127.0.0.1:9000";
  r.path = "/bucket/log_visit/date=2026-12-01/part 1.jsonl";
  r.query = {{"prefix", "log_visit/date=2026-12-01/"}, {"list-type", "2"}, {"continuation-token", "a+b/c="}};
  r.payload_sha256_hex = Sha256Hex("");
  SigV4Signed s = SignV4(r, kSuiteCreds, "us-east-1", "s3", 0);
  EXPECT_NE(s.canonical_request.find("\n/bucket/log_visit/date%3D2026-12-01/part%201.jsonl\n"), std::string::npos)
      << s.canonical_request;
  EXPECT_NE(s.canonical_request.find(
                "\ncontinuation-token=a%2Bb%2Fc%3D&list-type=2&prefix=log_visit%2Fdate%3D2026-12-01%2F\n"),
            std::string::npos)
      << s.canonical_request;
  EXPECT_EQ(s.canonical_request.find("wJalr"), std::string::npos);
}

}  // namespace
}  // namespace metl::cloud
