#include "dwc/raw_row.h"

#include <simdjson.h>

#include "normalize/coerce.h"

namespace metl::dwc {

const RawValue* RawRow::Find(std::string_view name) const {
  for (const auto& [n, v] : cols_) {
    if (n == name) return &v;
  }
  return nullptr;
}

std::optional<int64_t> RawRow::Int(std::string_view name) const {
  const RawValue* v = Find(name);
  if (!v || v->null() || v->kind == RawValue::Kind::kBool) {
    if (v && v->kind == RawValue::Kind::kBool) return v->text == "true" ? 1 : 0;
    return std::nullopt;
  }
  return ParseIntegerText(v->text);
}

std::optional<double> RawRow::Double(std::string_view name) const {
  const RawValue* v = Find(name);
  if (!v || v->null() || v->kind == RawValue::Kind::kBool) return std::nullopt;
  return ParseDoubleText(v->text);
}

std::optional<std::string> RawRow::Text(std::string_view name) const {
  const RawValue* v = Find(name);
  if (!v || v->null()) return std::nullopt;
  return v->text;
}

Result<RawRow> ParseRawRow(std::string_view line, const std::string& what) {
  auto fail = [&](const std::string& why) {
    return Error(ErrorKind::kData, what + ": " + why)
        .WithHint(
            "the export file holds a line that is not a JSON object; the file is skipped and retried "
            "on the next run (fix or remove it)");
  };
  simdjson::padded_string padded(line);
  thread_local simdjson::ondemand::parser parser;  // reused: one allocation per thread, not per line
  simdjson::ondemand::document doc;
  if (auto e = parser.iterate(padded).get(doc)) return fail(simdjson::error_message(e));
  simdjson::ondemand::object obj;
  if (doc.get_object().get(obj)) return fail("not a JSON object");
  RawRow row;
  for (auto field_result : obj) {
    simdjson::ondemand::field field;
    if (auto e = std::move(field_result).get(field)) return fail(simdjson::error_message(e));
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return fail(simdjson::error_message(e));
    std::string name(key);
    simdjson::ondemand::value v = field.value();
    simdjson::ondemand::json_type type;
    if (auto e = v.type().get(type)) return fail(simdjson::error_message(e));
    RawValue out;
    switch (type) {
      case simdjson::ondemand::json_type::null:
        break;
      case simdjson::ondemand::json_type::string: {
        std::string_view s;
        if (auto e = v.get_string().get(s)) return fail(simdjson::error_message(e));
        out.kind = RawValue::Kind::kString;
        out.text = s;
        break;
      }
      case simdjson::ondemand::json_type::number: {
        out.kind = RawValue::Kind::kNumber;
        out.text = TrimAscii(v.raw_json_token());
        if (!ParseDoubleText(out.text)) return fail("bad number in column " + name);
        break;
      }
      case simdjson::ondemand::json_type::boolean: {
        bool b = false;
        if (auto e = v.get_bool().get(b)) return fail(simdjson::error_message(e));
        out.kind = RawValue::Kind::kBool;
        out.text = b ? "true" : "false";
        break;
      }
      default: {  // an array or object (a newer export?): kept as its JSON text
        std::string_view raw;
        if (auto e = simdjson::to_json_string(v).get(raw)) return fail(simdjson::error_message(e));
        out.kind = RawValue::Kind::kString;
        out.text = raw;
        break;
      }
    }
    row.Add(std::move(name), std::move(out));
  }
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) {  // OUT_OF_BOUNDS when fully consumed
    return fail("trailing content after the JSON object");
  }
  return row;
}

}  // namespace metl::dwc
