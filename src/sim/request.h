// One API request as the simulator sees it: Matomo reads parameters from `$_GET + $_POST` (the query
// string wins), and Matomo 5's secure-only tokens count only when they come in the POST body.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace metl::sim {

// Decodes application/x-www-form-urlencoded text ('+' is a space, %XX bytes); bad escapes stay literal.
std::string UrlDecode(std::string_view text);
// Parses "a=1&b=2" into `out`; the first occurrence of a name wins, as in `$_GET + $_POST`.
void ParseFormInto(std::string_view text, std::map<std::string, std::string>& out);

struct ApiRequest {
  std::string http_method;  // "GET" / "POST"
  // Merged parameters without token_auth (safe to log).
  std::map<std::string, std::string> params;
  std::optional<std::string> token_in_query;
  std::optional<std::string> token_in_body;

  // A parameter, or `fallback` when absent.
  std::string Get(const std::string& name, const std::string& fallback) const;  // a copy: fallbacks are temporaries
  bool Has(const std::string& name) const { return params.count(name) > 0; }
};

// `target` is the request target ("/index.php?module=API&..."); `body` the POST body when it is
// form-encoded (empty otherwise).
ApiRequest ParseApiRequest(std::string_view http_method, std::string_view target, std::string_view body);

// Parses an integer parameter the way PHP's (int) cast does for our purposes: optional sign and
// leading digits; anything else gives `fallback`.
int64_t ParamInt(const ApiRequest& req, const std::string& name, int64_t fallback);

}  // namespace metl::sim
