// RS256 JSON Web Tokens (RFC 7515/7519) with OpenSSL's EVP API: signed by our service-account flow,
// verified by the Google fake's token endpoint. Key material stays in memory, never in messages.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace metl::cloud {

// "<b64url(header)>.<b64url(claims)>.<b64url(RS256 signature)>". `private_key_pem` is a PKCS#8 or
// PKCS#1 RSA key; a key OpenSSL cannot read is a kConfig error that does not quote it.
Result<std::string> SignRs256Jwt(std::string_view header_json, std::string_view claims_json,
                                 std::string_view private_key_pem);

// The claims JSON of a JWT whose RS256 signature `public_key_pem` (SubjectPublicKeyInfo) verifies,
// or a kTerminal error saying what is wrong (malformed, another algorithm, bad signature).
Result<std::string> VerifyRs256Jwt(std::string_view jwt, std::string_view public_key_pem);

// The public key (PEM SubjectPublicKeyInfo) of a private key PEM, for tests and the fake.
Result<std::string> PublicKeyPemOf(std::string_view private_key_pem);

}  // namespace metl::cloud
