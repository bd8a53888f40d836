#include "libs/core/text.h"

#include "gtest/gtest.h"

namespace complaints {
namespace {

TEST(Text, FoldsFullWidthAndCase) {
  EXPECT_EQ(NormalizeForMatching("ＷＡＴＥＲ　Leak"), "water leak");
  EXPECT_EQ(NormalizeForMatching("电梯困人！"), "电梯困人!");
}

TEST(Text, NfkcFoldsCompatibilityForms) {
  EXPECT_EQ(NormalizeForMatching("①号楼"), "1号楼");
  EXPECT_EQ(NormalizeForMatching("ﬁre"), "fire");
  EXPECT_EQ(NormalizeForMatching("ｶﾞｽ"), "ガス");  // half-width katakana
  EXPECT_EQ(NormalizeForMatching("Straße"), "strasse");
}

TEST(Text, KeepsChineseUnchanged) { EXPECT_EQ(NormalizeForMatching("漏水"), "漏水"); }

TEST(Text, Utf8Validity) {
  EXPECT_TRUE(IsValidUtf8("漏水 leak"));
  EXPECT_FALSE(IsValidUtf8("\xff\xfe"));
  EXPECT_FALSE(IsValidUtf8("\xe6\xbc"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
}

TEST(Text, CountsCodePoints) { EXPECT_EQ(CodePointCount("漏水ab"), 4u); }

}  // namespace
}  // namespace complaints
