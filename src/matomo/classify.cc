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

std::string BodySummary(const http::HttpResponse& r) {
  // Text without tags, <script>/<style> contents, entities' ampersands or runs of white space.
  std::string text;
  std::string_view body(r.body);
  bool in_tag = false, skipping = false, space = false;
  for (size_t i = 0; i < body.size() && text.size() < 100; ++i) {
    char c = body[i];
    if (c == '<') {
      in_tag = true;
      std::string_view rest = body.substr(i + 1, 7);
      if (Contains(rest.substr(0, 6), "script") || Contains(rest.substr(0, 5), "style")) skipping = true;
      if (Contains(rest.substr(0, 7), "/script") || Contains(rest.substr(0, 6), "/style")) skipping = false;
      continue;
    }
    if (in_tag) {
      if (c == '>') in_tag = false, space = true;
      continue;
    }
    if (skipping) continue;
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !text.empty()) text += ' ';
    space = false;
    text += c == '"' ? '\'' : c;
  }
  std::string type = r.content_type.substr(0, r.content_type.find(';'));
  if (type.empty()) type = "no content type";
  if (text.empty()) return type + ", " + (r.body.empty() ? "empty body" : "no readable text");
  return type + ": \"" + text + (text.size() >= 100 ? "...\"" : "\"");
}

bool LooksLikePhpOrMatomoError(std::string_view body) {
  // A blank page is what a PHP fatal error gives with display_errors off. Not "matomo": the website
  // a wrong `url` points to mentions matomo.js in its tracking code.
  if (TrimLeft(body).empty()) return true;
  static constexpr std::array<std::string_view, 5> kPatterns = {"Fatal error", "Parse error", "Uncaught", "Warning</b>",
                                                                "Stack trace"};
  for (auto p : kPatterns) {
    if (Contains(body, p)) return true;
  }
  return false;
}

Status ClassifyResponse(const http::HttpResponse& r, bool first_contact) {
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
  // The HTTP status travels in the context (Error::ToString prints it once); messages summarise
  // the page instead of quoting its HTML.
  if (r.status >= 500) {
    return Error(ErrorKind::kTransient, "Matomo server error, " + BodySummary(r))
        .WithHttpStatus(static_cast<int>(r.status));
  }
  if (r.status >= 300 && r.status < 400) {
    return Error(ErrorKind::kConfig, "the Matomo URL redirects")
        .WithHttpStatus(static_cast<int>(r.status))
        .WithHint("set `url` to the final address (https, with or without www) so that the token is not dropped");
  }
  if (r.status == 404) {
    return Error(ErrorKind::kConfig, "no Matomo API at this URL, the server answered " + BodySummary(r))
        .WithHttpStatus(404)
        .WithHint(
            "set `url` to the Matomo base URL (the address of its login page), e.g. "
            "https://example.matomo.cloud/ or https://example.com/matomo/");
  }
  if (r.status != 200) {
    return Error(ErrorKind::kTerminal, "unexpected answer from the Matomo URL, " + BodySummary(r))
        .WithHttpStatus(static_cast<int>(r.status))
        .WithHint("check `url`: it must be the Matomo base URL, e.g. https://example.matomo.cloud/");
  }
  if (!json_like) {
    if (first_contact && !LooksLikePhpOrMatomoError(r.body)) {
      return Error(ErrorKind::kConfig,
                   "the URL does not answer like the Matomo API, the server answered " + BodySummary(r))
          .WithHttpStatus(200)
          .WithHint(
              "set `url` to the Matomo base URL (the address of its login page), e.g. "
              "https://example.com/matomo/, not the website it tracks");
    }
    // A PHP fatal error page, a proxy page or a cut-off body from a Matomo that answered before: retry.
    return Error(ErrorKind::kTransient, "Matomo answered with a non-JSON body, " + BodySummary(r)).WithHttpStatus(200);
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
