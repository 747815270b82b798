#include "core/utf8.h"

#include <gtest/gtest.h>

namespace metl {
namespace {

TEST(Utf8, ValidTextIsUnchanged) {
  int64_t n = -1;
  std::string text = "plain \"q\" \\ \xC3\xA9 \xD7\xA9 \xF0\x9F\x98\x80 \xEF\xBF\xBD";
  EXPECT_EQ(ReplaceInvalidUtf8(text, n), text);
  EXPECT_EQ(n, 0);
}

TEST(Utf8, EveryInvalidByteBecomesAVisibleReplacementAndIsCounted) {
  int64_t n = 0;
  EXPECT_EQ(ReplaceInvalidUtf8("a\xFF" "b", n), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(n, 1);
  EXPECT_EQ(ReplaceInvalidUtf8("\xC0\xAF", n), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(n, 2);
  EXPECT_EQ(ReplaceInvalidUtf8("\xED\xA0\x80", n), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(n, 3);
  EXPECT_EQ(ReplaceInvalidUtf8("end \xE2\x82", n), "end \xEF\xBF\xBD\xEF\xBF\xBD");  // cut-off euro sign
  EXPECT_EQ(n, 2);
  EXPECT_EQ(ReplaceInvalidUtf8("\xF4\x90\x80\x80", n).substr(0, 3), "\xEF\xBF\xBD");  // above U+10FFFF
}

}  // namespace
}  // namespace metl
