// §3.2 deadlines as given / when / then.
#include "services/tracking/domain/tracking_decider.h"

#include "gtest/gtest.h"
#include "libs/core/time_util.h"
#include "libs/testing/events.h"
#include "libs/testing/given_when_then.h"
#include "services/tracking/domain/test_policies.h"

namespace complaints::tracking {
namespace {

using namespace complaints::testing;

class TrackingDeciderTest : public ::testing::Test {
 protected:
  DeadlinePolicyBook book_ = *DeadlinePolicyBook::Create(TestPolicies());
  TrackingDecider decider_{&book_};
};

TEST_F(TrackingDeciderTest, ClassifiedComplaintGetsDeadlinesFromReceiptTime) {
  const v1::Envelope received = Received("C1");
  v1::Envelope expected;
  *expected.mutable_deadlines_set() = *book_.For(v1::PRIORITY_P2, FromProto(received.occurred_at()));
  Given(decider_, {received, Classified("C1", "plumbing", v1::PRIORITY_P2)})
      .When(SetDeadlines{"C1"})
      .Then({expected});
}

TEST_F(TrackingDeciderTest, DeadlinesAlreadySetDecideNothing) {
  Given(decider_, {Received("C1"), Classified("C1", "plumbing", v1::PRIORITY_P2), Deadlines("C1")})
      .When(SetDeadlines{"C1"})
      .Then({});
}

TEST_F(TrackingDeciderTest, ClassificationWithoutReceiptIsAPrecondition) {
  Given(decider_, {Classified("C1", "plumbing", v1::PRIORITY_P2)})
      .When(SetDeadlines{"C1"})
      .ThenError(absl::StatusCode::kFailedPrecondition, "not received");
}

TEST(TrackingPolicy, OnlyClassificationSetsDeadlines) {
  EXPECT_TRUE(PolicyFor(Classified("C1", "noise", v1::PRIORITY_P3)).has_value());
  EXPECT_FALSE(PolicyFor(Assigned("C1", "security")).has_value());
}

}  // namespace
}  // namespace complaints::tracking
