// §2.3 classification and priority.
#include "services/intake/domain/classifier.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/intake/domain/test_rules.h"

namespace complaints::intake {
namespace {

using ::testing::ElementsAre;

Classifier Make() { return *Classifier::Create(TestRules()); }

TEST(Classifier, ChineseKeywordDecidesCategoryAndPriority) {
  v1::ComplaintClassified result = Make().Classify("3号楼电梯困人，请速来", "");
  EXPECT_EQ(result.category(), "safety");
  EXPECT_EQ(result.priority(), v1::PRIORITY_P1);
  EXPECT_EQ(result.rule().id(), "safety.elevator-trapped");
  EXPECT_EQ(result.rule().version(), 3);
  EXPECT_THAT(result.matched_keywords(), ElementsAre("电梯困人"));
}

TEST(Classifier, EnglishKeywordMatchesCaseAndWidthInsensitively) {
  v1::ComplaintClassified result = Make().Classify("ＷＡＴＥＲ Leak in kitchen", "");
  EXPECT_EQ(result.category(), "plumbing");
  EXPECT_EQ(result.priority(), v1::PRIORITY_P2);
}

TEST(Classifier, DescriptionIsSearchedToo) {
  EXPECT_EQ(Make().Classify("Problem upstairs", "constant noise at night").category(), "noise");
}

TEST(Classifier, FirstMatchingRuleWins) {
  EXPECT_EQ(Make().Classify("漏水 and trapped in lift", "").category(), "safety");
}

TEST(Classifier, NoMatchFallsBackToDefaultRule) {
  v1::ComplaintClassified result = Make().Classify("parking fee question", "");
  EXPECT_EQ(result.category(), "general");
  EXPECT_EQ(result.priority(), v1::PRIORITY_P4);
  EXPECT_EQ(result.rule().id(), "default");
  EXPECT_TRUE(result.matched_keywords().empty());
}

TEST(Classifier, RejectsRuleWithoutKeywordsNamingTheField) {
  v1::ClassificationRules rules = TestRules();
  rules.mutable_rules(1)->clear_keywords();
  absl::StatusOr<Classifier> classifier = Classifier::Create(rules);
  ASSERT_FALSE(classifier.ok());
  EXPECT_THAT(std::string(classifier.status().message()), ::testing::HasSubstr("rules[1].keywords"));
}

TEST(Classifier, RejectsDuplicateRuleIdsAndBadPriority) {
  v1::ClassificationRules rules = TestRules();
  rules.mutable_rules(2)->set_id("plumbing.leak");
  EXPECT_THAT(std::string(Classifier::Create(rules).status().message()),
              ::testing::HasSubstr("rules[2].id"));
  rules = TestRules();
  rules.mutable_rules(0)->set_priority(v1::PRIORITY_UNSPECIFIED);
  EXPECT_THAT(std::string(Classifier::Create(rules).status().message()),
              ::testing::HasSubstr("rules[0].priority"));
  rules = TestRules();
  rules.clear_default_category();
  EXPECT_THAT(std::string(Classifier::Create(rules).status().message()),
              ::testing::HasSubstr("default_category"));
}

}  // namespace
}  // namespace complaints::intake
