#include "sim/dwc_export_values.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/log.h"

namespace metl::sim::dwcx {

std::string Str(std::string_view s) {
  return "\"" + JsonEscape(s) + "\"";
}
std::string Int(int64_t v) {
  return std::to_string(v);
}
std::string Float(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

std::string UrlDecodable(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') {
      out += "%25";
    } else if (c == '+') {
      out += "%2B";
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> GetStr(simdjson::dom::element e, const char* key) {
  simdjson::dom::element v;
  if (e[key].get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  std::string_view s;
  if (v.get(s) == simdjson::SUCCESS) return std::string(s);
  if (v.is_int64()) return std::to_string(int64_t(v));
  if (v.is_double()) return Float(double(v));
  return std::nullopt;
}
std::optional<int64_t> GetInt(simdjson::dom::element e, const char* key) {
  simdjson::dom::element v;
  if (e[key].get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  int64_t i;
  if (v.get(i) == simdjson::SUCCESS) return i;
  double d;
  if (v.get(d) == simdjson::SUCCESS) return static_cast<int64_t>(std::llround(d));
  std::string_view s;
  if (v.get(s) == simdjson::SUCCESS && !s.empty()) return std::atoll(std::string(s).c_str());
  return std::nullopt;
}
std::optional<double> GetDouble(simdjson::dom::element e, const char* key) {
  simdjson::dom::element v;
  if (e[key].get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  double d;
  if (v.get(d) == simdjson::SUCCESS) return d;
  int64_t i;
  if (v.get(i) == simdjson::SUCCESS) return static_cast<double>(i);
  std::string_view s;
  if (v.get(s) == simdjson::SUCCESS && !s.empty()) return std::atof(std::string(s).c_str());
  return std::nullopt;
}

void SetOpt(Row& r, const char* col, const std::optional<std::string>& v) {
  if (v) r[col] = Str(*v);
}
void SetOpt(Row& r, const char* col, const std::optional<int64_t>& v) {
  if (v) r[col] = Int(*v);
}
std::string RowJson(const Row& r, const std::vector<std::string_view>& columns) {
  std::string out = "{";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ", ";
    out += "\"" + std::string(columns[i]) + "\": ";
    auto it = r.find(columns[i]);
    out += it == r.end() ? "null" : it->second;
  }
  return out + "}\n";
}

}  // namespace metl::sim::dwcx
