#include "dwc/table_discovery.h"

#include <cctype>

namespace metl::dwc {

const std::vector<std::string>& KnownDwcTables() {
  static const std::vector<std::string> kTables = {"funnel",
                                                   "goal",
                                                   "log_abtesting",
                                                   "log_action",
                                                   "log_clickid",
                                                   "log_conversion",
                                                   "log_conversion_item",
                                                   "log_form",
                                                   "log_form_field",
                                                   "log_form_page",
                                                   "log_hsr",
                                                   "log_hsr_blob",
                                                   "log_hsr_event",
                                                   "log_hsr_site",
                                                   "log_link_visit_action",
                                                   "log_media",
                                                   "log_media_plays",
                                                   "log_visit",
                                                   "site",
                                                   "site_form",
                                                   "custom_dimensions"};
  return kTables;
}

std::string TableFromKey(std::string_view key) {
  std::string best;
  size_t start = 0;
  while (start <= key.size()) {
    size_t slash = key.find('/', start);
    bool last = slash == std::string_view::npos;
    std::string_view seg = key.substr(start, last ? std::string_view::npos : slash - start);
    if (!last) {
      // A folder: the whole segment, or the value of a Hive-style "name=value" segment.
      std::string_view value = seg.substr(seg.find('=') == std::string_view::npos ? 0 : seg.find('=') + 1);
      for (const auto& t : KnownDwcTables()) {
        if ((seg == t || value == t) && t.size() > best.size()) best = t;
      }
    } else {
      // The file name: a known name followed by the end or a non-letter.
      for (const auto& t : KnownDwcTables()) {
        if (!seg.starts_with(t)) continue;
        bool boundary = seg.size() == t.size() || !std::isalpha(static_cast<unsigned char>(seg[t.size()]));
        if (boundary && t.size() > best.size()) best = t;
      }
      break;
    }
    start = slash + 1;
  }
  return best.empty() ? std::string(kUnknownTable) : best;
}

std::optional<std::string> TranslateNamedGroup(const std::string& pattern, size_t& group) {
  std::string out;
  size_t captures = 0;
  bool found = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out += c;
      out += pattern[++i];
      continue;
    }
    if (c == '[') {  // a class: copied up to its closing ']' (no groups inside)
      size_t end = i + 1;
      if (end < pattern.size() && pattern[end] == '^') ++end;
      if (end < pattern.size() && pattern[end] == ']') ++end;
      while (end < pattern.size() && pattern[end] != ']') end += pattern[end] == '\\' ? 2 : 1;
      out.append(pattern, i, end - i + 1);
      i = end;
      continue;
    }
    if (c == '(') {
      std::string_view rest = std::string_view(pattern).substr(i);
      for (std::string_view named : {std::string_view("(?P<table>"), std::string_view("(?<table>")}) {
        if (rest.starts_with(named)) {
          ++captures;
          group = captures;
          found = true;
          out += '(';
          i += named.size() - 1;
          goto next;
        }
      }
      if (!rest.starts_with("(?")) ++captures;
      // Other named groups become plain capturing groups too.
      if (rest.starts_with("(?P<") ||
          (rest.starts_with("(?<") && rest.size() > 3 && rest[3] != '=' && rest[3] != '!')) {
        size_t close = rest.find('>');
        if (close != std::string_view::npos) {
          ++captures;
          out += '(';
          i += close;
          continue;
        }
      }
    }
    out += c;
  next:;
  }
  if (!found) return std::nullopt;
  return out;
}

Result<TableMatcher> TableMatcher::Make(const std::string& pattern) {
  TableMatcher m;
  if (pattern.empty()) return m;
  size_t group = 0;
  std::optional<std::string> translated = TranslateNamedGroup(pattern, group);
  if (!translated) {
    return Error(ErrorKind::kConfig, "--table-pattern has no group named `table`: " + pattern)
        .WithHint("name the part of the key that is the table, e.g. --table-pattern '^(?P<table>[a-z_]+)/'");
  }
  try {
    m.regex_.emplace(*translated, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return Error(ErrorKind::kConfig,
                 "--table-pattern is not a valid regular expression: " + pattern + " (" + e.what() + ")")
        .WithHint("use ECMAScript syntax, e.g. --table-pattern '^(?P<table>[a-z_]+)/'");
  }
  m.group_ = group;
  return m;
}

std::string TableMatcher::TableOf(std::string_view key) const {
  if (!regex_) return TableFromKey(key);
  std::match_results<std::string_view::const_iterator> match;
  if (std::regex_search(key.begin(), key.end(), match, *regex_) && match[group_].matched &&
      match[group_].length() > 0) {
    return match[group_].str();
  }
  return std::string(kUnknownTable);
}

}  // namespace metl::dwc
