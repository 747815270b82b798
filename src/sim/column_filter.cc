#include "sim/column_filter.h"

namespace metl::sim {
namespace {

constexpr size_t kNpos = std::string_view::npos;

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

size_t SkipSpace(std::string_view s, size_t pos) {
  while (pos < s.size() && IsSpace(s[pos])) ++pos;
  return pos;
}

// Past the closing quote of the string starting at s[pos] == '"'.
size_t SkipString(std::string_view s, size_t pos) {
  for (size_t i = pos + 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return kNpos;
}

void SplitCsv(std::string_view text, std::set<std::string, std::less<>>& out) {
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == kNpos) comma = text.size();
    std::string_view item = text.substr(pos, comma - pos);
    while (!item.empty() && IsSpace(item.front())) item.remove_prefix(1);
    while (!item.empty() && IsSpace(item.back())) item.remove_suffix(1);
    if (!item.empty()) out.emplace(item);
    pos = comma + 1;
  }
}

// The key of a member is compared in its raw (escaped) form: Matomo's keys are plain ASCII.
template <typename Keep, typename Transform>
bool FilterObject(std::string_view s, size_t& pos, std::string& out, Keep keep, Transform transform) {
  pos = SkipSpace(s, pos);
  if (pos >= s.size() || s[pos] != '{') return false;
  ++pos;
  out += '{';
  bool first = true;
  while (true) {
    pos = SkipSpace(s, pos);
    if (pos >= s.size()) return false;
    if (s[pos] == '}') {
      ++pos;
      out += '}';
      return true;
    }
    if (s[pos] == ',') {
      ++pos;
      continue;
    }
    if (s[pos] != '"') return false;
    size_t key_end = SkipString(s, pos);
    if (key_end == kNpos) return false;
    std::string_view key = s.substr(pos + 1, key_end - pos - 2);
    size_t colon = SkipSpace(s, key_end);
    if (colon >= s.size() || s[colon] != ':') return false;
    size_t value_start = SkipSpace(s, colon + 1);
    size_t value_end = SkipJsonValue(s, value_start);
    if (value_end == kNpos) return false;
    if (keep(key)) {
      if (!first) out += ',';
      first = false;
      out.append(s.substr(pos, value_start - pos));
      if (!transform(key, s.substr(value_start, value_end - value_start), out)) {
        out.append(s.substr(value_start, value_end - value_start));
      }
    }
    pos = value_end;
  }
}

// Drops `hide` keys from every object of the array `value`; false if `value` is not an array.
bool HideInArray(std::string_view value, const ColumnFilter& filter, std::string& out) {
  if (value.empty() || value[0] != '[') return false;
  std::string result = "[";
  size_t pos = 1;
  bool first = true;
  while (true) {
    pos = SkipSpace(value, pos);
    if (pos >= value.size()) return false;
    if (value[pos] == ']') break;
    if (value[pos] == ',') {
      ++pos;
      continue;
    }
    if (!first) result += ',';
    first = false;
    if (value[pos] == '{') {
      auto keep = [&](std::string_view k) { return filter.hide.find(k) == filter.hide.end(); };
      auto none = [](std::string_view, std::string_view, std::string&) { return false; };
      if (!FilterObject(value, pos, result, keep, none)) return false;
    } else {
      size_t end = SkipJsonValue(value, pos);
      if (end == kNpos) return false;
      result.append(value.substr(pos, end - pos));
      pos = end;
    }
  }
  result += ']';
  out += result;
  return true;
}

}  // namespace

ColumnFilter ColumnFilter::Parse(std::string_view show_columns, std::string_view hide_columns) {
  ColumnFilter f;
  SplitCsv(show_columns, f.show);
  SplitCsv(hide_columns, f.hide);
  return f;
}

size_t SkipJsonValue(std::string_view s, size_t pos) {
  pos = SkipSpace(s, pos);
  if (pos >= s.size()) return kNpos;
  char c = s[pos];
  if (c == '"') return SkipString(s, pos);
  if (c == '{' || c == '[') {
    int depth = 0;
    for (size_t i = pos; i < s.size(); ++i) {
      char d = s[i];
      if (d == '"') {
        i = SkipString(s, i);
        if (i == kNpos) return kNpos;
        --i;
      } else if (d == '{' || d == '[') {
        ++depth;
      } else if (d == '}' || d == ']') {
        if (--depth == 0) return i + 1;
      }
    }
    return kNpos;
  }
  size_t i = pos;
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && !IsSpace(s[i])) ++i;
  return i == pos ? kNpos : i;
}

std::string FilterVisitColumns(std::string_view json, const ColumnFilter& filter) {
  if (filter.empty()) return std::string(json);
  std::string out;
  out.reserve(json.size());
  size_t pos = 0;
  auto keep = [&](std::string_view k) {
    if (!filter.show.empty() && filter.show.find(k) == filter.show.end()) return false;
    return filter.hide.find(k) == filter.hide.end();
  };
  auto transform = [&](std::string_view k, std::string_view value, std::string& o) {
    if (filter.hide.empty() || k != "actionDetails") return false;
    return HideInArray(value, filter, o);
  };
  if (!FilterObject(json, pos, out, keep, transform)) return std::string(json);
  return out;
}

}  // namespace metl::sim
