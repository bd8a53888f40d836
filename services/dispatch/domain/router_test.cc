// §3.1 transfer: routing rules name the department and the reason.
#include "services/dispatch/domain/router.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/dispatch/domain/test_routing.h"

namespace complaints::dispatch {
namespace {

using ::testing::HasSubstr;

TEST(Router, CategoryAndPriorityPickTheFirstMatchingRule) {
  Router router = *Router::Create(TestRouting());
  v1::ComplaintAssigned urgent = router.Route("safety", v1::PRIORITY_P1);
  EXPECT_EQ(urgent.department(), "security");
  EXPECT_EQ(urgent.rule().id(), "safety-urgent");
  EXPECT_EQ(urgent.rule().version(), 2);
  EXPECT_THAT(urgent.reason(), HasSubstr("safety at P1"));
  EXPECT_EQ(router.Route("safety", v1::PRIORITY_P3).department(), "engineering");
}

TEST(Router, UnknownCategoryGoesToFallbackWithReason) {
  v1::ComplaintAssigned assigned = Router::Create(TestRouting())->Route("parking", v1::PRIORITY_P4);
  EXPECT_EQ(assigned.department(), "customer-service");
  EXPECT_EQ(assigned.rule().id(), "fallback");
  EXPECT_THAT(assigned.reason(), HasSubstr("no routing rule for category parking"));
}

TEST(Router, BadRulesAreRejectedWithTheFieldPath) {
  v1::RoutingRules rules = TestRouting();
  rules.mutable_rules(1)->clear_department();
  EXPECT_THAT(std::string(Router::Create(rules).status().message()), HasSubstr("rules[1].department"));
  rules = TestRouting();
  rules.clear_fallback_department();
  EXPECT_THAT(std::string(Router::Create(rules).status().message()), HasSubstr("fallback_department"));
  rules = TestRouting();
  rules.mutable_rules(2)->set_id("safety");
  EXPECT_THAT(std::string(Router::Create(rules).status().message()), HasSubstr("rules[2].id"));
}

}  // namespace
}  // namespace complaints::dispatch
