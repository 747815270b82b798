#include "core/digest.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/base64.h"

namespace metl {
namespace {

TEST(Digest, Crc32cKnownValues) {
  Crc32c c;
  c.Update("123456789");
  EXPECT_EQ(c.value(), 0xE3069283u);  // RFC 3720 / iSCSI check value
  Crc32c split;                       // streamed in uneven pieces: the same value
  split.Update("12");
  split.Update("3456789");
  EXPECT_EQ(split.value(), 0xE3069283u);
  Crc32c zeros;
  zeros.Update(std::string(32, '\0'));
  EXPECT_EQ(zeros.value(), 0x8A9136AAu);  // RFC 3720 B.4
  Crc32c empty;
  EXPECT_EQ(Base64Encode(empty.BigEndianBytes()), "AAAAAA==");  // GCS's crc32c of an empty object
}

TEST(Digest, Md5AsGcsReportsIt) {
  Md5 m;
  m.Update("");
  EXPECT_EQ(Base64Encode(m.Final()), "1B2M2Y8AsgTpgAmY7PhCfg==");  // GCS's md5Hash of an empty object
  Md5 abc;
  abc.Update("a");
  abc.Update("bc");
  EXPECT_EQ(Base64Encode(abc.Final()), "kAFQmDzST7DWlj99KOF/cg==");
}

TEST(Base64, RoundTripsBothAlphabets) {
  for (std::string s :
       std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\xff\xfe\x00\x01", 4)}) {
    EXPECT_EQ(Base64Decode(Base64Encode(s)), s);
    EXPECT_EQ(Base64Decode(Base64UrlEncode(s)), s);
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64UrlEncode(std::string("\xfb\xff", 2)), "-_8");
  EXPECT_FALSE(Base64Decode("a$b").has_value());
}

}  // namespace
}  // namespace metl
