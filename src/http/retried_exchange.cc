#include "http/retried_exchange.h"

#include "core/log.h"

namespace metl::http {

Result<HttpResult> RunRetried(RetryPolicy& retry, const RetriedExchange& x) {
  return retry.Run<HttpResult>(
      [&](std::optional<double>& retry_after) -> Result<HttpResult> {
        if (x.attempts != nullptr) ++*x.attempts;
        METL_ASSIGN_OR_RETURN(HttpResult r, x.send());
        std::optional<std::string> detail = x.transient(r);
        if (!detail) return r;
        return TransientAnswer(x.what, r, *detail, retry_after);
      },
      [&](const Error& e, int n, double delay) { LogHttpRetry(x.log_message, x.what, e, n, delay); });
}

Error TransientAnswer(const std::string& what, const HttpResult& r, const std::string& detail,
                      std::optional<double>& retry_after) {
  retry_after = r.response.retry_after_s;
  return Error(ErrorKind::kTransient,
               what + ": HTTP " + std::to_string(r.response.status) + (detail.empty() ? "" : " " + detail))
      .WithHttpStatus(static_cast<int>(r.response.status));
}

void LogHttpRetry(const std::string& log_message, const std::string& what, const Error& e, int retry, double delay_s) {
  LogWarn(log_message, {{"request", what},
                        {"error", e.message()},
                        {"retry", std::to_string(retry)},
                        {"delay_s", std::to_string(delay_s)}});
}

}  // namespace metl::http
