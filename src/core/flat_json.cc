#include "core/flat_json.h"

#include <simdjson.h>

namespace metl {

Result<FlatJson> ParseFlatJsonObject(std::string_view text, std::string_view what) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::object obj;
  if (parser.parse(padded).get_object().get(obj) != simdjson::SUCCESS) {
    // Never quote the text: it may be a key file.
    return Error(ErrorKind::kData, std::string(what) + " is not a JSON object");
  }
  FlatJson out;
  for (auto [key, value] : obj) {
    std::string k(key);
    switch (value.type()) {
      case simdjson::dom::element_type::STRING:
        out[k] = std::string(std::string_view(value.get_string().value()));
        break;
      case simdjson::dom::element_type::INT64:
        out[k] = std::to_string(int64_t(value.get_int64().value()));
        break;
      case simdjson::dom::element_type::UINT64:
        out[k] = std::to_string(uint64_t(value.get_uint64().value()));
        break;
      case simdjson::dom::element_type::DOUBLE:
        out[k] = simdjson::minify(value);
        break;
      case simdjson::dom::element_type::BOOL:
        out[k] = value.get_bool().value() ? "true" : "false";
        break;
      case simdjson::dom::element_type::NULL_VALUE:
        out[k] = "";
        break;
      default:
        break;  // nested: not needed by any caller
    }
  }
  return out;
}

std::string FlatField(const FlatJson& json, std::string_view name) {
  auto it = json.find(name);
  return it == json.end() ? std::string() : it->second;
}

}  // namespace metl
