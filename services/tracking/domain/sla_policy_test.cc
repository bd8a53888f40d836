// §3.2 handling deadlines: SLA policies by urgency x complexity.
#include "services/tracking/domain/sla_policy.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/tracking/domain/test_sla.h"

namespace complaints::tracking {
namespace {

using ::testing::HasSubstr;

TEST(SlaPolicy, TheBookFindsEachPriorityAndComplexity) {
  SlaBook book = StandardSla();
  auto policy = book.Find(v1::PRIORITY_P2, v1::COMPLEXITY_COMPLEX);
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ((*policy)->id(), "sla.p2.complex");
  EXPECT_EQ(LimitOf(**policy, v1::SLA_TARGET_RESOLVE)->basis(), v1::TIME_BASIS_BUSINESS);
  EXPECT_EQ(LimitOf(**policy, v1::SLA_TARGET_RESOLVE)->minutes(), 2400);
  EXPECT_EQ(book.Find(v1::PRIORITY_P1, v1::COMPLEXITY_UNSPECIFIED).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SlaPolicy, BadBooksNameTheField) {
  auto error = [](const v1::SlaPolicies& policies) {
    return std::string(SlaBook::Create(policies).status().message());
  };
  v1::SlaPolicies policies = StandardSlaPolicies();
  policies.mutable_policies()->RemoveLast();
  EXPECT_THAT(error(policies), HasSubstr("no policy for PRIORITY_P4 x COMPLEXITY_COMPLEX"));
  policies = StandardSlaPolicies();
  policies.mutable_policies(0)->mutable_limits(1)->set_minutes(0);
  EXPECT_THAT(error(policies), HasSubstr("policies[0].limits[1].minutes"));
  policies = StandardSlaPolicies();
  policies.mutable_policies(2)->mutable_limits()->DeleteSubrange(0, 1);
  EXPECT_THAT(error(policies), HasSubstr("policies[2].limits: respond and resolve"));
  policies = StandardSlaPolicies();
  policies.mutable_policies(3)->set_warning_percent(100);
  EXPECT_THAT(error(policies), HasSubstr("policies[3].warning_percent"));
  policies = StandardSlaPolicies();
  policies.mutable_policies(4)->mutable_escalation(2)->set_minutes_after_breach(1);
  EXPECT_THAT(error(policies), HasSubstr("policies[4].escalation[2].minutes_after_breach"));
  policies = StandardSlaPolicies();
  policies.mutable_policies(5)->set_complexity(v1::COMPLEXITY_SIMPLE);
  EXPECT_THAT(error(policies), HasSubstr("policies[5]: a second policy"));
  policies = StandardSlaPolicies();
  policies.mutable_policies(6)->mutable_limits(0)->set_basis(v1::TIME_BASIS_UNSPECIFIED);
  EXPECT_THAT(error(policies), HasSubstr("policies[6].limits[0].basis"));
}

}  // namespace
}  // namespace complaints::tracking
