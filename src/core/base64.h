// Base64 (RFC 4648): the standard alphabet with padding (GCS's md5Hash and crc32c) and the URL-safe
// one without padding (JWT segments).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace metl {

std::string Base64Encode(std::string_view bytes);
std::string Base64UrlEncode(std::string_view bytes);
// Accepts both alphabets, padding optional; nullopt on any other character.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace metl
