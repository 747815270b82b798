// POST /token: Google's OAuth 2.0 token endpoint for the JWT-bearer grant, as strict as Google's:
// the assertion's RS256 signature must verify against the trusted test key, iss must be its
// client_email, aud this endpoint's own URL (or Google's), scope known scopes, and iat/exp within
// an hour.
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>

#include "cloud/jwt.h"
#include "core/flat_json.h"
#include "gfake/fake_context.h"
#include "gfake/routes.h"

namespace metl::gfake {
namespace {

const std::set<std::string>& KnownScopes() {
  static const std::set<std::string> scopes = {
      "https://www.googleapis.com/auth/cloud-platform",
      "https://www.googleapis.com/auth/cloud-platform.read-only",
      "https://www.googleapis.com/auth/devstorage.read_only",
      "https://www.googleapis.com/auth/devstorage.read_write",
      "https://www.googleapis.com/auth/devstorage.full_control",
      "https://www.googleapis.com/auth/bigquery",
      "https://www.googleapis.com/auth/bigquery.readonly",
      "https://www.googleapis.com/auth/userinfo.email",
      "openid",
      "https://www.googleapis.com/auth/sqlservice.login",
      "https://www.googleapis.com/auth/appengine.admin",
      "https://www.googleapis.com/auth/compute",
      "https://www.googleapis.com/auth/accounts.reauth",
  };
  return scopes;
}

void OAuthError(httplib::Response& res, int status, const std::string& error, const std::string& description) {
  res.status = status;
  res.set_content("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}",
                  "application/json; charset=utf-8");
}

void HandleToken(FakeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  // The server's logger writes the request log; a refusal names its reason there.
  auto done = [&](const std::string& fault = "") {
    if (!fault.empty()) res.set_header("X-Fake-Fault", fault);
  };
  if (req.get_header_value("Content-Type").find("application/x-www-form-urlencoded") != 0) {
    OAuthError(res, 400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
    return done("bad_content_type");
  }
  std::string grant = req.get_param_value("grant_type");
  if (grant != "urn:ietf:params:oauth:grant-type:jwt-bearer") {
    OAuthError(res, 400, "unsupported_grant_type", "Invalid grant_type: " + grant);
    return done("grant_type");
  }
  auto claims_json = cloud::VerifyRs256Jwt(req.get_param_value("assertion"), ctx.options().trusted_public_key_pem);
  if (!claims_json.ok()) {
    OAuthError(res, 400, "invalid_grant", "Invalid JWT Signature.");
    return done("signature");
  }
  auto claims = ParseFlatJsonObject(*claims_json, "claims");
  if (!claims.ok()) {
    OAuthError(res, 400, "invalid_grant", "Invalid JWT: claims are not a JSON object.");
    return done("claims");
  }
  if (FlatField(*claims, "iss") != ctx.options().trusted_client_email) {
    OAuthError(res, 400, "invalid_grant", "Invalid grant: account not found");
    return done("iss");
  }
  // Google accepts its token endpoint's URLs as the audience; Google's Python library (gcloud)
  // always sends the canonical one, google-cloud-cpp and this tool the key's token_uri (here, the
  // fake's own URL). Anything else is refused, as Google refuses it.
  std::string audience = ctx.base_url() + "/token";
  std::string aud = FlatField(*claims, "aud");
  if (aud != audience && aud != "https://oauth2.googleapis.com/token" &&
      aud != "https://www.googleapis.com/oauth2/v4/token" && aud != "https://accounts.google.com/o/oauth2/token") {
    OAuthError(res, 400, "invalid_grant", "Invalid JWT: Failed audience check. The right audience is " + audience);
    return done("aud");
  }
  int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  int64_t iat = std::atoll(FlatField(*claims, "iat").c_str());
  int64_t exp = std::atoll(FlatField(*claims, "exp").c_str());
  if (iat <= 0 || exp <= 0 || exp <= now || exp - iat > 3600 || iat > now + 60) {
    OAuthError(res, 400, "invalid_grant",
               "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check "
               "your iat and exp values in the JWT claim.");
    return done("iat_exp");
  }
  std::set<std::string> scopes;
  std::istringstream in(FlatField(*claims, "scope"));
  for (std::string s; in >> s;) {
    if (KnownScopes().count(s) == 0) {
      OAuthError(res, 400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.");
      return done("scope " + s);
    }
    scopes.insert(s);
  }
  // gcloud's first exchange after activate-service-account sends no scope; refused, it goes
  // on and asks with scopes (observed). The wording of Google's message is from memory: UNVERIFIED.
  if (scopes.empty()) {
    OAuthError(res, 400, "invalid_scope", "Empty or missing scope not allowed.");
    return done("no_scope");
  }
  double lifetime = ctx.options().token_lifetime_s;
  std::string token = ctx.tokens().Issue(scopes, lifetime);
  if (!ctx.options().secrets_log_path.empty()) {
    std::ofstream(ctx.options().secrets_log_path, std::ios::app)
        << "assertion " << req.get_param_value("assertion") << "\ntoken " << token << "\n";
  }
  res.set_content("{\"access_token\":\"" + token + "\",\"expires_in\":" +
                      std::to_string(static_cast<int64_t>(lifetime)) + ",\"token_type\":\"Bearer\"}",
                  "application/json; charset=utf-8");
  done();
}

}  // namespace

void RegisterTokenRoutes(httplib::Server& server, FakeContext& ctx) {
  server.Post("/token", [&ctx](const httplib::Request& req, httplib::Response& res) { HandleToken(ctx, req, res); });
}

}  // namespace metl::gfake
