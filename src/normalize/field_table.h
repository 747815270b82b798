// Maps JSON keys to small integer ids with one hash probe, for the fields the normalizer reads.
// Keys are taken raw (no unescaping): Matomo's field names never contain escapes, and a key that
// does cannot match one of ours.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

namespace metl {

class FieldTable {
 public:
  static constexpr int kUnknown = -1;

  FieldTable(std::initializer_list<std::pair<std::string_view, int>> fields) {
    size_t size = 64;
    while (size < fields.size() * 4) size *= 2;
    slots_.assign(size, Entry{});
    mask_ = size - 1;
    for (const auto& [name, id] : fields) {
      size_t h = Hash(name) & mask_;
      while (slots_[h].id != kUnknown) h = (h + 1) & mask_;
      slots_[h] = Entry{name, id};
    }
  }

  int Find(std::string_view key) const {
    size_t h = Hash(key) & mask_;
    while (true) {
      const Entry& e = slots_[h];
      if (e.id == kUnknown) return kUnknown;
      if (e.name.size() == key.size() && std::memcmp(e.name.data(), key.data(), key.size()) == 0) return e.id;
      h = (h + 1) & mask_;
    }
  }

  // The raw text of a field's key: from after the opening quote to the closing quote.
  static std::string_view RawKey(const simdjson::ondemand::raw_json_string& key) {
    const char* begin = key.raw();
    const char* end = begin;
    while (*end != '"') ++end;  // stage 1 validated the string, so its closing quote exists
    return std::string_view(begin, end - begin);
  }

 private:
  struct Entry {
    std::string_view name;
    int id = kUnknown;
  };
  static size_t Hash(std::string_view s) {
    uint64_t h = 1469598103934665603ull ^ s.size();
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return static_cast<size_t>(h ^ (h >> 29));
  }
  std::vector<Entry> slots_;
  size_t mask_ = 0;
};

}  // namespace metl
