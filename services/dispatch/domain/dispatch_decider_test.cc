// §3.1 transfer (dispatch) as given / when / then.
#include "services/dispatch/domain/dispatch_decider.h"

#include "gtest/gtest.h"
#include "libs/testing/events.h"
#include "libs/testing/given_when_then.h"
#include "services/dispatch/domain/test_routing.h"

namespace complaints::dispatch {
namespace {

using namespace complaints::testing;

class DispatchDeciderTest : public ::testing::Test {
 protected:
  Router router_ = *Router::Create(TestRouting());
  DispatchDecider decider_{&router_};
};

TEST_F(DispatchDeciderTest, ClassifiedComplaintIsAssignedWithReasonAndRule) {
  v1::Envelope expected;
  *expected.mutable_assigned() = router_.Route("plumbing", v1::PRIORITY_P2);
  Given(decider_, {Received("C1"), Classified("C1", "plumbing", v1::PRIORITY_P2)})
      .When(AssignComplaint{"C1"})
      .Then({expected});
}

TEST_F(DispatchDeciderTest, AlreadyAssignedComplaintDecidesNothing) {
  Given(decider_, {Received("C1"), Classified("C1", "plumbing", v1::PRIORITY_P2),
                   Assigned("C1", "engineering")})
      .When(AssignComplaint{"C1"})
      .Then({});
}

TEST_F(DispatchDeciderTest, UnclassifiedComplaintCannotBeAssigned) {
  Given(decider_, {Received("C1")})
      .When(AssignComplaint{"C1"})
      .ThenError(absl::StatusCode::kFailedPrecondition, "not classified");
}

TEST(DispatchPolicy, OnlyClassificationTriggersAssignment) {
  EXPECT_TRUE(PolicyFor(Classified("C1", "noise", v1::PRIORITY_P3)).has_value());
  EXPECT_EQ(PolicyFor(Classified("C1", "noise", v1::PRIORITY_P3))->complaint_id, "C1");
  EXPECT_FALSE(PolicyFor(Received("C1")).has_value());
  EXPECT_FALSE(PolicyFor(Assigned("C1", "security")).has_value());
}

}  // namespace
}  // namespace complaints::dispatch
