#include "cloud/cached_token_source.h"

#include <algorithm>

#include "core/clock.h"

namespace metl::cloud {

Result<std::string> CachedTokenSource::Token() {
  std::lock_guard<std::mutex> lock(mu_);
  double now = MonotonicSeconds();
  if (!token_.empty() && now < refresh_at_) return token_;
  METL_ASSIGN_OR_RETURN(TokenGrant grant, fetch_());
  ++fetches_;
  token_ = std::move(grant.access_token);
  // Google's tokens live an hour: refresh 5 minutes early so that a request in flight never
  // carries an expired one; a short-lived token (a test's, a metadata server's last minutes) is
  // refreshed at half its remaining life.
  double margin = std::min(300.0, grant.expires_in_s / 2);
  refresh_at_ = now + grant.expires_in_s - margin;
  return token_;
}

void CachedTokenSource::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  token_.clear();
}

int CachedTokenSource::fetches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fetches_;
}

}  // namespace metl::cloud
