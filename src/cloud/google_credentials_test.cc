// Google credentials against a token endpoint and a metadata server on 127.0.0.1 (cpp-httplib):
// the JWT's claims and RS256 signature, caching and refresh, Google's errors, retries, ADC order.
#include "cloud/google_credentials.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "cloud/google_token_flows.h"
#include "cloud/jwt.h"
#include "core/flat_json.h"
#include "gfake/test_key.h"

namespace metl::cloud {
namespace {

class LocalServer {
 public:
  LocalServer() { port_ = server.bind_to_any_port("127.0.0.1"); }
  void Start() {
    thread_ = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LocalServer() {
    server.stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string HostPort() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string Url(const std::string& path) const { return "http://" + HostPort() + path; }
  httplib::Server server;

 private:
  int port_ = 0;
  std::thread thread_;
};

const gfake::TestServiceAccount& TestAccount() {
  static const gfake::TestServiceAccount sa = *gfake::MakeTestServiceAccount();
  return sa;
}

struct TempKeyFile {
  explicit TempKeyFile(const std::string& content, mode_t mode = 0600) {
    path = (std::filesystem::temp_directory_path() /
            ("metl-key-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".json"))
               .string();
    std::ofstream(path) << content;
    ::chmod(path.c_str(), mode);
  }
  ~TempKeyFile() { std::filesystem::remove(path); }
  std::string path;
  static inline int counter = 0;
};

GoogleAuthOptions Options(const std::string& key_file, std::map<std::string, std::string> env = {}) {
  GoogleAuthOptions o;
  o.key_file = key_file;
  o.scopes = {kScopeDevstorageReadWrite, kScopeBigQuery};
  o.retry.base_delay_s = 0.01;
  o.retry.max_delay_s = 0.05;
  o.retry.max_retries = 3;
  auto shared_env = std::make_shared<std::map<std::string, std::string>>(std::move(env));
  o.getenv = [shared_env](const char* name) -> const char* {
    auto it = shared_env->find(name);
    return it == shared_env->end() ? nullptr : it->second.c_str();
  };
  o.dmi_product_name_path = "/nonexistent/product_name";
  return o;
}

// A token endpoint that checks the assertion as Google does and counts what it issued.
struct TokenEndpoint {
  LocalServer s;
  std::atomic<int> issued{0};
  std::atomic<int> fail_next_with_503{0};
  int expires_in = 3600;
  std::string last_claims;
  std::mutex mu;
  TokenEndpoint() {
    s.server.Post("/token", [this](const httplib::Request& req, httplib::Response& res) {
      if (fail_next_with_503 > 0) {
        --fail_next_with_503;
        res.status = 503;
        res.set_header("Retry-After", "0");
        return;
      }
      if (req.get_param_value("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer") {
        res.status = 400;
        res.set_content(R"({"error":"unsupported_grant_type","error_description":"Invalid grant_type"})",
                        "application/json");
        return;
      }
      auto claims = VerifyRs256Jwt(req.get_param_value("assertion"), TestAccount().public_key_pem);
      if (!claims.ok()) {
        res.status = 400;
        res.set_content(R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})",
                        "application/json");
        return;
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        last_claims = *claims;
      }
      int n = ++issued;
      res.set_content("{\"access_token\":\"ya29.test-token-" + std::to_string(n) +
                          "\",\"expires_in\":" + std::to_string(expires_in) + ",\"token_type\":\"Bearer\"}",
                      "application/json");
    });
    s.Start();
  }
};

TEST(GoogleCredentials, ServiceAccountExchangesASignedJwtAndCachesTheToken) {
  TokenEndpoint ep;
  TempKeyFile key(TestAccount().KeyJson(ep.s.Url("/token")));
  auto source = MakeGoogleAccessTokenSource(Options(key.path));
  ASSERT_TRUE(source.ok()) << source.error().ToString();
  EXPECT_EQ((*source)->Describe(), "service account " + TestAccount().client_email);
  auto t1 = (*source)->Token();
  ASSERT_TRUE(t1.ok()) << t1.error().ToString();
  EXPECT_EQ(*t1, "ya29.test-token-1");
  EXPECT_EQ(*(*source)->Token(), "ya29.test-token-1");  // cached
  EXPECT_EQ(ep.issued, 1);

  auto claims = ParseFlatJsonObject(ep.last_claims, "claims");
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ(FlatField(*claims, "iss"), TestAccount().client_email);
  EXPECT_EQ(FlatField(*claims, "aud"), ep.s.Url("/token"));  // aud = the key's own token_uri
  EXPECT_EQ(FlatField(*claims, "scope"), std::string(kScopeDevstorageReadWrite) + " " + kScopeBigQuery);
  int64_t iat = std::stoll(FlatField(*claims, "iat"));
  EXPECT_EQ(std::stoll(FlatField(*claims, "exp")) - iat, 3600);
  EXPECT_NEAR(static_cast<double>(iat), static_cast<double>(time(nullptr)), 5);

  // A 401 from an API: Invalidate, and the next Token() is a new one.
  (*source)->Invalidate();
  EXPECT_EQ(*(*source)->Token(), "ya29.test-token-2");
}

TEST(GoogleCredentials, ShortLivedTokensAreRefreshedBeforeTheyExpire) {
  TokenEndpoint ep;
  ep.expires_in = 2;  // refreshed after half its life
  TempKeyFile key(TestAccount().KeyJson(ep.s.Url("/token")));
  auto source = MakeGoogleAccessTokenSource(Options(key.path));
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(*(*source)->Token(), "ya29.test-token-1");
  EXPECT_EQ(*(*source)->Token(), "ya29.test-token-1");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(*(*source)->Token(), "ya29.test-token-2");
}

TEST(GoogleCredentials, TokenEndpointErrorsQuoteGoogleAndNeverTheSecrets) {
  TokenEndpoint ep;
  auto other = gfake::MakeTestServiceAccount();  // a key the endpoint does not know
  ASSERT_TRUE(other.ok());
  TempKeyFile key(other->KeyJson(ep.s.Url("/token")));
  auto source = MakeGoogleAccessTokenSource(Options(key.path));
  ASSERT_TRUE(source.ok());
  auto t = (*source)->Token();
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().kind(), ErrorKind::kConfig);
  std::string text = t.error().ToString();
  EXPECT_NE(text.find("invalid_grant: Invalid JWT Signature."), std::string::npos) << text;
  EXPECT_NE(text.find("IAM > Service accounts"), std::string::npos) << text;  // says what to do
  EXPECT_NE(text.find(key.path), std::string::npos) << text;
  EXPECT_EQ(text.find("PRIVATE KEY"), std::string::npos) << text;
  EXPECT_EQ(text.find("eyJ"), std::string::npos) << text;  // no JWT segment
}

TEST(GoogleCredentials, TransientTokenEndpointFailuresAreRetried) {
  TokenEndpoint ep;
  ep.fail_next_with_503 = 2;
  TempKeyFile key(TestAccount().KeyJson(ep.s.Url("/token")));
  auto source = MakeGoogleAccessTokenSource(Options(key.path));
  ASSERT_TRUE(source.ok());
  auto t = (*source)->Token();
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(ep.fail_next_with_503, 0);
  EXPECT_EQ(ep.issued, 1);
}

TEST(GoogleCredentials, ReadableKeyFileIsWarnedAboutByNameOnly) {
  TokenEndpoint ep;
  TempKeyFile key(TestAccount().KeyJson(ep.s.Url("/token")), 0644);
  testing::internal::CaptureStderr();
  auto source = MakeGoogleAccessTokenSource(Options(key.path));
  std::string err = testing::internal::GetCapturedStderr();
  ASSERT_TRUE(source.ok());
  EXPECT_NE(err.find("readable by other users"), std::string::npos) << err;
  EXPECT_NE(err.find(key.path), std::string::npos) << err;
  EXPECT_EQ(err.find("PRIVATE KEY"), std::string::npos) << err;

  TempKeyFile private_key(TestAccount().KeyJson(ep.s.Url("/token")), 0600);
  testing::internal::CaptureStderr();
  auto quiet = MakeGoogleAccessTokenSource(Options(private_key.path));
  EXPECT_EQ(testing::internal::GetCapturedStderr().find("readable"), std::string::npos);
}

TEST(GoogleCredentials, AdcOrderAndAuthorizedUserRefreshGrant) {
  LocalServer s;
  std::string seen;
  s.server.Post("/token", [&](const httplib::Request& req, httplib::Response& res) {
    seen = req.get_param_value("grant_type") + "|" + req.get_param_value("refresh_token") + "|" +
           req.get_param_value("client_id") + "|" + req.get_param_value("client_secret");
    res.set_content(R"({"access_token":"ya29.user","expires_in":3599,"token_type":"Bearer"})", "application/json");
  });
  s.Start();
  auto dir = std::filesystem::temp_directory_path() / ("metl-adc-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "application_default_credentials.json");
    f << R"({"type":"authorized_user","client_id":"cid.apps.googleusercontent.com","client_secret":"csecret",)"
      << R"("refresh_token":"1//refresh","token_uri":")" << s.Url("/token") << "\"}";
  }
  ::chmod((dir / "application_default_credentials.json").c_str(), 0600);
  auto source = MakeGoogleAccessTokenSource(Options("", {{"CLOUDSDK_CONFIG", dir.string()}}));
  ASSERT_TRUE(source.ok()) << source.error().ToString();
  EXPECT_NE((*source)->Describe().find("gcloud user credentials"), std::string::npos);
  auto t = (*source)->Token();
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(*t, "ya29.user");
  EXPECT_EQ(seen, "refresh_token|1//refresh|cid.apps.googleusercontent.com|csecret");

  // GOOGLE_APPLICATION_CREDENTIALS comes first.
  TokenEndpoint ep;
  TempKeyFile key(TestAccount().KeyJson(ep.s.Url("/token")));
  auto sa = MakeGoogleAccessTokenSource(
      Options("", {{"CLOUDSDK_CONFIG", dir.string()}, {"GOOGLE_APPLICATION_CREDENTIALS", key.path}}));
  ASSERT_TRUE(sa.ok());
  EXPECT_EQ((*sa)->Describe(), "service account " + TestAccount().client_email);
  std::filesystem::remove_all(dir);
}

TEST(GoogleCredentials, MetadataServerOnlyWhenAskedFor) {
  // Nothing configured, not a Google VM: no metadata probe at all, a clear error instead.
  auto none = MakeGoogleAccessTokenSource(Options("", {{"HOME", "/nonexistent"}}));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind(), ErrorKind::kConfig);
  EXPECT_NE(none.error().ToString().find("GOOGLE_APPLICATION_CREDENTIALS"), std::string::npos);

  LocalServer s;
  std::string flavor, scopes;
  bool answer_as_google = true;
  s.server.Get("/computeMetadata/v1/instance/service-accounts/default/token", [&](const httplib::Request& req,
                                                                                  httplib::Response& res) {
    flavor = req.get_header_value("Metadata-Flavor");
    scopes = req.get_param_value("scopes");
    if (answer_as_google) res.set_header("Metadata-Flavor", "Google");
    res.set_content(R"({"access_token":"ya29.gce","expires_in":1967,"token_type":"Bearer"})", "application/json");
  });
  s.Start();
  auto gce = MakeGoogleAccessTokenSource(Options("", {{"GCE_METADATA_HOST", s.HostPort()}, {"HOME", "/nonexistent"}}));
  ASSERT_TRUE(gce.ok());
  auto t = (*gce)->Token();
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(*t, "ya29.gce");
  EXPECT_EQ(flavor, "Google");
  EXPECT_EQ(scopes, std::string(kScopeDevstorageReadWrite) + "," + kScopeBigQuery);

  answer_as_google = false;  // something else answering on that address: its token is not used
  (*gce)->Invalidate();
  auto bad = (*gce)->Token();
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("not a Google metadata server"), std::string::npos);
}

TEST(GoogleCredentials, RefusesToSendCredentialsOverPlainHttpOffLoopback) {
  TempKeyFile key(TestAccount().KeyJson("http://oauth.example.com/token"));
  auto source = MakeGoogleAccessTokenSource(Options(key.path));
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error().kind(), ErrorKind::kConfig);
  EXPECT_NE(source.error().message().find("refusing to send credentials"), std::string::npos);
  EXPECT_TRUE(CheckCredentialEndpoint("https://oauth2.googleapis.com/token", "x").ok());
  EXPECT_TRUE(CheckCredentialEndpoint("http://127.0.0.1:8080/token", "x").ok());
  EXPECT_FALSE(CheckCredentialEndpoint("http://127.0.0.1.evil.com/token", "x").ok());
}

TEST(Jwt, SignsAndVerifiesRs256) {
  auto jwt = SignRs256Jwt(R"({"alg":"RS256","typ":"JWT"})", R"({"a":1})", TestAccount().private_key_pem);
  ASSERT_TRUE(jwt.ok());
  auto claims = VerifyRs256Jwt(*jwt, TestAccount().public_key_pem);
  ASSERT_TRUE(claims.ok()) << claims.error().message();
  EXPECT_EQ(*claims, R"({"a":1})");
  std::string tampered = *jwt;
  tampered[tampered.find('.') + 2] ^= 1;
  EXPECT_FALSE(VerifyRs256Jwt(tampered, TestAccount().public_key_pem).ok());
  auto other = gfake::MakeTestServiceAccount();
  EXPECT_FALSE(VerifyRs256Jwt(*jwt, other->public_key_pem).ok());
}

}  // namespace
}  // namespace metl::cloud
