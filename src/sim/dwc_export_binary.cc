#include "sim/dwc_export_binary.h"

#include <arpa/inet.h>

#include <cstdlib>

#include "core/base64.h"
#include "sim/dwc_export_values.h"

namespace metl::sim::dwcx {
namespace {

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

}  // namespace

std::string HexBytes(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}
std::string IpBytes(const std::string& ip) {
  std::string out;
  if (ip.find(':') == std::string::npos) {
    size_t start = 0;
    for (int i = 0; i < 4; ++i) {
      size_t dot = ip.find('.', start);
      out += static_cast<char>(std::atoi(ip.substr(start, dot - start).c_str()));
      start = dot + 1;
    }
    return out;
  }
  unsigned char buf[16];
  if (inet_pton(AF_INET6, ip.c_str(), buf) == 1) return std::string(reinterpret_cast<char*>(buf), 16);
  return std::string(4, '\0');
}

std::string EncodeBinary(std::string_view bytes, bool ip, const std::string& encoding) {
  if (encoding == "base64") return Str(Base64Encode(bytes));
  if (encoding == "mysql") return Str(std::string(ip ? "base64:type15:" : "base64:type254:") + Base64Encode(bytes));
  return Str(ToHex(bytes));
}

}  // namespace metl::sim::dwcx
