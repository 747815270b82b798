#include "gfake/bigquery_discovery.h"

#include <simdjson.h>

namespace metl::gfake {

struct DiscoveryChecker::Impl {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::object schemas;
};

DiscoveryChecker::~DiscoveryChecker() = default;

std::unique_ptr<DiscoveryChecker> DiscoveryChecker::Load(const std::string& path) {
  auto checker = std::unique_ptr<DiscoveryChecker>(new DiscoveryChecker());
  checker->impl_ = std::make_unique<Impl>();
  Impl& impl = *checker->impl_;
  if (impl.parser.load(path).get(impl.doc) != simdjson::SUCCESS) return nullptr;
  if (impl.doc["schemas"].get(impl.schemas) != simdjson::SUCCESS) return nullptr;
  std::string_view revision;
  if (impl.doc["revision"].get(revision) == simdjson::SUCCESS) checker->revision_ = std::string(revision);
  return checker;
}

namespace {

// `value` against the property declaration `decl` (which may be a $ref); "" when it conforms.
std::string CheckValue(const simdjson::dom::object& schemas, simdjson::dom::object decl, simdjson::dom::element value,
                       const std::string& where, int depth) {
  if (depth > 32) return "";
  if (value.is_null()) return "";
  std::string_view ref;
  if (decl["$ref"].get(ref) == simdjson::SUCCESS) {
    simdjson::dom::object target;
    if (schemas[ref].get(target) != simdjson::SUCCESS) return where + ": unknown schema " + std::string(ref);
    decl = target;
  }
  std::string_view type;
  if (decl["type"].get(type) != simdjson::SUCCESS) return "";
  if (type == "any") return "";
  if (type == "string") {
    if (!value.is_string()) return where + ": expected a string";
    simdjson::dom::array allowed;
    if (decl["enum"].get(allowed) == simdjson::SUCCESS) {
      std::string_view v = value.get_string().value();
      for (auto a : allowed) {
        std::string_view s;
        if (a.get(s) == simdjson::SUCCESS && s == v) return "";
      }
      return where + ": '" + std::string(v) + "' is not one of the declared values";
    }
    return "";
  }
  if (type == "integer" || type == "number") {
    // Google's JSON parser accepts numbers in strings as well
    return value.is_number() || value.is_string() ? "" : where + ": expected a number";
  }
  if (type == "boolean") return value.is_bool() ? "" : where + ": expected a boolean";
  if (type == "array") {
    simdjson::dom::array arr;
    if (value.get(arr) != simdjson::SUCCESS) return where + ": expected an array";
    simdjson::dom::object items;
    if (decl["items"].get(items) != simdjson::SUCCESS) return "";
    size_t i = 0;
    for (auto item : arr) {
      std::string e = CheckValue(schemas, items, item, where + "[" + std::to_string(i++) + "]", depth + 1);
      if (!e.empty()) return e;
    }
    return "";
  }
  if (type == "object") {
    simdjson::dom::object obj;
    if (value.get(obj) != simdjson::SUCCESS) return where + ": expected an object";
    simdjson::dom::object props, additional;
    const bool has_props = decl["properties"].get(props) == simdjson::SUCCESS;
    const bool has_additional = decl["additionalProperties"].get(additional) == simdjson::SUCCESS;
    for (auto field : obj) {
      std::string at = where + "." + std::string(field.key);
      simdjson::dom::object fdecl;
      if (has_props && props[field.key].get(fdecl) == simdjson::SUCCESS) {
        std::string e = CheckValue(schemas, fdecl, field.value, at, depth + 1);
        if (!e.empty()) return e;
      } else if (has_additional) {
        std::string e = CheckValue(schemas, additional, field.value, at, depth + 1);
        if (!e.empty()) return e;
      } else {
        return at + ": no such field";
      }
    }
  }
  return "";
}

}  // namespace

std::string DiscoveryChecker::Check(std::string_view schema, std::string_view body) const {
  simdjson::dom::parser parser;
  simdjson::dom::element value;
  if (parser.parse(body.data(), body.size()).get(value) != simdjson::SUCCESS) return "the body is not JSON";
  simdjson::dom::object decl;
  if (impl_->schemas[schema].get(decl) != simdjson::SUCCESS) return "unknown schema " + std::string(schema);
  return CheckValue(impl_->schemas, decl, value, std::string(schema), 0);
}

}  // namespace metl::gfake
