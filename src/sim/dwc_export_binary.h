// The binary columns of the simulator's DWC export (idvisitor, config_id, location_ip): their bytes, from
// the text Live shows, and their encoding in the JSON, which the real export does not document
// (DWC.md §1.4): --dwc-binary chooses it so that tests cover several.
#pragma once

#include <string>
#include <string_view>

namespace metl::sim::dwcx {

std::string HexBytes(std::string_view hex);  // "fe28..." -> bytes
std::string IpBytes(const std::string& ip);  // "1.2.3.4" or IPv6 -> 4 or 16 bytes
// The bytes as a JSON string: "hex" (as in the real sample), "base64", or "mysql" (MySQL 8
// JSON_OBJECT's "base64:type254:..."; "base64:type15:..." for an IP).
std::string EncodeBinary(std::string_view bytes, bool ip, const std::string& encoding);

}  // namespace metl::sim::dwcx
