#include "matomo/classify.h"

#include <simdjson.h>

#include <array>
#include <cctype>

namespace metl::matomo {
namespace {

bool Contains(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    bool eq = true;
    for (size_t j = 0; j < needle.size() && eq; ++j) {
      eq = std::tolower(static_cast<unsigned char>(hay[i + j])) == std::tolower(static_cast<unsigned char>(needle[j]));
    }
    if (eq) return true;
  }
  return false;
}

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s;
}

constexpr const char* kTokenHint =
    "check the token in MATOMO_TOKEN_AUTH (or the variable named by token_env, or token_file): it must be a valid "
    "token_auth of a user with at least view access (Matomo: Administration > Personal > Security > Auth tokens)";

// Reads {"result":"error","message":"..."}; false when the object is not an error object.
bool ReadErrorObject(std::string_view body, std::string& message) {
  using namespace simdjson;
  ondemand::parser parser;
  padded_string padded(body);
  ondemand::document doc;
  if (parser.iterate(padded).get(doc)) return false;
  ondemand::object obj;
  if (doc.get_object().get(obj)) return false;
  bool is_error = false;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return false;
    if (key == "result") {
      std::string_view v;
      if (!field.value().get_string().get(v) && v == "error") is_error = true;
    } else if (key == "message") {
      std::string_view v;
      if (!field.value().get_string().get(v)) message = std::string(v);
    }
  }
  return is_error;
}

}  // namespace

bool IsQueryTimeoutMessage(std::string_view message) { return Contains(message, "Could not run the query in time"); }

bool IsTransientMatomoMessage(std::string_view message) {
  static constexpr std::array<std::string_view, 12> kPatterns = {
      "Could not run the query in time", "SQLSTATE", "MySQL server has gone away", "Deadlock",
      "Lost connection", "Connection refused", "try again", "Mysqli", "Too many connections",
      "maximum execution time", "temporarily", "Lock wait timeout"};
  for (auto p : kPatterns) {
    if (Contains(message, p)) return true;
  }
  return false;
}

bool IsAuthMatomoMessage(std::string_view message) {
  return Contains(message, "authenticate") || Contains(message, "token") ||
         Contains(message, "requires 'view' access") || Contains(message, "access this resource") ||
         Contains(message, "login");
}

std::string Snippet(std::string_view body) {
  body = TrimLeft(body);
  std::string out;
  for (char c : body) {
    if (c == '\n' || out.size() >= 120) break;
    out += std::iscntrl(static_cast<unsigned char>(c)) ? ' ' : c;
  }
  if (out.size() < body.size()) out += "...";
  return out;
}

Status ClassifyResponse(const http::HttpResponse& r) {
  std::string_view body = TrimLeft(r.body);
  // Arrays and objects, and a JSON string for scalar answers (API.getMatomoVersion may be "5.1.2").
  bool json_like = !body.empty() && (body.front() == '[' || body.front() == '{' || body.front() == '"');
  std::string message;
  bool error_object = json_like && body.front() == '{' && ReadErrorObject(body, message);

  // 429 and 5xx are transient whatever the body says (found by classify_fuzz: a 429 quoting an access
  // message was a terminal token error).
  bool overloaded = r.status == 429 || r.status >= 500;
  if (r.status == 401 ||
      (!overloaded && error_object && IsAuthMatomoMessage(message) && !IsTransientMatomoMessage(message))) {
    ErrorContext ctx;
    ctx.http_status = static_cast<int>(r.status);
    ctx.matomo_message = message.empty() ? Snippet(r.body) : message;
    ctx.hint = kTokenHint;
    return Error(ErrorKind::kConfig, "Matomo rejected the token", ctx);
  }
  if (r.status == 429) {
    return Error(ErrorKind::kTransient, "rate limited by Matomo (HTTP 429)").WithHttpStatus(429);
  }
  if (r.status >= 500) {
    return Error(ErrorKind::kTransient, "Matomo server error: " + Snippet(r.body)).WithHttpStatus(static_cast<int>(r.status));
  }
  if (r.status >= 300 && r.status < 400) {
    return Error(ErrorKind::kConfig, "the Matomo URL redirects (HTTP " + std::to_string(r.status) + ")")
        .WithHttpStatus(static_cast<int>(r.status))
        .WithHint("set `url` to the final address (https, with or without www) so that the token is not dropped");
  }
  if (r.status == 404) {
    return Error(ErrorKind::kConfig, "no Matomo API at this URL (HTTP 404)")
        .WithHttpStatus(404)
        .WithHint("set `url` to the Matomo base URL, e.g. https://example.matomo.cloud/");
  }
  if (r.status != 200) {
    return Error(ErrorKind::kTerminal, "unexpected HTTP status from Matomo: " + Snippet(r.body))
        .WithHttpStatus(static_cast<int>(r.status));
  }
  if (!json_like) {
    // An HTML error page (PHP fatal error, proxy page) or a cut-off body: retry.
    return Error(ErrorKind::kTransient, "Matomo answered with a non-JSON body: " + Snippet(r.body)).WithHttpStatus(200);
  }
  if (error_object) {
    ErrorContext ctx;
    ctx.http_status = 200;
    ctx.matomo_message = message;
    if (IsTransientMatomoMessage(message)) return Error(ErrorKind::kTransient, "Matomo error", ctx);
    return Error(ErrorKind::kTerminal, "Matomo refused the request", ctx);
  }
  return OkStatus();
}

}  // namespace metl::matomo
