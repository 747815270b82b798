// An AccessTokenSource that caches what a fetch function returns and fetches again shortly before
// the token expires (5 minutes before, or half its lifetime for short-lived tokens), or after
// Invalidate(). One fetch at a time: concurrent callers wait for it instead of stampeding.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "cloud/access_token.h"

namespace metl::cloud {

struct TokenGrant {
  std::string access_token;
  double expires_in_s = 0;
};

class CachedTokenSource final : public AccessTokenSource {
 public:
  using Fetch = std::function<Result<TokenGrant>()>;
  CachedTokenSource(std::string description, Fetch fetch)
      : description_(std::move(description)), fetch_(std::move(fetch)) {}
  Result<std::string> Token() override;
  void Invalidate() override;
  std::string Describe() const override { return description_; }
  int fetches() const;  // how many tokens were fetched (tests, logs)

 private:
  std::string description_;
  Fetch fetch_;
  mutable std::mutex mu_;
  std::string token_;
  double refresh_at_ = 0;  // MonotonicSeconds() after which the token is fetched again
  int fetches_ = 0;
};

}  // namespace metl::cloud
