// AWS Signature Version 4 (header form) on OpenSSL, for S3 and any AWS-style API. Our own signer
// because Debian's curl 7.88 `--aws-sigv4` sends no x-amz-content-sha256 and mis-signs unsorted or
// unencoded query strings and keys containing '='. Checked against AWS's published test vectors
// (tests/data/aws-sigv4/).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace metl::cloud {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;  // never logged, never in an error
  std::string session_token;      // "" = long-term keys
  std::string source;             // where they came from, for messages ("AWS_ACCESS_KEY_ID", "profile x in FILE")
};

struct SigV4Request {
  std::string method = "GET";
  std::string host;  // the Host header's value (with :port when not the scheme's default)
  std::string path;  // decoded ("/bucket/a=b/c.json"); each byte outside RFC 3986 unreserved and '/' is encoded
  std::vector<std::pair<std::string, std::string>> query;    // decoded names and values, any order
  std::vector<std::pair<std::string, std::string>> headers;  // more headers to sign (any case; values trimmed)
  std::string payload_sha256_hex;                            // hex SHA-256 of the body (or "UNSIGNED-PAYLOAD")
};

struct SigV4Signed {
  // Headers to send with the request: x-amz-date, x-amz-security-token (with a session token) and
  // Authorization. The caller sends `host` and its own `headers` unchanged.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string canonical_request;  // for tests and debugging (holds no secret)
  std::string string_to_sign;
};

// RFC 3986 percent-encoding of every byte but A-Z a-z 0-9 - . _ ~ (and '/' when keep_slash), upper hex.
std::string AwsUriEncode(std::string_view s, bool keep_slash);
// "a=1&b=%3D": names and values encoded, sorted by name then value (byte order).
std::string AwsCanonicalQuery(std::vector<std::pair<std::string, std::string>> query);
std::string Sha256Hex(std::string_view data);
// "20150830T123600Z"
std::string AmzDate(int64_t epoch_s);

SigV4Signed SignV4(const SigV4Request& request, const AwsCredentials& credentials, std::string_view region,
                   std::string_view service, int64_t epoch_s);

}  // namespace metl::cloud
