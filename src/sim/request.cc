#include "sim/request.h"

#include <cstdint>

#include "core/hex.h"

namespace metl::sim {

std::string UrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && HexDigitValue(text[i + 1]) >= 0 && HexDigitValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexDigitValue(text[i + 1]) * 16 + HexDigitValue(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

void ParseFormInto(std::string_view text, std::map<std::string, std::string>& out) {
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos) amp = text.size();
    std::string_view pair = text.substr(pos, amp - pos);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string name = UrlDecode(pair.substr(0, eq));
      std::string value = eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1));
      if (!name.empty()) out.emplace(std::move(name), std::move(value));  // emplace keeps the first
    }
    pos = amp + 1;
  }
}

std::string ApiRequest::Get(const std::string& name, const std::string& fallback) const {
  auto it = params.find(name);
  return it == params.end() ? fallback : it->second;
}

ApiRequest ParseApiRequest(std::string_view http_method, std::string_view target, std::string_view body) {
  ApiRequest req;
  req.http_method = std::string(http_method);
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> form;
  size_t q = target.find('?');
  if (q != std::string_view::npos) {
    std::string_view qs = target.substr(q + 1);
    size_t hash = qs.find('#');
    if (hash != std::string_view::npos) qs = qs.substr(0, hash);
    ParseFormInto(qs, query);
  }
  ParseFormInto(body, form);
  if (auto it = query.find("token_auth"); it != query.end()) {
    req.token_in_query = it->second;
    query.erase(it);
  }
  if (auto it = form.find("token_auth"); it != form.end()) {
    req.token_in_body = it->second;
    form.erase(it);
  }
  req.params = std::move(query);
  for (auto& [k, v] : form) req.params.emplace(k, v);  // $_GET + $_POST: the query string wins
  return req;
}

int64_t ParamInt(const ApiRequest& req, const std::string& name, int64_t fallback) {
  auto it = req.params.find(name);
  if (it == req.params.end()) return fallback;
  const std::string& s = it->second;
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  if (i >= s.size() || s[i] < '0' || s[i] > '9') return fallback;
  int64_t v = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (v > (INT64_MAX - 9) / 10) break;  // clamp absurd values instead of overflowing
    v = v * 10 + (s[i] - '0');
  }
  return neg ? -v : v;
}

}  // namespace metl::sim
