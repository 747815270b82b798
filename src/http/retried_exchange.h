// One HTTP exchange with a cloud service through the shared retry policy, as both object stores
// (objstore/s3_store.cc, objstore/gcs_store.cc) call theirs: an answer the service marks as
// transient becomes a kTransient error carrying its status and Retry-After, so RetryPolicy waits
// and tries again; transport errors are retried as they come. Each retry is logged the same way.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/error.h"
#include "http/http_client.h"
#include "http/retry_policy.h"

namespace metl::http {

struct RetriedExchange {
  std::string log_message;  // "retrying an S3 request": the log line of each retry
  std::string what;         // "upload gs://b/k": names the request in errors and logs
  // Sends the request once (built anew, signed or authorised each time).
  std::function<Result<HttpResult>()> send;
  // nullopt when `r` is a final answer; else it is retried, and the string (maybe empty) is added
  // to the error's message after the status (S3's error code).
  std::function<std::optional<std::string>(const HttpResult& r)> transient;
  int* attempts = nullptr;  // counts the tries when set (a retried write may already have happened)
};

Result<HttpResult> RunRetried(RetryPolicy& retry, const RetriedExchange& exchange);

// A transient answer `r` as the error RetryPolicy retries: "<what>: HTTP <status>[ <detail>]", its
// status attached, the server's Retry-After passed on. For loops that drive RetryPolicy themselves
// (downloads resumed by a Range request).
Error TransientAnswer(const std::string& what, const HttpResult& r, const std::string& detail,
                      std::optional<double>& retry_after);

// The log line of one retry: {"request": what, "error", "retry", "delay_s"}.
void LogHttpRetry(const std::string& log_message, const std::string& what, const Error& e, int retry, double delay_s);

}  // namespace metl::http
