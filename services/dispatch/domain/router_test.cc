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
  v1::ComplaintAssigned urgent = router.Route({"safety", v1::PRIORITY_P1, "Sunshine Garden", {}});
  EXPECT_EQ(urgent.department(), "security");
  EXPECT_EQ(urgent.rule().id(), "safety-urgent");
  EXPECT_EQ(urgent.rule().version(), 2);
  EXPECT_THAT(urgent.reason(), HasSubstr("safety at P1"));
  EXPECT_EQ(router.Route({"safety", v1::PRIORITY_P3, "Sunshine Garden", {}}).department(),
            "engineering");
}

TEST(Router, LocationNarrowsARule) {
  Router router = *Router::Create(TestRouting());
  v1::ComplaintAssigned lakeside =
      router.Route({"plumbing", v1::PRIORITY_P2, "Lakeside Court", {}});
  EXPECT_EQ(lakeside.department(), "contractor");
  EXPECT_THAT(lakeside.reason(), HasSubstr("in Lakeside Court"));
  EXPECT_EQ(router.Route({"plumbing", v1::PRIORITY_P2, "Sunshine Garden", {}}).department(),
            "engineering");
}

TEST(Router, DepartmentsThatRejectedAreSkipped) {
  Router router = *Router::Create(TestRouting());
  EXPECT_EQ(
      router.Route({"plumbing", v1::PRIORITY_P2, "Sunshine Garden", {"engineering"}}).department(),
      "customer-service");
  v1::ComplaintAssigned none_left = router.Route(
      {"plumbing", v1::PRIORITY_P2, "Sunshine Garden", {"engineering", "customer-service"}});
  EXPECT_EQ(none_left.rule().id(), "fallback");
  EXPECT_THAT(none_left.reason(), HasSubstr("that has not rejected it"));
}

TEST(Router, UnknownCategoryGoesToFallbackWithReason) {
  v1::ComplaintAssigned assigned =
      Router::Create(TestRouting())->Route({"parking", v1::PRIORITY_P4, "", {}});
  EXPECT_EQ(assigned.department(), "customer-service");
  EXPECT_EQ(assigned.rule().id(), "fallback");
  EXPECT_THAT(assigned.reason(), HasSubstr("no routing rule for category parking"));
}

TEST(Router, KnowsDepartmentsAndPools) {
  Router router = *Router::Create(TestRouting());
  EXPECT_TRUE(router.IsDepartment("duty-office"));
  EXPECT_TRUE(router.IsDepartment("contractor"));
  EXPECT_FALSE(router.IsDepartment("marketing"));
  ASSERT_NE(router.PoolOf("security"), nullptr);
  EXPECT_EQ(router.PoolOf("contractor"), nullptr);
}

TEST(Router, BadRulesAreRejectedWithTheFieldPath) {
  auto error = [](const v1::RoutingRules& rules) {
    return std::string(Router::Create(rules).status().message());
  };
  v1::RoutingRules rules = TestRouting();
  rules.mutable_rules(1)->clear_department();
  EXPECT_THAT(error(rules), HasSubstr("rules[1].department"));
  rules = TestRouting();
  rules.clear_fallback_department();
  EXPECT_THAT(error(rules), HasSubstr("fallback_department"));
  rules = TestRouting();
  rules.mutable_rules(2)->set_id("safety-urgent");
  EXPECT_THAT(error(rules), HasSubstr("rules[2].id"));
  rules = TestRouting();
  rules.set_max_hops(0);
  EXPECT_THAT(error(rules), HasSubstr("max_hops"));
  rules = TestRouting();
  rules.mutable_pools(1)->mutable_handlers(1)->set_id("eng.zhang");
  EXPECT_THAT(error(rules), HasSubstr("pools[1].handlers[1].id"));
  rules = TestRouting();
  rules.mutable_pools(2)->set_strategy(v1::ASSIGNMENT_STRATEGY_UNSPECIFIED);
  EXPECT_THAT(error(rules), HasSubstr("pools[2].strategy"));
  rules = TestRouting();
  rules.mutable_pools(0)->set_department("security");
  EXPECT_THAT(error(rules), HasSubstr("pools[1].department: a second pool"));
}

}  // namespace
}  // namespace complaints::dispatch
