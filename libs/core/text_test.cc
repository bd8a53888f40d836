#include "libs/core/text.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/core/log.h"

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
  EXPECT_FALSE(IsValidUtf8("\xe6\xbc"));      // truncated
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
}

TEST(Text, CountsCodePoints) { EXPECT_EQ(CodePointCount("漏水ab"), 4u); }

TEST(CleanText, RemovesFormatCharactersSoHiddenOnesChangeNothing) {
  EXPECT_EQ(*CleanText("电\u200b梯困人", TextShape::kMultiLine), "电梯困人");
  EXPECT_EQ(*CleanText("\ufeffa\u202eb\u2066c\u2069\u00ad", TextShape::kSingleLine), "abc");
}

TEST(CleanText, AppliesNfkc) {
  EXPECT_EQ(*CleanText("①号楼ＡＢ", TextShape::kSingleLine), "1号楼AB");
}

TEST(CleanText, RefusesControlCharactersAndNul) {
  for (std::string text : {std::string("a\0b", 3), std::string("a\x1b[31mb"), std::string("a\x07"),
                           std::string("a\u0085b")}) {
    absl::StatusOr<std::string> cleaned = CleanText(text, TextShape::kMultiLine);
    ASSERT_FALSE(cleaned.ok()) << EscapedPrefix(text);
    EXPECT_EQ(cleaned.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(cleaned.status().message()),
                ::testing::HasSubstr("control character U+"));
  }
}

TEST(CleanText, LineBreaksOnlyInMultiLineText) {
  EXPECT_EQ(*CleanText("a\r\nb\rc\u2028d\te", TextShape::kMultiLine), "a\nb\nc\nd\te");
  EXPECT_FALSE(CleanText("a\nb", TextShape::kSingleLine).ok());
  EXPECT_FALSE(CleanText("a\tb", TextShape::kSingleLine).ok());
}

// Every ASCII character by the rule, alone and between letters, in both
// shapes (printable ASCII is cleaned without ICU).
TEST(CleanText, EveryAsciiCharacterByTheRule) {
  for (int c = 0; c < 0x80; ++c) {
    for (TextShape shape : {TextShape::kSingleLine, TextShape::kMultiLine}) {
      const std::string text = absl::StrCat("a", std::string(1, static_cast<char>(c)), "b");
      const absl::StatusOr<std::string> cleaned = CleanText(text, shape);
      const bool printable = c >= 0x20 && c < 0x7f;
      const bool line = shape == TextShape::kMultiLine && (c == '\n' || c == '\t' || c == '\r');
      if (printable || line) {
        ASSERT_TRUE(cleaned.ok()) << c;
        EXPECT_EQ(*cleaned, c == '\r' ? "a\nb" : text) << c;
      } else {
        EXPECT_EQ(cleaned.status().code(), absl::StatusCode::kInvalidArgument) << c;
      }
    }
  }
  EXPECT_EQ(*CleanText("", TextShape::kSingleLine), "");
}

TEST(CleanText, RefusesInvalidUtf8) {
  absl::StatusOr<std::string> cleaned = CleanText("\xff\xfe", TextShape::kSingleLine);
  ASSERT_FALSE(cleaned.ok());
  EXPECT_EQ(cleaned.status().message(), "not valid UTF-8");
}

TEST(EscapedPrefix, EscapesAndCuts) {
  EXPECT_EQ(EscapedPrefix("a\x1b[0m\"q\\"), "a\\u{001B}[0m\\\"q\\\\");
  EXPECT_EQ(EscapedPrefix("\xff漏"), "\\xFF漏");
  EXPECT_EQ(EscapedPrefix(std::string(100, 'x'), 5), "xxxxx…");
  EXPECT_EQ(EscapedPrefix("电\u200b梯"), "电\\u{200B}梯");
}

TEST(JsonEscape, NothingLoggedCanBreakItsLine) {
  EXPECT_EQ(JsonEscape("a\"b\\c\nd\x1b\x01"), "a\\\"b\\\\c\\nd\\u001b\\u0001");
}

}  // namespace
}  // namespace complaints
