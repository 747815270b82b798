// JSON text as PHP's json_encode writes it (Matomo's JSON renderer): "/" escaped as "\/", non-ASCII
// as \uXXXX (UTF-16 surrogate pairs beyond the BMP). Error messages must match Matomo byte for byte.
#pragma once

#include <string>
#include <string_view>

namespace metl::sim {

// `s` quoted and escaped.
std::string PhpJsonString(std::string_view s);
// {"result":"error","message":"..."}
std::string MatomoJsonError(std::string_view message);
// The XML error document of format=xml (errors/no_token_xml.out).
std::string MatomoXmlError(std::string_view message);

}  // namespace metl::sim
