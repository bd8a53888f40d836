// §2.3 the classifier's copy of the text: spelling does not change the matter.
#include "services/intake/domain/matching_text.h"

#include "gtest/gtest.h"

namespace complaints::intake {
namespace {

std::string Folded(absl::string_view text) { return Utf8(FoldForMatching(text)); }

TEST(FoldForMatching, CaseAndWidthDoNotCount) {
  EXPECT_EQ(Folded("ＷＡＴＥＲ Leak"), "water leak");
}

TEST(FoldForMatching, TraditionalAndVariantCharactersBecomeSimplified) {
  EXPECT_EQ(Folded("電梯困人"), "电梯困人");
  EXPECT_EQ(Folded("燃氣洩漏"), "燃气泄漏");
  EXPECT_EQ(Folded("著火了"), "着火了");
  EXPECT_EQ(Folded("気味"), "气味");
  EXPECT_EQ(Folded("⻔口"), "门口");
}

TEST(FoldForMatching, InvisibleCharactersInsideAWordAreDropped) {
  // Ignorable ones (CGJ, variation selectors, Hangul fillers, zero-width
  // space, word joiner, soft hyphen, a tag, the Mongolian vowel separator),
  // blanks outside that set (braille blank) and a private-use character.
  for (const char32_t invisible : {0x034F, 0xFE0F, 0xFE00, 0x3164, 0x2800, 0x200B, 0x2060, 0x00AD,
                                   0x115F, 0xE0020, 0x180E, 0xF0001}) {
    const std::string mark = Utf8(std::u32string(1, invisible));
    EXPECT_EQ(Folded("电" + mark + "梯困" + mark + "人"), "电梯困人")
        << "U+" << std::hex << static_cast<uint32_t>(invisible);
  }
}

TEST(FoldForMatching, CombiningMarksAreDropped) {
  EXPECT_EQ(Folded("fi\u0301re"), "fire");
  EXPECT_EQ(Folded("电\u0301梯"), "电梯");
}

TEST(FoldForMatching, SpacesAndDecorationBetweenCjkCharactersAreDropped) {
  EXPECT_EQ(Folded("电 梯 困 人"), "电梯困人");
  EXPECT_EQ(Folded("电\u3000梯\u3000困人"), "电梯困人");
  EXPECT_EQ(Folded("电-梯*困·人"), "电梯困人");
  EXPECT_EQ(Folded("电\n梯"), "电梯");
}

TEST(FoldForMatching, ClauseMarksBetweenCjkCharactersStay) {
  EXPECT_EQ(Folded("电梯，困人"), "电梯,困人");
  EXPECT_EQ(Folded("电梯。困人"), "电梯。困人");
}

TEST(FoldForMatching, LatinLookAlikesBecomeLatin) {
  EXPECT_EQ(Folded("g\u0430s l\u0435\u0430k"), "gas leak");  // Cyrillic а, е
  EXPECT_EQ(Folded("sm\u03BFke"), "smoke");                  // Greek ο
}

TEST(FoldForMatching, SpacedOutLettersAreJoinedButWordsStayApart) {
  EXPECT_EQ(Folded("f i r e"), "fire");
  EXPECT_EQ(Folded("g.a.s  l-e-a-k"), "gas leak");
  EXPECT_EQ(Folded("plan a or b"), "plan a or b");
}

TEST(FoldForMatching, RunsOfSpacesBecomeOne) { EXPECT_EQ(Folded("gas \t  leak"), "gas leak"); }

}  // namespace
}  // namespace complaints::intake
