#include "matomo/client.h"

#include "core/log.h"
#include "matomo/classify.h"

namespace metl::matomo {

Result<std::string> NormalizeApiUrl(const std::string& url) {
  std::string u = url;
  size_t cut = u.find_first_of("?#");
  if (cut != std::string::npos) u.resize(cut);
  if (!(u.starts_with("http://") || u.starts_with("https://"))) {
    return Error(ErrorKind::kConfig, "the Matomo URL must start with https:// or http:// (got '" + u + "')")
        .WithHint("set `url`, e.g. url = \"https://example.matomo.cloud/\"");
  }
  if (u.ends_with("/index.php")) return u;
  if (u.ends_with(".php")) {
    return Error(ErrorKind::kConfig, "the Matomo URL must be the base URL or its index.php (got '" + u + "')");
  }
  if (!u.ends_with("/")) u += '/';
  return u + "index.php";
}

std::string SourceUrl(const std::string& api_url) {
  constexpr std::string_view kIndex = "index.php";
  if (api_url.ends_with(kIndex)) return api_url.substr(0, api_url.size() - kIndex.size());
  return api_url;
}

MatomoClient::MatomoClient(std::shared_ptr<http::Transport> transport, ClientOptions options, std::string token)
    : transport_(std::move(transport)),
      options_(std::move(options)),
      token_(std::move(token)),
      retry_(options_.retry),
      limiter_(options_.rate_limit_per_min),
      gate_(options_.concurrency) {
  auto url = NormalizeApiUrl(options_.url);
  if (url.ok()) {
    api_url_ = *url;
  } else {
    init_ = std::move(url).error();
  }
}

Result<std::string> MatomoClient::Once(const std::string& method, const Params& params,
                                       std::optional<double>& retry_after, CallInfo* info) {
  if (!init_.ok()) return init_.error();
  if (info) info->query_timeout = false;
  std::string url = api_url_ + "?module=API&method=" + http::FormEncode(method);
  for (const auto& [k, v] : params) url += "&" + http::FormEncode(k) + "=" + http::FormEncode(v);
  std::string body = "token_auth=" + http::FormEncode(token_);

  Result<http::HttpResponse> response = Error(ErrorKind::kInternal, "not sent");
  {
    http::ConcurrencyGate::Scope in_flight(gate_);
    limiter_.Acquire();
    ++stats_.requests;
    if (info) ++info->requests;
    response = transport_->Post(url, body);
  }
  if (!response.ok()) {
    if (info && response.error().message().starts_with("request timed out")) info->query_timeout = true;
    return FailFastIfNeverReached(std::move(response).error());
  }
  answered_ = true;
  stats_.bytes += static_cast<int64_t>(response->body.size());
  if (info) info->last_elapsed_s = response->elapsed_s;
  Status st = ClassifyResponse(*response, /*first_contact=*/!json_seen_.load());
  if (st.ok()) json_seen_ = true;
  if (!st.ok()) {
    if (response->status == 429) {
      ++stats_.rate_limited;
      double wait = response->retry_after_s.value_or(1.0);
      retry_after = wait;
      limiter_.Pause(wait);  // everyone waits, not just this call
    } else if (response->retry_after_s && response->status >= 500) {
      retry_after = response->retry_after_s;
    }
    if (info && IsQueryTimeoutMessage(st.error().context().matomo_message)) info->query_timeout = true;
    return std::move(st).error();
  }
  return std::move(response->body);
}

Error MatomoClient::FailFastIfNeverReached(Error e) {
  http::ReachFailure what = http::ReachFailureOf(e);
  if (what == http::ReachFailure::kNone || answered_.load()) return e;  // mid-run: retried as transient
  if (what == http::ReachFailure::kConnect && ++refused_before_answer_ <= kFirstContactConnectRetries) return e;
  std::string hint;
  switch (what) {
    case http::ReachFailure::kResolve:
      hint = "check the host name in `url` (and the DNS or proxy settings: http_proxy, https_proxy)";
      break;
    case http::ReachFailure::kConnect:
      hint =
          "check `url` (host, port, http:// or https://) and that Matomo is running and reachable from here "
          "(firewall, proxy)";
      break;
    case http::ReachFailure::kTls:
      hint =
          "the server does not speak TLS at this host and port: if Matomo is served over plain HTTP, use http:// "
          "in `url`; otherwise check the port in `url`";
      break;
    case http::ReachFailure::kNone:
      break;
  }
  return Error(ErrorKind::kConfig, "cannot reach Matomo at " + SourceUrl(api_url_) + ": " + e.message()).WithHint(hint);
}

void MatomoClient::OnRetry(const std::string& method, const Params& params, const Error& e, int retry, double delay) {
  ++stats_.retries;
  std::string where;
  for (const auto& [k, v] : params) {
    if (k == "idSite" || k == "date" || k == "filter_offset" || k == "filter_limit") where += k + "=" + v + " ";
  }
  LogDebug("retrying a Matomo call", {{"method", method},
                                      {"params", where},
                                      {"error", e.ToString()},
                                      {"retry", std::to_string(retry)},
                                      {"delay_s", std::to_string(delay)}});
}

Result<std::string> MatomoClient::CallRaw(const std::string& method, const Params& params, CallInfo* info) {
  return Call<std::string>(method, params, [](std::string&& body) -> Result<std::string> { return std::move(body); },
                           info);
}

}  // namespace metl::matomo
