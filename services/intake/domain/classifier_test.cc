// §2.3 classification and priority: content, impact scope and urgency.
#include "services/intake/domain/classifier.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/intake/domain/test_rules.h"

namespace complaints::intake {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Classifier Make() { return *Classifier::Create(TestRules()); }

TEST(Classifier, HazardInOneFlatIsCriticalAndTopPriority) {
  v1::ComplaintClassified result = Make().Classify(InFlat("3号楼电梯困人，请速来"));
  EXPECT_EQ(result.category(), "safety");
  EXPECT_EQ(result.urgency(), v1::URGENCY_CRITICAL);
  EXPECT_EQ(result.impact_scope(), v1::IMPACT_SCOPE_HOUSEHOLD);
  EXPECT_EQ(result.priority(), v1::PRIORITY_P1);
  EXPECT_EQ(result.complexity(), v1::COMPLEXITY_ORDINARY);
  EXPECT_EQ(result.rule().id(), "safety.elevator-trapped");
  EXPECT_EQ(result.rule().version(), 3);
  EXPECT_THAT(result.matched_keywords(), ElementsAre("电梯困人"));
  EXPECT_THAT(result.explanation(),
              HasSubstr("urgency critical; scope household from the location"));
}

TEST(Classifier, ScopeRaisesThePriorityOfTheSameMatter) {
  EXPECT_EQ(Make().Classify(InFlat("noise at night")).priority(), v1::PRIORITY_P3);
  v1::ComplaintClassified building =
      Make().Classify(InFlat("noise at night", "the whole building hears it"));
  EXPECT_EQ(building.impact_scope(), v1::IMPACT_SCOPE_BUILDING);
  EXPECT_EQ(building.priority(), v1::PRIORITY_P2);
  EXPECT_THAT(building.explanation(), HasSubstr("from rule scope.building (whole building)"));
}

TEST(Classifier, CallersStatedScopeWins) {
  v1::SubmitComplaintRequest request = InFlat("water leak in the corridor");
  request.set_impact_scope(v1::IMPACT_SCOPE_COMMUNITY);
  v1::ComplaintClassified result = Make().Classify(request);
  EXPECT_EQ(result.impact_scope(), v1::IMPACT_SCOPE_COMMUNITY);
  EXPECT_EQ(result.priority(), v1::PRIORITY_P1);  // high urgency x community
}

TEST(Classifier, ScopeFromLocationWhenTheTextSaysNothing) {
  v1::SubmitComplaintRequest request;
  request.set_content("noise");
  request.mutable_location()->set_public_area("north gate");
  EXPECT_EQ(Make().Classify(request).impact_scope(), v1::IMPACT_SCOPE_COMMUNITY);
  request.clear_location();
  request.mutable_location()->set_community("阳光花园");
  request.mutable_location()->set_building("5");
  EXPECT_EQ(Make().Classify(request).impact_scope(), v1::IMPACT_SCOPE_BUILDING);
}

TEST(Classifier, MatchesCaseAndWidthInsensitively) {
  v1::ComplaintClassified result = Make().Classify(InFlat("ＷＡＴＥＲ Leak in kitchen"));
  EXPECT_EQ(result.category(), "plumbing");
  EXPECT_EQ(result.priority(), v1::PRIORITY_P2);
}

TEST(Classifier, FirstRuleNamesTheCategoryButAHazardAnywhereSetsTheUrgency) {
  v1::ComplaintClassified result =
      Make().Classify(InFlat("Noise complaint", "and someone is trapped in lift"));
  EXPECT_EQ(result.category(), "safety");  // safety rule comes first
  result = Make().Classify(InFlat("噪音很大", "楼上漏水"));
  EXPECT_EQ(result.category(), "plumbing");
  EXPECT_EQ(result.urgency(), v1::URGENCY_HIGH);
}

TEST(Classifier, NoMatchFallsBackToTheDefaults) {
  v1::ComplaintClassified result = Make().Classify(InFlat("parking fee question"));
  EXPECT_EQ(result.category(), "general");
  EXPECT_EQ(result.urgency(), v1::URGENCY_LOW);
  EXPECT_EQ(result.priority(), v1::PRIORITY_P4);
  EXPECT_EQ(result.rule().id(), "default");
  EXPECT_TRUE(result.matched_keywords().empty());
}

TEST(Classifier, LifeSafetyIsP1WhateverTheScopeAndNamesTheCategory) {
  v1::ComplaintClassified result = Make().Classify(InFlat("noise upstairs", "電 梯 困 人"));
  EXPECT_EQ(result.category(), "safety");  // before noise, although noise matched too
  EXPECT_TRUE(result.life_safety());
  EXPECT_EQ(result.priority(), v1::PRIORITY_P1);
  EXPECT_TRUE(result.possible_life_safety().empty());
  EXPECT_THAT(result.explanation(), HasSubstr("life safety (rule safety.elevator-trapped)"));
}

TEST(Classifier, APatternMatchesItsWordsCloseTogetherInEitherOrder) {
  EXPECT_TRUE(Make().Classify(InFlat("有人被困在电梯里")).life_safety());
  EXPECT_TRUE(Make().Classify(InFlat("电梯停了，里面的人出不来")).life_safety());
  v1::ComplaintClassified result = Make().Classify(InFlat("someone is stuck in the lift"));
  EXPECT_TRUE(result.life_safety());
  EXPECT_THAT(result.matched_keywords(), ElementsAre("stuck in the lift"));
}

TEST(Classifier, NearALifeSafetyRuleIsFlaggedWithTheReasonAndKeptAtP2) {
  // The pattern's words, too far apart.
  v1::ComplaintClassified result = Make().Classify(
      InFlat("电梯一直有异响已经很多天了，物业一直没有派人来修理，今天终于有人被困"));
  EXPECT_FALSE(result.life_safety());
  EXPECT_THAT(result.possible_life_safety(), HasSubstr("farther apart than 20 characters"));
  EXPECT_EQ(result.priority(), v1::PRIORITY_P2);  // household x low would be P4
  EXPECT_THAT(result.explanation(), HasSubstr("possible life safety"));
  EXPECT_THAT(result.explanation(), HasSubstr("raised from P4"));
  // A near term.
  result = Make().Classify(InFlat("救命啊"));
  EXPECT_THAT(result.possible_life_safety(),
              HasSubstr("\"救命\" comes near rule safety.elevator-trapped"));
  // A keyword one slip away.
  result = Make().Classify(InFlat("电题困人"));
  EXPECT_THAT(result.possible_life_safety(), HasSubstr("one slip from \"电梯困人\""));
  // Nothing near.
  EXPECT_TRUE(Make().Classify(InFlat("噪音很大")).possible_life_safety().empty());
}

TEST(Classifier, UrgencyWordsRaiseWithoutNamingTheCategory) {
  v1::ComplaintClassified result = Make().Classify(InFlat("紧急：噪音"));
  EXPECT_EQ(result.category(), "noise");
  EXPECT_EQ(result.urgency(), v1::URGENCY_HIGH);
  result = Make().Classify(InFlat("tree emergency"));
  EXPECT_EQ(result.category(), "general");
  EXPECT_EQ(result.urgency(), v1::URGENCY_HIGH);
  EXPECT_EQ(Make().Classify(InFlat("non-emergency matter")).urgency(), v1::URGENCY_LOW);
}

TEST(Classifier, BadRulesAreRejectedNamingTheField) {
  auto error = [](const v1::ClassificationRules& rules) {
    return std::string(Classifier::Create(rules).status().message());
  };
  v1::ClassificationRules rules = TestRules();
  rules.mutable_rules(1)->clear_keywords();
  EXPECT_THAT(error(rules), HasSubstr("rules[1].keywords"));
  rules = TestRules();
  rules.mutable_rules(2)->set_id("plumbing.leak");
  EXPECT_THAT(error(rules), HasSubstr("rules[2].id"));
  rules = TestRules();
  rules.mutable_rules(0)->set_urgency(v1::URGENCY_UNSPECIFIED);
  EXPECT_THAT(error(rules), HasSubstr("rules[0].urgency"));
  rules = TestRules();
  rules.mutable_priority_matrix()->RemoveLast();
  EXPECT_THAT(error(rules), HasSubstr("priority_matrix: needs all 16 cells"));
  rules = TestRules();
  rules.mutable_priority_matrix(3)->set_urgency(v1::URGENCY_LOW);
  EXPECT_THAT(error(rules), HasSubstr("priority_matrix[3]: a second cell"));
  rules = TestRules();
  rules.mutable_scope_rules(0)->set_scope(v1::IMPACT_SCOPE_UNSPECIFIED);
  EXPECT_THAT(error(rules), HasSubstr("scope_rules[0].scope"));
  rules = TestRules();
  rules.clear_default_category();
  EXPECT_THAT(error(rules), HasSubstr("default_category"));
  rules = TestRules();
  rules.mutable_rules(0)->mutable_patterns(0)->set_within(0);
  EXPECT_THAT(error(rules), HasSubstr("rules[0].patterns[0].within"));
  rules = TestRules();
  rules.mutable_rules(0)->mutable_patterns(0)->mutable_all_of()->RemoveLast();
  EXPECT_THAT(error(rules), HasSubstr("rules[0].patterns[0].all_of: at least two"));
  rules = TestRules();
  rules.mutable_rules(1)->add_near_terms("drip");
  EXPECT_THAT(error(rules), HasSubstr("rules[1].near_terms: only for a life-safety rule"));
  rules = TestRules();
  rules.mutable_rules(0)->add_keywords("\u200b");
  EXPECT_THAT(error(rules), HasSubstr("rules[0].keywords[3]: empty"));
  rules = TestRules();
  rules.set_possible_life_safety_priority(static_cast<v1::Priority>(9));
  EXPECT_THAT(error(rules), HasSubstr("possible_life_safety_priority"));
}

}  // namespace
}  // namespace complaints::intake
