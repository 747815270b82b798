#include "core/utf8.h"

namespace metl {

int Utf8SequenceLength(std::string_view s) {
  if (s.empty()) return 0;
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(0);
  if (c < 0x80) return 1;
  int n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte (rules out overlongs, surrogates)
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < static_cast<size_t>(n)) return 0;
  if (b(1) < lo || b(1) > hi) return 0;
  for (int i = 2; i < n; ++i) {
    if (b(i) < 0x80 || b(i) > 0xBF) return 0;
  }
  return n;
}

std::string ReplaceInvalidUtf8(std::string_view text, int64_t& replaced, std::vector<size_t>* offsets) {
  replaced = 0;
  if (offsets) offsets->clear();
  std::string out;
  out.reserve(text.size() + 16);
  size_t i = 0;
  while (i < text.size()) {
    int n = Utf8SequenceLength(text.substr(i));
    if (n == 0) {
      if (offsets) offsets->push_back(out.size());
      out += "\xEF\xBF\xBD";
      ++replaced;
      ++i;
    } else {
      out.append(text.data() + i, static_cast<size_t>(n));
      i += static_cast<size_t>(n);
    }
  }
  return out;
}

}  // namespace metl
