// An OAuth 2.0 access token for a cloud API (Google today), cached and refreshed before it expires.
// Implementations read credentials in one place per cloud (DESIGN.md) and never log them.
#pragma once

#include <string>

#include "core/error.h"

namespace metl::cloud {

class AccessTokenSource {
 public:
  virtual ~AccessTokenSource() = default;
  // A bearer token valid for at least a minute more. Thread-safe.
  virtual Result<std::string> Token() = 0;
  // Drops the cached token (the API answered 401): the next Token() fetches a new one.
  virtual void Invalidate() = 0;
  // For messages: "service account etl@project.iam.gserviceaccount.com", never a secret.
  virtual std::string Describe() const = 0;
};

}  // namespace metl::cloud
