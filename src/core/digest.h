// Content digests GCS reports for every object, computed while bytes stream by: MD5 (OpenSSL) and
// CRC32C (Castagnoli, RFC 4960 appendix B). GCS sends both base64-encoded, CRC32C big-endian.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace metl {

class Md5 {
 public:
  Md5();
  ~Md5();
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;
  void Update(std::string_view bytes);
  std::string Final();  // 16 raw bytes; call once

 private:
  void* ctx_;  // EVP_MD_CTX
};

class Crc32c {
 public:
  void Update(std::string_view bytes);
  uint32_t value() const { return ~crc_; }
  std::string BigEndianBytes() const;  // the 4 bytes GCS base64-encodes

 private:
  uint32_t crc_ = 0xFFFFFFFFu;
};

}  // namespace metl
