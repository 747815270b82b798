#include "sim/php_json.h"

#include <cstdint>
#include <cstdio>

namespace metl::sim {
namespace {

void AppendU16(std::string& out, uint32_t unit) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\u%04x", unit);
  out += buf;
}

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 if invalid.
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t& cp) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  cp = c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  return len;
}

}  // namespace

std::string PhpJsonString(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '/':
        out += "\\/";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          AppendU16(out, c);
        } else if (c < 0x80) {
          out += static_cast<char>(c);
        } else {
          uint32_t cp = 0;
          size_t len = DecodeUtf8(s, i, cp);
          if (len == 0) {
            out += "\\ufffd";  // PHP would fail; a replacement keeps the output valid JSON
            continue;
          }
          if (cp >= 0x10000) {
            cp -= 0x10000;
            AppendU16(out, 0xD800 + (cp >> 10));
            AppendU16(out, 0xDC00 + (cp & 0x3FF));
          } else {
            AppendU16(out, cp);
          }
          i += len - 1;
        }
    }
  }
  out += '"';
  return out;
}

std::string MatomoJsonError(std::string_view message) {
  return "{\"result\":\"error\",\"message\":" + PhpJsonString(message) + "}";
}

std::string MatomoXmlError(std::string_view message) {
  std::string escaped;
  for (char c : message) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      default:
        escaped += c;
    }
  }
  return "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<result>\n\t<error message=\"" + escaped + "\" />\n</result>";
}

}  // namespace metl::sim
