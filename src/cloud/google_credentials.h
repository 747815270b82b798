// Google credentials (DESIGN.md: credentials are read in one place per cloud), in the order of
// Application Default Credentials:
//  1. a service-account JSON key (an explicit path, else GOOGLE_APPLICATION_CREDENTIALS): an RS256
//     JWT signed with OpenSSL and exchanged at the key's own token_uri (jwt-bearer grant);
//     gcloud's `authorized_user` file is accepted there too (refresh-token grant);
//  2. gcloud's ADC file ($CLOUDSDK_CONFIG or ~/.config/gcloud/application_default_credentials.json);
//  3. the GCE / Cloud Run metadata server, asked ONLY when GCE_METADATA_HOST is set or the machine's
//     DMI product name says Google (so a laptop or a test never sends a packet to 169.254.169.254).
// Tokens are cached and refreshed before they expire; transient failures are retried through the
// shared RetryPolicy. No key, assertion or token ever reaches a log line, an error or a file.
#pragma once

#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cloud/access_token.h"
#include "http/http_client.h"
#include "http/retry_policy.h"

namespace metl::cloud {

inline constexpr const char* kGoogleTokenUri = "https://oauth2.googleapis.com/token";
inline constexpr const char* kScopeDevstorageReadWrite = "https://www.googleapis.com/auth/devstorage.read_write";
inline constexpr const char* kScopeBigQuery = "https://www.googleapis.com/auth/bigquery";

struct GoogleAuthOptions {
  std::string key_file;                    // "" = Application Default Credentials
  std::vector<std::string> scopes;         // minimal, chosen by the caller
  std::shared_ptr<http::HttpClient> http;  // null = a CurlHttpClient
  http::RetryOptions retry;
  // Injected for tests: the environment and the DMI file that says whether this is a Google VM.
  std::function<const char*(const char*)> getenv = [](const char* name) { return std::getenv(name); };
  std::string dmi_product_name_path = "/sys/class/dmi/id/product_name";
};

Result<std::shared_ptr<AccessTokenSource>> MakeGoogleAccessTokenSource(GoogleAuthOptions options);

// Whether a token endpoint URL may receive credentials: https, or http to the loopback interface
// (the local fake). Anything else is a kConfig error naming the URL.
Status CheckCredentialEndpoint(const std::string& url, const std::string& source);

}  // namespace metl::cloud
