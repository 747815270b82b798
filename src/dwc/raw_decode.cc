#include "dwc/raw_decode.h"

#include <arpa/inet.h>

#include "core/base64.h"
#include "core/civil_date.h"
#include "core/hex.h"

namespace metl::dwc {
namespace {

bool SizeOk(size_t n, std::initializer_list<size_t> sizes) {
  for (size_t s : sizes) {
    if (s == n) return true;
  }
  return false;
}

std::optional<std::string> FromHex(std::string_view text) {
  if (text.empty() || text.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 2);
  for (size_t i = 0; i < text.size(); i += 2) {
    int hi = HexDigitValue(text[i]), lo = HexDigitValue(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

int Digits(std::string_view s, size_t at, size_t n) {  // -1 when not n digits
  if (at + n > s.size()) return -1;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

std::optional<std::string> DecodeBinary(std::string_view text, std::initializer_list<size_t> sizes) {
  constexpr std::string_view kMysqlPrefix = "base64:type";
  if (text.substr(0, kMysqlPrefix.size()) == kMysqlPrefix) {
    size_t colon = text.find(':', kMysqlPrefix.size());
    if (colon == std::string_view::npos) return std::nullopt;
    auto bytes = Base64Decode(text.substr(colon + 1));
    if (bytes && SizeOk(bytes->size(), sizes)) return bytes;
    return std::nullopt;
  }
  // Hex first: 16 hex digits are also valid base64 (of 12 bytes), but never of an 8-byte id.
  if (auto bytes = FromHex(text); bytes && SizeOk(bytes->size(), sizes)) return bytes;
  if (auto bytes = Base64Decode(text); bytes && SizeOk(bytes->size(), sizes)) return bytes;
  return std::nullopt;
}

std::string HexOf(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string IpToString(std::string_view bytes) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (bytes.size() == 4 && inet_ntop(AF_INET, bytes.data(), buf, sizeof buf)) return buf;
  if (bytes.size() == 16 && inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf)) return buf;
  return "0.0.0.0";
}

std::optional<int64_t> ParseUtcDateTime(std::string_view s) {
  // YYYY-MM-DD HH:MM:SS
  int y = Digits(s, 0, 4), mo = Digits(s, 5, 2), d = Digits(s, 8, 2);
  int h = Digits(s, 11, 2), mi = Digits(s, 14, 2), se = Digits(s, 17, 2);
  if (s.size() < 19 || y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
      se < 0 || se > 60 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' ||
      s[16] != ':') {
    return std::nullopt;
  }
  std::string_view rest = s.substr(19);
  if (!rest.empty() && rest[0] == '.') {
    size_t n = 1;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    if (n == 1 || n > 10) return std::nullopt;
    rest = rest.substr(n);
  }
  if (!(rest.empty() || rest == "Z" || rest == "+00:00" || rest == " UTC")) return std::nullopt;
  return CivilDate::FromYmd(y, mo, d).days() * 86400 + h * 3600 + mi * 60 + se;
}

}  // namespace metl::dwc
