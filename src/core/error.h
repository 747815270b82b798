// Error and Result<T>: how every expected failure travels (DESIGN.md, "Errors").
// Exceptions are reserved for bugs and caught once in main.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace metl {

// Only `kTransient` errors are retried (by the one retry policy in src/http/retry_policy.h).
enum class ErrorKind {
  kTransient,  // try again later: 429, 5xx, timeouts, cut-off bodies, Matomo's query timeout
  kTerminal,   // the request can never succeed as made: auth, unknown site, bad parameters
  kConfig,     // the user's configuration or command line is wrong
  kData,       // input data cannot be understood (a visit that does not parse, a bad file)
  kInternal,   // a bug or an environment fault (disk full, a library failure)
};

const char* ErrorKindName(ErrorKind kind);

// Context fields are optional; they are printed in this order when present.
struct ErrorContext {
  std::optional<int> http_status;
  std::string matomo_message;  // Matomo's own `message`, verbatim
  std::optional<long long> site_id;
  std::string date;  // YYYY-MM-DD of the partition
  std::string hint;  // what the user should do next
};

class Error {
 public:
  Error(ErrorKind kind, std::string message, ErrorContext context = {})
      : kind_(kind), message_(std::move(message)), context_(std::move(context)) {}

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const ErrorContext& context() const { return context_; }
  ErrorContext& context() { return context_; }
  bool transient() const { return kind_ == ErrorKind::kTransient; }

  // Chainable setters used while an error travels up: err.WithSite(1).WithDate("...").
  Error&& WithSite(long long site_id) && { context_.site_id = site_id; return std::move(*this); }
  Error&& WithDate(std::string date) && { context_.date = std::move(date); return std::move(*this); }
  Error&& WithHint(std::string hint) && { context_.hint = std::move(hint); return std::move(*this); }
  Error&& WithHttpStatus(int status) && { context_.http_status = status; return std::move(*this); }

  // "site 1, 2026-11-25: <message> (HTTP 401; Matomo says: ...). <hint>"
  std::string ToString() const;

 private:
  ErrorKind kind_;
  std::string message_;
  ErrorContext context_;
};

// A value or an Error. Deliberately small: no monadic zoo, just what call sites need.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { Check(); return std::get<0>(v_); }
  const T& value() const& { Check(); return std::get<0>(v_); }
  T&& value() && { Check(); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  void Check() const {
    if (!ok()) std::abort();  // a bug: the caller did not check ok()
  }
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;
inline Status OkStatus() { return Ok{}; }

}  // namespace metl

// Propagate an error from an expression returning Result/Status.
#define METL_TRY(expr)                                   \
  do {                                                   \
    auto metl_try_result_ = (expr);                      \
    if (!metl_try_result_.ok()) return std::move(metl_try_result_).error(); \
  } while (0)

#define METL_CONCAT_INNER(a, b) a##b
#define METL_CONCAT(a, b) METL_CONCAT_INNER(a, b)
// Declare `lhs` from a Result, or return its error.
#define METL_ASSIGN_OR_RETURN(lhs, expr) \
  METL_ASSIGN_OR_RETURN_IMPL(METL_CONCAT(metl_result_, __LINE__), lhs, expr)
#define METL_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return std::move(tmp).error();    \
  lhs = std::move(tmp).value()
