// Reading fields of a parsed (simdjson DOM) Matomo object whose values have loose types.
// Used by --replay (sites.json, visits) and by tests that inspect simulator responses.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace metl::sim {

// A JSON field that may be a number or a numeric string (Matomo sends both).
inline int64_t IntField(simdjson::dom::element obj, const char* key, int64_t fallback) {
  simdjson::dom::element v;
  if (obj.at_key(key).get(v) != simdjson::SUCCESS) return fallback;
  switch (v.type()) {
    case simdjson::dom::element_type::INT64:
      return int64_t(v);
    case simdjson::dom::element_type::UINT64:
      return static_cast<int64_t>(uint64_t(v));
    case simdjson::dom::element_type::DOUBLE:
      return static_cast<int64_t>(double(v));
    case simdjson::dom::element_type::BOOL:
      return bool(v) ? 1 : 0;
    case simdjson::dom::element_type::STRING: {
      std::string s{std::string_view(v)};
      char* end = nullptr;
      long long n = std::strtoll(s.c_str(), &end, 10);
      return end != s.c_str() ? n : fallback;
    }
    default:
      return fallback;
  }
}

inline std::string StringField(simdjson::dom::element obj, const char* key, const std::string& fallback = "") {
  simdjson::dom::element v;
  if (obj.at_key(key).get(v) != simdjson::SUCCESS || v.type() != simdjson::dom::element_type::STRING) return fallback;
  return std::string(std::string_view(v));
}

}  // namespace metl::sim
