// §2.1–§2.3: a submission is received and classified.
#include "services/intake/domain/intake_decider.h"

#include "gtest/gtest.h"
#include "libs/core/time_util.h"
#include "libs/testing/events.h"
#include "libs/testing/given_when_then.h"
#include "services/intake/domain/test_rules.h"

namespace complaints::intake {
namespace {

using complaints::testing::Given;

const absl::Time kNow = absl::FromUnixSeconds(1'795'000'000);

SubmitComplaint Submission(const std::string& content) {
  SubmitComplaint command;
  command.now = kNow;
  v1::SubmitComplaintRequest& request = command.request;
  request.set_idempotency_key("mail-gateway-42");
  request.set_channel(v1::CHANNEL_EMAIL);
  request.mutable_complainant()->set_name("Li Wei");
  request.mutable_complainant()->set_email("li.wei@example.cn");
  request.set_content(content);
  request.mutable_location()->set_community("Sunshine Garden");
  *request.mutable_occurred_at() = ToProto(kNow - absl::Minutes(30));
  return command;
}

class IntakeDeciderTest : public ::testing::Test {
 protected:
  Classifier classifier_ = *Classifier::Create(TestRules());
  IntakeDecider decider_{&classifier_};
};

TEST_F(IntakeDeciderTest, SubmissionIsReceivedThenClassified) {
  SubmitComplaint command = Submission("电梯困人 in building 5");
  v1::Envelope received;
  v1::ComplaintReceived& r = *received.mutable_received();
  r.set_channel(v1::CHANNEL_EMAIL);
  *r.mutable_complainant() = command.request.complainant();  // e-mail only: nothing to normalise
  r.set_content("电梯困人 in building 5");
  *r.mutable_location() = command.request.location();
  *r.mutable_occurred_at() = command.request.occurred_at();
  r.set_idempotency_key("mail-gateway-42");
  v1::Envelope classified;
  *classified.mutable_classified() = classifier_.Classify(command.request);
  ASSERT_EQ(classified.classified().category(), "safety");
  ASSERT_EQ(classified.classified().priority(), v1::PRIORITY_P1);

  Given(decider_, {}).When(command).Then({received, classified});
}

TEST_F(IntakeDeciderTest, HiddenCharactersAreRemovedBeforeClassification) {
  SubmitComplaint hidden = Submission("电\u200b梯\u2066困人\u2069 in building 5");
  const auto events = Given(decider_, {}).When(hidden).ThenEvents();
  ASSERT_FALSE(events.empty());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].received().content(), "电梯困人 in building 5");
  EXPECT_EQ(events[1].classified().category(), "safety");
  EXPECT_EQ(events[1].classified().priority(), v1::PRIORITY_P1);
}

TEST_F(IntakeDeciderTest, ControlCharactersRefuseTheSubmission) {
  Given(decider_, {})
      .When(Submission("电梯困人\x1b[2J"))
      .ThenError(absl::StatusCode::kInvalidArgument, "content: control character U+001B");
}

TEST_F(IntakeDeciderTest, PhoneIsRecordedInE164AndIdCardCheckInUpperCase) {
  SubmitComplaint command = Submission("漏水");
  command.request.mutable_complainant()->set_phone("021 6234 5678");
  command.request.mutable_complainant()->set_identity_type(v1::IDENTITY_TYPE_RESIDENT_ID_CARD);
  command.request.mutable_complainant()->set_identity_number("11010519491231002x");
  const auto events = Given(decider_, {}).When(command).ThenEvents();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].received().complainant().phone(), "+862162345678");
  EXPECT_EQ(events[0].received().complainant().identity_number(), "11010519491231002X");
}

TEST_F(IntakeDeciderTest, MissingOccurredAtDefaultsToTimeOfReceipt) {
  SubmitComplaint command = Submission("漏水");
  command.request.clear_occurred_at();
  const auto events = Given(decider_, {}).When(command).ThenEvents();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(FromProto(events[0].received().occurred_at()), kNow);
}

TEST_F(IntakeDeciderTest, StaffReclassifyWithAReasonKeepingWhatTheyDoNotChange) {
  v1::Envelope classified = complaints::testing::Classified("C1", "noise", v1::PRIORITY_P3);
  classified.mutable_classified()->set_complexity(v1::COMPLEXITY_SIMPLE);
  v1::Envelope expected;
  v1::ComplaintReclassified& change = *expected.mutable_reclassified();
  change.set_category("plumbing");
  change.set_priority(v1::PRIORITY_P3);
  change.set_complexity(v1::COMPLEXITY_COMPLEX);
  change.set_reason("the noise is a knocking water pipe");
  change.set_previous_category("noise");
  change.set_previous_priority(v1::PRIORITY_P3);
  change.set_previous_complexity(v1::COMPLEXITY_SIMPLE);
  Given(decider_, {complaints::testing::Received("C1"), classified})
      .When(ReclassifyComplaint{"C1", "plumbing", v1::PRIORITY_UNSPECIFIED, v1::COMPLEXITY_COMPLEX,
                                "the noise is a knocking water pipe"})
      .Then({expected});
}

TEST_F(IntakeDeciderTest, ReclassificationIsCheckedAndIdempotent) {
  const std::vector<v1::Envelope> history = {
      complaints::testing::Received("C1"),
      complaints::testing::Classified("C1", "noise", v1::PRIORITY_P3)};
  Given(decider_, {})
      .When(ReclassifyComplaint{"C9", "noise", {}, {}, "x"})
      .ThenError(absl::StatusCode::kNotFound, "C9");
  Given(decider_, history)
      .When(ReclassifyComplaint{"C1", "gardening", {}, {}, "x"})
      .ThenError(absl::StatusCode::kInvalidArgument, "category: unknown category \"gardening\"");
  Given(decider_, history)
      .When(ReclassifyComplaint{"C1", "plumbing", {}, {}, " "})
      .ThenError(absl::StatusCode::kInvalidArgument, "reason");
  Given(decider_, history)
      .When(ReclassifyComplaint{"C1", "noise", v1::PRIORITY_P3, {}, "no change"})
      .Then({});
}

TEST_F(IntakeDeciderTest, Section21EveryChannelIsRecorded) {
  for (v1::Channel channel : {v1::CHANNEL_PHONE, v1::CHANNEL_EMAIL, v1::CHANNEL_LETTER,
                              v1::CHANNEL_WALK_IN, v1::CHANNEL_APP}) {
    SubmitComplaint command = Submission("漏水");
    command.request.set_channel(channel);
    const auto events = Given(decider_, {}).When(command).ThenEvents();
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events[0].received().channel(), channel);
  }
}

TEST_F(IntakeDeciderTest, Section22EvidenceArrivesLaterAndIsChecked) {
  v1::Attachment photo;
  photo.set_name("ceiling.jpg");
  photo.set_sha256(std::string(64, 'b'));
  photo.set_size_bytes(120'000);
  photo.set_media_type("image/jpeg");
  v1::Envelope expected;
  *expected.mutable_evidence_attached()->mutable_attachment() = photo;
  expected.mutable_evidence_attached()->set_description("stain after the rain");
  Given(decider_, {complaints::testing::Received("C1")})
      .When(AttachEvidence{"C1", photo, "stain after the rain"})
      .Then({expected});
  photo.set_media_type("application/x-msdownload");
  Given(decider_, {complaints::testing::Received("C1")})
      .When(AttachEvidence{"C1", photo, ""})
      .ThenError(absl::StatusCode::kInvalidArgument, "attachment.media_type");
  Given(decider_, {})
      .When(AttachEvidence{"C9", photo, ""})
      .ThenError(absl::StatusCode::kNotFound, "C9");
}

TEST_F(IntakeDeciderTest, Section42ErasureRequestIsRecordedOnce) {
  v1::Envelope expected;
  expected.mutable_erasure_requested()->set_reason("moving away");
  Given(decider_, {complaints::testing::Received("C1")})
      .When(RequestErasure{"C1", "moving away"})
      .Then({expected});
  v1::Envelope requested = complaints::testing::Received("C1", 2);
  requested.clear_received();
  requested.mutable_erasure_requested();
  Given(decider_, {complaints::testing::Received("C1"), requested})
      .When(RequestErasure{"C1", "again"})
      .Then({});
}

TEST_F(IntakeDeciderTest, WithdrawalIsRecordedOnceAndStopsReclassification) {
  v1::Envelope expected;
  expected.mutable_withdrawn()->set_reason("the landlord fixed it");
  Given(decider_, {complaints::testing::Received("C1")})
      .When(WithdrawComplaint{"C1", "the landlord fixed it"})
      .Then({expected});
  Given(decider_, {complaints::testing::Received("C1")})
      .When(WithdrawComplaint{"C1", " "})
      .ThenError(absl::StatusCode::kInvalidArgument, "reason");
  Given(decider_, {})
      .When(WithdrawComplaint{"C9", "x"})
      .ThenError(absl::StatusCode::kNotFound, "C9");
  v1::Envelope withdrawn = complaints::testing::Received("C1", 2);
  withdrawn.clear_received();
  withdrawn.mutable_withdrawn()->set_reason("the landlord fixed it");
  Given(decider_, {complaints::testing::Received("C1"), withdrawn})
      .When(WithdrawComplaint{"C1", "again"})
      .Then({});
  Given(decider_, {complaints::testing::Received("C1"), withdrawn})
      .When(ReclassifyComplaint{"C1", "", v1::PRIORITY_P1, v1::COMPLEXITY_UNSPECIFIED, "worse"})
      .ThenError(absl::StatusCode::kFailedPrecondition, "C1 is withdrawn");
}

TEST_F(IntakeDeciderTest, AComplaintTheCallBackEndedCannotBeWithdrawn) {
  v1::Envelope ended = complaints::testing::Received("C1", 2);
  ended.clear_received();
  ended.mutable_verification_recorded()->set_outcome(v1::VERIFICATION_OUTCOME_ALREADY_RESOLVED);
  Given(decider_, {complaints::testing::Received("C1"), ended})
      .When(WithdrawComplaint{"C1", "never mind"})
      .ThenError(absl::StatusCode::kFailedPrecondition,
                 "ended by its call-back already (already_resolved)");
}

TEST_F(IntakeDeciderTest, ComplaintAlreadyReceivedDecidesNothing) {
  Given(decider_, {complaints::testing::Received("C1")}).When(Submission("漏水")).Then({});
}

TEST_F(IntakeDeciderTest, InvalidSubmissionIsRefusedNamingTheField) {
  SubmitComplaint command = Submission("漏水");
  command.request.mutable_complainant()->set_email("not-an-address");
  Given(decider_, {})
      .When(command)
      .ThenError(absl::StatusCode::kInvalidArgument, "complainant.email");
}

}  // namespace
}  // namespace complaints::intake

namespace complaints::intake {
namespace {

ImportCase Imported(const std::string& category) {
  v1::ImportCaseRequest request;
  request.set_channel(v1::CHANNEL_PHONE);
  request.set_content("电梯困人 in building 5");
  request.mutable_location()->set_community("Sunshine Garden");
  request.set_category(category);
  v1::HistoricalCase& history = *request.mutable_history();
  history.set_source_system("hotline");
  history.set_source_id("2011-0042");
  *history.mutable_opened_at() = ToProto(absl::FromUnixSeconds(1'298'989'677));
  history.set_department("engineering");
  absl::StatusOr<ImportedCase> imported = CleanImport(request, kNow);
  EXPECT_TRUE(imported.ok()) << imported.status();
  return ImportCase{imported.ok() ? *imported : ImportedCase{}};
}

TEST_F(IntakeDeciderTest, AnImportIsReceivedAndClassifiedAtItsOpeningWithItsHistory) {
  const ImportCase command = Imported("Elevator (old system)");
  const auto events = Given(decider_, {}).When(command).ThenEvents();
  ASSERT_FALSE(events.empty());
  ASSERT_EQ(events.size(), 2u);
  const absl::Time opened = absl::FromUnixSeconds(1'298'989'677);
  for (const v1::Envelope& event : events) {
    EXPECT_EQ(FromProto(event.occurred_at()), opened);
    EXPECT_EQ(FromProto(event.recorded_at()), opened);
  }
  const v1::ComplaintReceived& received = events[0].received();
  EXPECT_EQ(received.history().source_id(), "2011-0042");
  EXPECT_EQ(FromProto(received.history().imported_at()), kNow);
  EXPECT_EQ(received.complainant().ByteSizeLong(), 0u);  // nobody named
  const v1::ComplaintClassified& classified = events[1].classified();
  EXPECT_EQ(classified.category(), "Elevator (old system)");
  EXPECT_EQ(classified.rule().id(), kImportRule);
  // Urgency and priority still come from the text: someone trapped is P1.
  EXPECT_EQ(classified.priority(), v1::PRIORITY_P1);
}

TEST_F(IntakeDeciderTest, AnImportWithoutACategoryIsClassifiedByTheRules) {
  const auto events = Given(decider_, {}).When(Imported("")).ThenEvents();
  ASSERT_FALSE(events.empty());
  EXPECT_NE(events[1].classified().rule().id(), kImportRule);
  EXPECT_FALSE(events[1].classified().category().empty());
}

TEST_F(IntakeDeciderTest, AnImportAlreadyReceivedDecidesNothing) {
  Given(decider_, {complaints::testing::Received("C1")}).When(Imported("x")).Then({});
}

}  // namespace
}  // namespace complaints::intake
