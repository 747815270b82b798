#include "sim/log_actions.h"

namespace metl::sim {

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#039;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

LogActionName PrefixedUrl(std::string_view url) {
  static constexpr std::pair<std::string_view, int> kPrefixes[] = {
      {"http://www.", 1}, {"https://www.", 3}, {"http://", 0}, {"https://", 2}};
  for (const auto& [p, code] : kPrefixes) {
    if (url.starts_with(p)) return {HtmlEscape(url.substr(p.size())), code};
  }
  return {HtmlEscape(url), std::nullopt};
}

int64_t LogActions::Id(int type, std::string_view name) {
  auto key = std::make_pair(type, std::string(name));
  auto it = ids_.find(key);
  if (it != ids_.end()) return it->second;
  const int64_t id = MaxId() + 1;
  ids_.emplace(std::move(key), id);
  return id;
}

std::optional<int64_t> LogActions::Find(int type, std::string_view name) const {
  auto it = ids_.find(std::make_pair(type, std::string(name)));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

}  // namespace metl::sim
