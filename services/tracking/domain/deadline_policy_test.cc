// §3.2 handling deadlines: limits by priority.
#include "services/tracking/domain/deadline_policy.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/core/time_util.h"
#include "services/tracking/domain/test_policies.h"

namespace complaints::tracking {
namespace {

using ::testing::HasSubstr;

const absl::Time kReceived = absl::FromUnixSeconds(1'795'000'000);

TEST(DeadlinePolicy, UrgentComplaintGetsTheShortestLimits) {
  auto deadlines = DeadlinePolicyBook::Create(TestPolicies())->For(v1::PRIORITY_P1, kReceived);
  ASSERT_TRUE(deadlines.ok());
  EXPECT_EQ(FromProto(deadlines->respond_by()), kReceived + absl::Minutes(15));
  EXPECT_EQ(FromProto(deadlines->resolve_by()), kReceived + absl::Hours(4));
  EXPECT_EQ(deadlines->policy().id(), "p1");
}

TEST(DeadlinePolicy, EachPriorityHasItsOwnPolicyAndVersion) {
  auto book = *DeadlinePolicyBook::Create(TestPolicies());
  auto p3 = *book.For(v1::PRIORITY_P3, kReceived);
  EXPECT_EQ(FromProto(p3.resolve_by()), kReceived + absl::Hours(72));
  EXPECT_EQ(p3.policy().version(), 2);
  EXPECT_EQ(book.For(v1::PRIORITY_UNSPECIFIED, kReceived).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(DeadlinePolicy, IncompleteOrInconsistentBooksAreRejected) {
  v1::DeadlinePolicies policies = TestPolicies();
  policies.mutable_policies()->RemoveLast();
  EXPECT_THAT(std::string(DeadlinePolicyBook::Create(policies).status().message()),
              HasSubstr("no policy for PRIORITY_P4"));
  policies = TestPolicies();
  policies.mutable_policies(1)->set_resolve_within_minutes(10);
  EXPECT_THAT(std::string(DeadlinePolicyBook::Create(policies).status().message()),
              HasSubstr("policies[1].resolve_within_minutes"));
  policies = TestPolicies();
  policies.mutable_policies(2)->set_priority(v1::PRIORITY_P1);
  EXPECT_THAT(std::string(DeadlinePolicyBook::Create(policies).status().message()),
              HasSubstr("policies[2].priority"));
}

}  // namespace
}  // namespace complaints::tracking
