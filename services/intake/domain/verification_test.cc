// §2.4 verification call-back as given / when / then.
#include "services/intake/domain/verification.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"
#include "libs/testing/events.h"
#include "libs/testing/given_when_then.h"
#include "services/intake/domain/test_verification.h"

namespace complaints::intake {
namespace {

using namespace complaints::testing;

VerificationDecider Standard() {
  auto policy = TestVerificationPolicy();
  EXPECT_TRUE(policy.ok()) << policy.status();
  return *VerificationDecider::Create(*policy);
}

class VerificationTest : public ::testing::Test {
 protected:
  // Received at 09:00 (+08:00), classified P3, call-back scheduled.
  Story<VerificationDecider> StoryOf(std::vector<v1::Envelope> history) {
    return Story(decider_, v1::WRITER_INTAKE, std::move(history));
  }
  std::vector<v1::Envelope> Scheduled(v1::Priority priority = v1::PRIORITY_P3) {
    auto story = StoryOf({Received("C1"), Classified("C1", "noise", priority)});
    story.Do(ScheduleCallback{"C1"});
    return story.history();
  }
  v1::ComplaintView Fold(const std::vector<v1::Envelope>& history) {
    return StoryOf(history).View();
  }
  VerificationDecider decider_ = Standard();
};

TEST_F(VerificationTest, CallBackFallsDueByPriorityAfterReceipt) {
  std::vector<v1::Envelope> history = {Received("C1"), Classified("C1", "noise", v1::PRIORITY_P3)};
  v1::Envelope expected;
  v1::CallbackScheduled& scheduled = *expected.mutable_callback_scheduled();
  *scheduled.mutable_due_at() = ToProto(FromProto(history[0].occurred_at()) + absl::Hours(8));
  scheduled.mutable_policy()->set_id("verification");
  scheduled.mutable_policy()->set_version(1);
  scheduled.set_dispatch_before_verification(false);
  Given(decider_, history).When(ScheduleCallback{"C1"}).Then({expected});
  Given(decider_, Scheduled()).When(ScheduleCallback{"C1"}).Then({});
  Given(decider_, {Received("C1")})
      .When(ScheduleCallback{"C1"})
      .ThenError(absl::StatusCode::kFailedPrecondition, "not received and classified");
}

TEST_F(VerificationTest, TheCallBackTaskSaysWhetherDispatchGoesFirst) {
  EXPECT_TRUE(
      Fold(Scheduled(v1::PRIORITY_P1)).intake().verification().dispatch_before_verification());
  EXPECT_FALSE(
      Fold(Scheduled(v1::PRIORITY_P3)).intake().verification().dispatch_before_verification());
}

TEST_F(VerificationTest, APossibleLifeSafetyComplaintDoesNotWaitForTheCallBack) {
  v1::Envelope classified = Classified("C1", "general", v1::PRIORITY_P3);
  classified.mutable_classified()->set_possible_life_safety("\"救命\" comes near rule safety.x");
  auto story = StoryOf({Received("C1"), classified});
  story.Do(ScheduleCallback{"C1"});
  EXPECT_TRUE(Fold(story.history()).intake().verification().dispatch_before_verification());
}

TEST_F(VerificationTest, NonConfirmedOutcomesEndTheComplaintWithTheExplanation) {
  auto story = StoryOf(Scheduled(v1::PRIORITY_P1));
  auto events = story.Do(RecordVerification{"C1", v1::VERIFICATION_OUTCOME_ALREADY_RESOLVED,
                                            "the plumber from the insurer fixed it yesterday"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].verification_recorded().explanation(),
            "the plumber from the insurer fixed it yesterday");
  EXPECT_EQ(story.View().intake().verification().outcome(),
            v1::VERIFICATION_OUTCOME_ALREADY_RESOLVED);
  Given(decider_, Scheduled())
      .When(RecordVerification{"C1", v1::VERIFICATION_OUTCOME_COMPLAINANT_WITHDREW, ""})
      .ThenError(absl::StatusCode::kInvalidArgument, "explanation");
}

TEST_F(VerificationTest, ThirdUnansweredAttemptMeansCouldNotBeVerified) {
  auto story = StoryOf(Scheduled());
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto events = story.Do(RecordUnansweredCallback{"C1", "no answer"});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].callback_unanswered().attempt(), attempt);
  }
  auto events = story.Do(RecordUnansweredCallback{"C1", "voicemail"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].verification_recorded().outcome(),
            v1::VERIFICATION_OUTCOME_COULD_NOT_BE_VERIFIED);
  EXPECT_EQ(events[1].verification_recorded().unanswered_attempts(), 3);
  Given(decider_, story.history())
      .When(RecordUnansweredCallback{"C1", "again"})
      .ThenError(absl::StatusCode::kFailedPrecondition, "verified already");
}

TEST_F(VerificationTest, RepeatedOutcomeIsIdempotentAConflictingOneIsRefused) {
  auto story = StoryOf(Scheduled());
  story.Do(RecordVerification{"C1", v1::VERIFICATION_OUTCOME_CONFIRMED, ""});
  const std::vector<v1::Envelope>& history = story.history();
  Given(decider_, history)
      .When(RecordVerification{"C1", v1::VERIFICATION_OUTCOME_CONFIRMED, ""})
      .Then({});
  Given(decider_, history)
      .When(RecordVerification{"C1", v1::VERIFICATION_OUTCOME_ALREADY_RESOLVED, "x"})
      .ThenError(absl::StatusCode::kFailedPrecondition, "another outcome");
  Given(decider_, {Received("C1")})
      .When(RecordVerification{"C1", v1::VERIFICATION_OUTCOME_CONFIRMED, ""})
      .ThenError(absl::StatusCode::kFailedPrecondition, "no call-back task");
  Given(decider_, Scheduled())
      .When(RecordVerification{"C1", v1::VERIFICATION_OUTCOME_UNSPECIFIED, ""})
      .ThenError(absl::StatusCode::kInvalidArgument, "outcome");
}

TEST(VerificationPolicy, BadPolicyNamesTheField) {
  auto policy = *TestVerificationPolicy();
  v1::VerificationPolicy broken = policy;
  broken.mutable_due()->RemoveLast();
  EXPECT_THAT(std::string(VerificationDecider::Create(broken).status().message()),
              ::testing::HasSubstr("due: every priority"));
  broken = policy;
  broken.set_max_unanswered_attempts(0);
  EXPECT_THAT(std::string(VerificationDecider::Create(broken).status().message()),
              ::testing::HasSubstr("max_unanswered_attempts"));
  broken = policy;
  broken.mutable_due(1)->set_minutes(-5);
  EXPECT_THAT(std::string(VerificationDecider::Create(broken).status().message()),
              ::testing::HasSubstr("due[1].minutes"));
}

TEST(VerificationPolicy, OnlyClassificationSchedulesACallBack) {
  EXPECT_TRUE(CallbackPolicy(Classified("C1", "noise", v1::PRIORITY_P3)).has_value());
  EXPECT_FALSE(CallbackPolicy(Received("C1")).has_value());
}

}  // namespace
}  // namespace complaints::intake
