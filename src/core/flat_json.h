// The top-level scalar fields of a JSON object, as strings (numbers and booleans in their JSON
// text, null as ""): enough for key files, token responses and GCS object metadata, which are flat.
// Nested objects and arrays are skipped.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/error.h"

namespace metl {

using FlatJson = std::map<std::string, std::string, std::less<>>;

// kData error naming `what` ("the key file") when the text is not a JSON object.
Result<FlatJson> ParseFlatJsonObject(std::string_view text, std::string_view what);

// The field's value, or "" when absent.
std::string FlatField(const FlatJson& json, std::string_view name);

}  // namespace metl
