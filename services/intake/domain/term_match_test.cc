// §2.3 how a rule's words are found in folded text.
#include "services/intake/domain/term_match.h"

#include "gtest/gtest.h"
#include "services/intake/domain/matching_text.h"

namespace complaints::intake {
namespace {

bool Found(absl::string_view term, absl::string_view text) {
  return Term(term).FoundIn(FoldedText(FoldForMatching(text)));
}

TEST(Term, EnglishWordsMatchAsWordsWithTheirEndings) {
  EXPECT_TRUE(Found("leak", "pipe leaks badly"));
  EXPECT_TRUE(Found("leak", "it is leaking"));
  EXPECT_TRUE(Found("leak", "the tap leaked"));
  EXPECT_FALSE(Found("leak", "a bleak outlook"));
  EXPECT_FALSE(Found("lift", "shoplifting in the lobby"));
  EXPECT_FALSE(Found("leak", "leakage"));
  EXPECT_TRUE(Found("gas leak", "Gas  Leak in 4B"));
}

TEST(FoldedText, ChainsThePlacesOfEachCharacter) {
  const FoldedText text(U"abca\u7535a\u7535");
  EXPECT_EQ(text.First(U'a'), 0u);
  EXPECT_EQ(text.Next(0), 3u);
  EXPECT_EQ(text.Next(3), 5u);
  EXPECT_EQ(text.Next(5), FoldedText::kNone);
  EXPECT_EQ(text.First(U'\u7535'), 4u);
  EXPECT_EQ(text.Next(4), 6u);
  EXPECT_EQ(text.Next(6), FoldedText::kNone);
  EXPECT_EQ(text.First(U'z'), FoldedText::kNone);
  EXPECT_EQ(text.First(U'\u68af'), FoldedText::kNone);
}

TEST(Term, FindAllGivesEveryOccurrenceInOrder) {
  const std::vector<Span> spans =
      Term("leak").FindAll(FoldedText(FoldForMatching("leak a bleak leak leaking")));
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].begin, 0u);
  EXPECT_EQ(spans[0].end, 4u);
  EXPECT_EQ(spans[1].begin, 13u);
  EXPECT_EQ(spans[1].end, 17u);
  EXPECT_EQ(spans[2].begin, 18u);
  EXPECT_EQ(spans[2].end, 25u);
}

TEST(Term, NonBeforeAWordCancelsIt) {
  EXPECT_FALSE(Found("emergency", "Non-Emergency Police Matter"));
  EXPECT_TRUE(Found("emergency", "Tree Emergencies"));
}

TEST(Term, CjkWordsMatchAnywhere) {
  EXPECT_TRUE(Found("困人", "电梯困人了"));
  EXPECT_TRUE(Found("電梯", "电梯"));
}

TEST(Term, NearFindsOneSlipInLongWordsOnly) {
  const std::u32string text = FoldForMatching("燃气泄露了，电题困人");
  EXPECT_GT(Term("燃气泄漏").NearIn(text).end, 0u);  // one character replaced
  EXPECT_GT(Term("电梯困人").NearIn(text).end, 0u);
  EXPECT_GT(Term("电梯困人").NearIn(FoldForMatching("电梯里困人")).end, 0u);  // one added
  EXPECT_EQ(Term("着火").NearIn(FoldForMatching("着急")).end, 0u);            // too short
  EXPECT_GT(Term("电梯困人").NearIn(FoldForMatching("梯电困人")).end, 0u);    // two swapped
  EXPECT_EQ(Term("电梯困人").NearIn(FoldForMatching("电梯困人")).end, 0u);    // exact is not near
  EXPECT_EQ(Term("flames").NearIn(FoldForMatching("frames")).end, 0u);        // English: no
}

TEST(FindTogether, WordsOfEachSetWithinTheWindowInEitherOrder) {
  const std::vector<std::vector<Term>> sets = {{Term("电梯"), Term("轿厢")},
                                               {Term("被困"), Term("出不来")}};
  EXPECT_TRUE(FindTogether(sets, FoldedText(FoldForMatching("有人被困在3号楼电梯里")), 12).within);
  EXPECT_TRUE(
      FindTogether(sets, FoldedText(FoldForMatching("电梯停了，里面的人出不来")), 12).within);
  const Proximity far = FindTogether(
      sets, FoldedText(FoldForMatching("电梯今天早上坏了很久很久很久很久很久，后来听说有人被困")),
      12);
  EXPECT_TRUE(far.all_present);
  EXPECT_FALSE(far.within);
  EXPECT_FALSE(FindTogether(sets, FoldedText(FoldForMatching("电梯坏了")), 12).all_present);
}

}  // namespace
}  // namespace complaints::intake
