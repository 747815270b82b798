// The landing zone's content hash: independent of the order in which visits arrived, so that two
// extractions of the same day compare equal although Matomo orders same-second visits randomly.
// Definition (landing-format.md): sha256 over the concatenation of the sorted 32-byte binary
// sha256 digests of each line (without its '\n'), written as lowercase hex.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace metl::landing {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(std::string_view data);
std::string HexEncode(const uint8_t* data, size_t size);
inline std::string Sha256Hex(std::string_view data) {
  auto d = Sha256(data);
  return HexEncode(d.data(), d.size());
}

// Keeps 32 bytes per line, so memory grows with the visit count, not the bytes.
class ContentHasher {
 public:
  void Add(std::string_view line) { digests_.push_back(Sha256(line)); }
  size_t count() const { return digests_.size(); }
  // Does not consume the digests: more lines may follow.
  std::string Hex() const;

 private:
  std::vector<Sha256Digest> digests_;
};

}  // namespace metl::landing
