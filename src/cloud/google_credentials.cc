#include "cloud/google_credentials.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "cloud/google_token_flows.h"
#include "core/flat_json.h"
#include "core/log.h"
#include "http/curl_http_client.h"

namespace metl::cloud {
namespace {

bool IsLoopbackHost(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

// HOST of "scheme://HOST[:PORT]/..."
std::string HostOf(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (authority.starts_with("[")) return authority.substr(0, authority.find(']') + 1);
  return authority.substr(0, authority.find(':'));
}

Result<std::string> ReadKeyFile(const std::string& path, const std::string& source) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Error(ErrorKind::kConfig, "cannot read the Google credentials file " + path + " (from " + source + ")")
        .WithHint(
            "check the path; create a key under IAM > Service accounts > Keys, or run "
            "`gcloud auth application-default login`");
  }
  if ((st.st_mode & (S_IRGRP | S_IROTH)) != 0) {
    LogWarn("the Google credentials file is readable by other users: anyone who can read it can act as its account",
            {{"file", path}, {"fix", "chmod 600 " + path}});
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in) return Error(ErrorKind::kConfig, "cannot read the Google credentials file " + path);
  return ss.str();
}

Result<std::shared_ptr<AccessTokenSource>> FromKeyFile(const std::string& path, const std::string& source,
                                                       const FlowContext& ctx) {
  METL_ASSIGN_OR_RETURN(std::string text, ReadKeyFile(path, source));
  auto json = ParseFlatJsonObject(text, "the Google credentials file " + path);
  if (!json.ok()) {
    return Error(ErrorKind::kConfig, json.error().message())
        .WithHint("point it at the JSON key downloaded from IAM > Service accounts > Keys");
  }
  std::string type = FlatField(*json, "type");
  if (type == "service_account") {
    ServiceAccountKey key;
    key.file = path;
    key.client_email = FlatField(*json, "client_email");
    key.private_key = FlatField(*json, "private_key");
    key.private_key_id = FlatField(*json, "private_key_id");
    key.token_uri = FlatField(*json, "token_uri");
    if (key.token_uri.empty()) key.token_uri = kGoogleTokenUri;
    if (key.client_email.empty() || key.private_key.empty()) {
      return Error(ErrorKind::kConfig, "the service-account key " + path + " lacks client_email or private_key")
          .WithHint("download a new JSON key from IAM > Service accounts > Keys");
    }
    METL_TRY(CheckCredentialEndpoint(key.token_uri, "token_uri in " + path));
    std::string describe = "service account " + key.client_email;
    return std::shared_ptr<AccessTokenSource>(
        std::make_shared<CachedTokenSource>(describe, ServiceAccountFetch(std::move(key), ctx)));
  }
  if (type == "authorized_user") {
    AuthorizedUserKey key;
    key.file = path;
    key.client_id = FlatField(*json, "client_id");
    key.client_secret = FlatField(*json, "client_secret");
    key.refresh_token = FlatField(*json, "refresh_token");
    key.token_uri = FlatField(*json, "token_uri");
    if (key.token_uri.empty()) key.token_uri = kGoogleTokenUri;
    if (key.client_id.empty() || key.client_secret.empty() || key.refresh_token.empty()) {
      return Error(ErrorKind::kConfig,
                   "the gcloud credentials file " + path + " lacks client_id, client_secret or refresh_token")
          .WithHint("run `gcloud auth application-default login` again");
    }
    METL_TRY(CheckCredentialEndpoint(key.token_uri, "token_uri in " + path));
    std::string describe = "gcloud user credentials (" + path + ")";
    return std::shared_ptr<AccessTokenSource>(
        std::make_shared<CachedTokenSource>(describe, AuthorizedUserFetch(std::move(key), ctx)));
  }
  return Error(ErrorKind::kConfig, "the Google credentials file " + path + " has type '" + type +
                                       "'; supported: service_account, authorized_user")
      .WithHint("use a service-account JSON key (IAM > Service accounts > Keys)");
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

bool DmiSaysGoogle(const std::string& path) {
  std::ifstream in(path);
  std::string name;
  std::getline(in, name);
  return name.find("Google") != std::string::npos;
}

}  // namespace

Status CheckCredentialEndpoint(const std::string& url, const std::string& source) {
  if (url.starts_with("https://")) return OkStatus();
  if (url.starts_with("http://") && IsLoopbackHost(HostOf(url))) return OkStatus();
  return Error(ErrorKind::kConfig, "refusing to send credentials to " + url + " (" + source +
                                       "): only https://, or http:// to this machine's loopback, is allowed")
      .WithHint("use Google's token endpoint " + std::string(kGoogleTokenUri));
}

Result<std::shared_ptr<AccessTokenSource>> MakeGoogleAccessTokenSource(GoogleAuthOptions options) {
  FlowContext ctx;
  ctx.http = options.http;
  if (!ctx.http) {
    http::CurlOptions co;
    co.timeout_s = 60;
    ctx.http =
        std::make_shared<http::CurlHttpClient>(co, "Google's token endpoint", "the credentials file's token_uri");
  }
  ctx.retry = std::make_shared<http::RetryPolicy>(options.retry);
  ctx.scopes = options.scopes;
  auto env = [&](const char* name) -> std::string {
    const char* v = options.getenv(name);
    return v == nullptr ? std::string() : std::string(v);
  };

  if (!options.key_file.empty()) return FromKeyFile(options.key_file, "the key file option", ctx);
  if (std::string adc = env("GOOGLE_APPLICATION_CREDENTIALS"); !adc.empty()) {
    return FromKeyFile(adc, "GOOGLE_APPLICATION_CREDENTIALS", ctx);
  }
  std::string config_dir = env("CLOUDSDK_CONFIG");
  if (config_dir.empty() && !env("HOME").empty()) config_dir = env("HOME") + "/.config/gcloud";
  if (!config_dir.empty()) {
    std::string well_known = config_dir + "/application_default_credentials.json";
    if (FileExists(well_known)) return FromKeyFile(well_known, "gcloud's application default credentials", ctx);
  }
  // The metadata server last, and only where one can exist: probing it elsewhere would send
  // packets off this machine (and make every credential-less run wait for a timeout).
  std::string metadata_host = env("GCE_METADATA_HOST");
  if (metadata_host.empty() && DmiSaysGoogle(options.dmi_product_name_path)) metadata_host = "metadata.google.internal";
  if (!metadata_host.empty()) {
    std::string describe = "the metadata server's default service account (" + metadata_host + ")";
    return std::shared_ptr<AccessTokenSource>(
        std::make_shared<CachedTokenSource>(describe, MetadataServerFetch(metadata_host, ctx)));
  }
  return Error(ErrorKind::kConfig, "no Google credentials found")
      .WithHint(
          "set GOOGLE_APPLICATION_CREDENTIALS to a service-account JSON key (IAM > Service accounts > Keys), "
          "or run `gcloud auth application-default login`");
}

}  // namespace metl::cloud
