#include "cloud/aws_sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

namespace metl::cloud {
namespace {

std::string Hex(const unsigned char* p, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out;
}

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Header values: leading/trailing spaces trimmed, inner runs of spaces folded to one (SigV4's rule).
std::string TrimFold(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::string AwsUriEncode(std::string_view s, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
  }
  return out;
}

std::string AwsCanonicalQuery(std::vector<std::pair<std::string, std::string>> query) {
  for (auto& [k, v] : query) {
    k = AwsUriEncode(k, false);
    v = AwsUriEncode(v, false);
  }
  std::sort(query.begin(), query.end());  // sorted after encoding, as SigV4 says
  std::string out;
  for (const auto& [k, v] : query) {
    if (!out.empty()) out += '&';
    out += k + "=" + v;
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr);
  return Hex(out, len);
}

std::string AmzDate(int64_t epoch_s) {
  std::time_t t = static_cast<std::time_t>(epoch_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

SigV4Signed SignV4(const SigV4Request& request, const AwsCredentials& credentials, std::string_view region,
                   std::string_view service, int64_t epoch_s) {
  SigV4Signed out;
  std::string amz_date = AmzDate(epoch_s);
  std::string day = amz_date.substr(0, 8);
  out.headers.emplace_back("x-amz-date", amz_date);
  if (!credentials.session_token.empty()) out.headers.emplace_back("x-amz-security-token", credentials.session_token);

  // Canonical headers: lower-case names, sorted; repeated names joined with ','.
  std::map<std::string, std::string> canon;
  auto add = [&canon](std::string_view name, std::string_view value) {
    std::string n = Lower(name);
    std::string v = TrimFold(value);
    auto [it, fresh] = canon.emplace(n, v);
    if (!fresh) it->second += "," + v;
  };
  add("host", request.host);
  for (const auto& [n, v] : request.headers) add(n, v);
  for (const auto& [n, v] : out.headers) add(n, v);
  std::string canonical_headers, signed_headers;
  for (const auto& [n, v] : canon) {
    canonical_headers += n + ":" + v + "\n";
    if (!signed_headers.empty()) signed_headers += ';';
    signed_headers += n;
  }
  std::string path = request.path.empty() ? "/" : request.path;
  out.canonical_request = request.method + "\n" + AwsUriEncode(path, true) + "\n" + AwsCanonicalQuery(request.query) +
                          "\n" + canonical_headers + "\n" + signed_headers + "\n" + request.payload_sha256_hex;
  std::string scope = day + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";
  out.string_to_sign = "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope + "\n" + Sha256Hex(out.canonical_request);
  std::string k = Hmac("AWS4" + credentials.secret_access_key, day);
  k = Hmac(k, region);
  k = Hmac(k, service);
  k = Hmac(k, "aws4_request");
  std::string sig = Hmac(k, out.string_to_sign);
  out.headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + scope +
                                                ", SignedHeaders=" + signed_headers + ", Signature=" +
                                                Hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size()));
  return out;
}

}  // namespace metl::cloud
