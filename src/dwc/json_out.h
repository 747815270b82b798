// A minimal JSON text builder for the Live-shaped visits `dwc load` writes (keys in call order,
// strings escaped, numbers passed as literals so that money keeps its exact digits).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace metl::dwc {

class JsonOut {
 public:
  JsonOut& BeginObject();
  JsonOut& EndObject();
  JsonOut& BeginArray();
  JsonOut& EndArray();
  JsonOut& Key(std::string_view key);
  JsonOut& String(std::string_view value);
  JsonOut& Number(std::string_view literal);  // a valid JSON number literal
  JsonOut& Int(int64_t value);
  JsonOut& Null();
  // Shorthands: a key and a value; nullopt writes null.
  JsonOut& Field(std::string_view key, const std::optional<std::string>& value);
  JsonOut& IntField(std::string_view key, std::optional<int64_t> value);
  JsonOut& NumberField(std::string_view key, const std::optional<std::string>& literal);
  const std::string& str() const { return out_; }

 private:
  void Separate();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

}  // namespace metl::dwc
