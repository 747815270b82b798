#include "dwc/json_out.h"

#include <cstdio>

namespace metl::dwc {

void JsonOut::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

JsonOut& JsonOut::BeginObject() {
  Separate();
  out_ += '{';
  first_.push_back(true);
  return *this;
}
JsonOut& JsonOut::EndObject() {
  out_ += '}';
  first_.pop_back();
  return *this;
}
JsonOut& JsonOut::BeginArray() {
  Separate();
  out_ += '[';
  first_.push_back(true);
  return *this;
}
JsonOut& JsonOut::EndArray() {
  out_ += ']';
  first_.pop_back();
  return *this;
}
JsonOut& JsonOut::Key(std::string_view key) {
  String(key);
  out_ += ':';
  after_key_ = true;
  return *this;
}
JsonOut& JsonOut::String(std::string_view value) {
  Separate();
  out_ += '"';
  for (char c : value) {
    switch (c) {
      case '"':
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\r':
        out_ += "\\r";
        break;
      case '\t':
        out_ += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
          out_ += buf;
        } else {
          out_ += c;
        }
    }
  }
  out_ += '"';
  return *this;
}
JsonOut& JsonOut::Number(std::string_view literal) {
  Separate();
  out_ += literal;
  return *this;
}
JsonOut& JsonOut::Int(int64_t value) {
  return Number(std::to_string(value));
}
JsonOut& JsonOut::Null() {
  Separate();
  out_ += "null";
  return *this;
}
JsonOut& JsonOut::Field(std::string_view key, const std::optional<std::string>& value) {
  Key(key);
  return value ? String(*value) : Null();
}
JsonOut& JsonOut::IntField(std::string_view key, std::optional<int64_t> value) {
  Key(key);
  return value ? Int(*value) : Null();
}
JsonOut& JsonOut::NumberField(std::string_view key, const std::optional<std::string>& literal) {
  Key(key);
  return literal ? Number(*literal) : Null();
}

}  // namespace metl::dwc
