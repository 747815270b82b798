#include "cloud/google_token_flows.h"

#include "cloud/jwt.h"
#include "core/clock.h"
#include "core/flat_json.h"
#include "core/log.h"
#include "http/transport.h"

namespace metl::cloud {
namespace {

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// What to do after a token endpoint's error, by OAuth error code (RFC 6749 5.2 + Google's usage).
std::string HintFor(const std::string& error, bool service_account) {
  if (error == "invalid_grant") {
    return service_account
               ? "the key may be deleted or disabled, or this machine's clock is off: check the key in IAM > Service "
                 "accounts > Keys (create a new JSON key if needed) and the system time"
               : "the refresh token was revoked or expired: run `gcloud auth application-default login` again";
  }
  if (error == "invalid_scope") return "a scope was refused: report this (the tool asks only for documented scopes)";
  if (error == "invalid_client" || error == "unauthorized_client") {
    return service_account
               ? "the service account may be deleted or disabled: check it in IAM > Service accounts"
               : "the OAuth client in the ADC file is not valid: run `gcloud auth application-default login` again";
  }
  return "check the credentials file; for a service account, create a new JSON key in IAM > Service accounts > Keys";
}

// Posts a token request and reads {access_token, expires_in, token_type}, retrying transient
// failures. `who` names the credential in messages.
Result<TokenGrant> Exchange(const FlowContext& ctx, const http::HttpRequest& request, const std::string& who,
                            bool service_account) {
  return ctx.retry->Run<TokenGrant>(
      [&](std::optional<double>& retry_after) -> Result<TokenGrant> {
        METL_ASSIGN_OR_RETURN(http::HttpResult r, ctx.http->Send(request));
        long status = r.response.status;
        if (status == 429 || status == 408 || status >= 500) {
          retry_after = r.response.retry_after_s;
          return Error(ErrorKind::kTransient,
                       "Google's token endpoint answered HTTP " + std::to_string(status) + " for " + who)
              .WithHttpStatus(static_cast<int>(status));
        }
        auto json = ParseFlatJsonObject(r.response.body, "the token endpoint's answer");
        if (status != 200) {
          std::string error = json.ok() ? FlatField(*json, "error") : "";
          std::string description = json.ok() ? FlatField(*json, "error_description") : "";
          std::string says = error.empty() ? "no OAuth error in the answer" : error;
          if (!description.empty()) says += ": " + description;
          return Error(ErrorKind::kConfig, "Google refused the credentials of " + who + " (" + says + ")")
              .WithHttpStatus(static_cast<int>(status))
              .WithHint(HintFor(error, service_account));
        }
        if (!json.ok()) return Error(ErrorKind::kTransient, "Google's token endpoint answered something not JSON");
        std::string token = FlatField(*json, "access_token");
        std::string expires = FlatField(*json, "expires_in");
        std::string type = FlatField(*json, "token_type");
        if (token.empty() || expires.empty() || type.empty()) {
          return Error(ErrorKind::kTransient,
                       "Google's token endpoint answered without access_token, expires_in or token_type");
        }
        TokenGrant grant;
        grant.access_token = std::move(token);
        grant.expires_in_s = std::strtod(expires.c_str(), nullptr);
        return grant;
      },
      [&](const Error& e, int retry, double delay) {
        LogWarn("retrying the Google token request", {{"credentials", who},
                                                      {"error", e.message()},
                                                      {"retry", std::to_string(retry)},
                                                      {"delay_s", std::to_string(delay)}});
      });
}

}  // namespace

Result<std::string> MakeServiceAccountAssertion(const ServiceAccountKey& key, const std::vector<std::string>& scopes,
                                                int64_t now) {
  std::string header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"";
  if (!key.private_key_id.empty()) header += ",\"kid\":\"" + JsonEscape(key.private_key_id) + "\"";
  header += "}";
  // exp: Google accepts at most an hour after iat.
  std::string claims = "{\"iss\":\"" + JsonEscape(key.client_email) + "\",\"scope\":\"" +
                       JsonEscape(Join(scopes, " ")) + "\",\"aud\":\"" + JsonEscape(key.token_uri) +
                       "\",\"iat\":" + std::to_string(now) + ",\"exp\":" + std::to_string(now + 3600) + "}";
  return SignRs256Jwt(header, claims, key.private_key);
}

CachedTokenSource::Fetch ServiceAccountFetch(ServiceAccountKey key, FlowContext ctx) {
  return [key = std::move(key), ctx = std::move(ctx)]() -> Result<TokenGrant> {
    // A fresh assertion per exchange: a retried one could outlive its iat window.
    METL_ASSIGN_OR_RETURN(std::string assertion,
                          MakeServiceAccountAssertion(key, ctx.scopes, SystemClock().NowEpochSeconds()));
    http::HttpRequest req;
    req.method = "POST";
    req.url = key.token_uri;
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    req.body = "grant_type=" + http::FormEncode("urn:ietf:params:oauth:grant-type:jwt-bearer") +
               "&assertion=" + http::FormEncode(assertion);
    return Exchange(ctx, req, "service account " + key.client_email + " (key file " + key.file + ")", true);
  };
}

CachedTokenSource::Fetch AuthorizedUserFetch(AuthorizedUserKey key, FlowContext ctx) {
  return [key = std::move(key), ctx = std::move(ctx)]() -> Result<TokenGrant> {
    http::HttpRequest req;
    req.method = "POST";
    req.url = key.token_uri;
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    req.body = "grant_type=refresh_token&refresh_token=" + http::FormEncode(key.refresh_token) +
               "&client_id=" + http::FormEncode(key.client_id) +
               "&client_secret=" + http::FormEncode(key.client_secret);
    return Exchange(ctx, req, "the gcloud user credentials in " + key.file, false);
  };
}

CachedTokenSource::Fetch MetadataServerFetch(std::string host, FlowContext ctx) {
  return [host = std::move(host), ctx = std::move(ctx)]() -> Result<TokenGrant> {
    http::HttpRequest req;
    req.url = "http://" + host + "/computeMetadata/v1/instance/service-accounts/default/token";
    if (!ctx.scopes.empty()) req.url += "?scopes=" + http::FormEncode(Join(ctx.scopes, ","));
    req.headers = {{"Metadata-Flavor", "Google"}};
    std::string who = "the metadata server's default service account (" + host + ")";
    return ctx.retry->Run<TokenGrant>(
        [&](std::optional<double>& retry_after) -> Result<TokenGrant> {
          METL_ASSIGN_OR_RETURN(http::HttpResult r, ctx.http->Send(req));
          long status = r.response.status;
          if (status == 429 || status >= 500) {
            retry_after = r.response.retry_after_s;
            return Error(ErrorKind::kTransient, "the metadata server answered HTTP " + std::to_string(status));
          }
          const std::string* flavor = http::FindHeader(r.headers, "metadata-flavor");
          if (flavor == nullptr || *flavor != "Google") {
            // Not a metadata server (a proxy or a captive portal): never trust its token.
            return Error(ErrorKind::kConfig, "the server at " + host + " is not a Google metadata server")
                .WithHint("unset GCE_METADATA_HOST, or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key");
          }
          if (status != 200) {
            return Error(ErrorKind::kConfig, "the metadata server refused a token for " + who)
                .WithHttpStatus(static_cast<int>(status))
                .WithHint(
                    "attach a service account to the VM or Cloud Run service, or set "
                    "GOOGLE_APPLICATION_CREDENTIALS to a service-account key");
          }
          auto json = ParseFlatJsonObject(r.response.body, "the metadata server's answer");
          if (!json.ok() || FlatField(*json, "access_token").empty() || FlatField(*json, "expires_in").empty()) {
            return Error(ErrorKind::kTransient, "the metadata server answered without access_token or expires_in");
          }
          TokenGrant grant;
          grant.access_token = FlatField(*json, "access_token");
          grant.expires_in_s = std::strtod(FlatField(*json, "expires_in").c_str(), nullptr);
          return grant;
        },
        [&](const Error& e, int retry, double delay) {
          LogWarn("retrying the metadata server",
                  {{"error", e.message()}, {"retry", std::to_string(retry)}, {"delay_s", std::to_string(delay)}});
        });
  };
}

}  // namespace metl::cloud
