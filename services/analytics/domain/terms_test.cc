// §5.1 hot issues: the terms of a complaint's text.
#include "services/analytics/domain/terms.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace complaints::analytics {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(Terms, ChineseIsSegmentedIntoWords) {
  EXPECT_THAT(TermsOf("3号楼地下室水管爆裂，大量漏水！"),
              ElementsAre("地下室", "水管", "爆裂", "大量", "漏水"));
}

TEST(Terms, EnglishIsLowercasedAndStopWordsDropped) {
  EXPECT_THAT(TermsOf("The pipe BURST in the basement of Building 3, and the pipe leaks."),
              ElementsAre("pipe", "burst", "basement", "building", "leaks"));
}

TEST(Terms, RedactionMarkersNumbersAndPunctuationAreNotTerms) {
  EXPECT_THAT(TermsOf("[name] [phone] [email] [id] 12345 ... !!"), IsEmpty());
  EXPECT_THAT(TermsOf("电梯坏了 [phone] 请尽快处理"), ElementsAre("电梯"));
}

TEST(Terms, ATextGivesAtMostFortyTermsOfBoundedLength) {
  std::string text;
  for (int i = 0; i < 100; ++i)
    text += "word" + std::string(1, static_cast<char>('a' + i % 26)) +
            std::string(1, static_cast<char>('a' + i / 26)) + " ";
  text += std::string(200, 'z');
  const std::vector<std::string> terms = TermsOf(text);
  EXPECT_EQ(terms.size(), kMaxTermsPerText);
  for (const std::string& term : terms) EXPECT_LE(term.size(), kMaxTermBytes);
}

TEST(Terms, InvalidUtf8DoesNotBreakSegmentation) {
  EXPECT_THAT(TermsOf("pipe \xff\xfe burst"), ElementsAre("pipe", "burst"));
}

}  // namespace
}  // namespace complaints::analytics
