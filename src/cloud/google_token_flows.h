// The three ways to get a Google access token, each a CachedTokenSource::Fetch: the service-account
// JWT-bearer grant, the authorized_user refresh-token grant, and the metadata server. Errors quote
// Google's `error` and `error_description` (never the request) and say what to do.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cloud/cached_token_source.h"
#include "http/http_client.h"
#include "http/retry_policy.h"

namespace metl::cloud {

struct ServiceAccountKey {
  std::string file;  // where it came from, for messages
  std::string client_email;
  std::string private_key;  // PEM
  std::string private_key_id;
  std::string token_uri;
};

struct AuthorizedUserKey {
  std::string file;
  std::string client_id;
  std::string client_secret;
  std::string refresh_token;
  std::string token_uri;
};

struct FlowContext {
  std::shared_ptr<http::HttpClient> http;
  std::shared_ptr<http::RetryPolicy> retry;
  std::vector<std::string> scopes;
};

CachedTokenSource::Fetch ServiceAccountFetch(ServiceAccountKey key, FlowContext ctx);
CachedTokenSource::Fetch AuthorizedUserFetch(AuthorizedUserKey key, FlowContext ctx);
// `host` is GCE_METADATA_HOST's HOST[:PORT], or metadata.google.internal.
CachedTokenSource::Fetch MetadataServerFetch(std::string host, FlowContext ctx);

// The JWT-bearer assertion for `key` (exposed for tests: its claims and signature are checked).
Result<std::string> MakeServiceAccountAssertion(const ServiceAccountKey& key, const std::vector<std::string>& scopes,
                                                int64_t now_epoch);

}  // namespace metl::cloud
