// Values of the export whose text form Matomo does not document (DWC.md §1.4, §1.5): binary ids and
// IPs, and DATETIMEs. Every form seen or predicted is accepted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace metl::dwc {

// Raw bytes of a BINARY/VARBINARY column: MySQL's JSON form "base64:typeNNN:<base64>", lowercase or
// uppercase hex (an even count of hex digits, e.g. 16 for BINARY(8)), or plain base64. nullopt when
// the text is none of these or decodes to none of `sizes` (e.g. {8} for ids, {4, 16} for IPs).
std::optional<std::string> DecodeBinary(std::string_view text, std::initializer_list<size_t> sizes);
// Lowercase hex of bytes (Live's visitorId and fingerprint).
std::string HexOf(std::string_view bytes);
// inet_ntop of 4 or 16 bytes; "0.0.0.0" for anything else (as Matomo's IPUtils::binaryToStringIP).
std::string IpToString(std::string_view bytes);
// "YYYY-MM-DD HH:MM:SS" with an optional 'T' separator, fraction (.f to .ffffff, dropped) and a
// trailing "Z" or "+00:00", read as UTC: epoch seconds. nullopt when malformed.
std::optional<int64_t> ParseUtcDateTime(std::string_view text);

}  // namespace metl::dwc
