// The intake shell over a real gRPC channel and real RocksDB.
#include "services/intake/app/intake_app.h"

#include "absl/synchronization/notification.h"
#include "complaints/v1/intake.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/core/config.h"
#include "libs/core/time_util.h"
#include "libs/runner/dead_letters.h"
#include "libs/runner/records.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/server/host.h"
#include "libs/testing/fake_clock.h"
#include "libs/testing/temp_dir.h"
#include "services/intake/app/intake_families.h"
#include "services/intake/app/intake_service.h"
#include "services/intake/app/test_intake.h"
#include "services/intake/domain/evidence.h"
#include "services/intake/domain/test_rules.h"

namespace complaints::intake {
namespace {

using namespace complaints::testing;

TEST_F(IntakeAppTest, SubmitRecordsReceivedClassifiedAndTheCallBackInTheOutbox) {
  v1::SubmitComplaintResponse response;
  ASSERT_TRUE(Submit(Request("k1"), &response).ok());
  EXPECT_THAT(response.complaint_id(), ::testing::StartsWith("C"));
  EXPECT_EQ(response.category(), "plumbing");
  EXPECT_EQ(response.priority(), v1::PRIORITY_P2);
  EXPECT_FALSE(response.duplicate());
  EXPECT_EQ(Count(Family::kOutbox), 4)
      << "the complainant's new data key, received, classified, call-back scheduled";
  EXPECT_EQ(Count(Family::kState), 1);
}

TEST_F(IntakeAppTest, RepeatedKeyReturnsTheOriginalAndRecordsNothing) {
  v1::SubmitComplaintResponse first, second;
  ASSERT_TRUE(Submit(Request("k1"), &first).ok());
  ASSERT_TRUE(Submit(Request("k1"), &second).ok());
  EXPECT_EQ(second.complaint_id(), first.complaint_id());
  EXPECT_TRUE(second.duplicate());
  EXPECT_EQ(Count(Family::kOutbox), 4);
}

TEST_F(IntakeAppTest, KeyReusedForADifferentRequestIsAlreadyExists) {
  v1::SubmitComplaintResponse response;
  ASSERT_TRUE(Submit(Request("k1"), &response).ok());
  v1::SubmitComplaintRequest other = Request("k1");
  other.set_content("noise at night");
  grpc::Status status = Submit(other, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("idempotency_key"));
}

TEST_F(IntakeAppTest, InvalidRequestIsInvalidArgumentAndLeavesNoTrace) {
  v1::SubmitComplaintRequest request = Request("k2");
  request.mutable_complainant()->set_phone("not a phone");
  v1::SubmitComplaintResponse response;
  grpc::Status status = Submit(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("complainant.phone"));
  EXPECT_EQ(Count(Family::kOutbox), 0);
  EXPECT_EQ(Count(Family::kState), 0);
  EXPECT_EQ(Count(Family::kIdempotency), 0);
}

TEST_F(IntakeAppTest, ClientKeysExpireAfterTheRetentionImportKeysNever) {
  v1::SubmitComplaintResponse first, imported;
  ASSERT_TRUE(Submit(Request("client-1"), &first).ok());
  const v1::SubmitComplaintRequest import_row = Request("import:old-system.csv:17");
  ASSERT_TRUE(Submit(import_row, &imported).ok());
  clock_.Advance(absl::Hours(24 * 29));
  EXPECT_EQ(*app_->commands().ExpireKeys(), 0u) << "within the 30 days";
  clock_.Advance(absl::Hours(24 * 2));
  EXPECT_EQ(*app_->commands().ExpireKeys(), 1u);

  v1::SubmitComplaintResponse again, reimported;
  v1::SubmitComplaintRequest later = Request("client-1");
  *later.mutable_occurred_at() = ToProto(clock_.Now() - absl::Hours(1));
  ASSERT_TRUE(Submit(later, &again).ok());
  EXPECT_FALSE(again.duplicate()) << "an expired key is a new complaint";
  EXPECT_NE(again.complaint_id(), first.complaint_id());
  ASSERT_TRUE(Submit(import_row, &reimported).ok());
  EXPECT_TRUE(reimported.duplicate()) << "another system's record id never expires";
  EXPECT_EQ(reimported.complaint_id(), imported.complaint_id());
}

TEST_F(IntakeAppTest, AStoreRebuiltFromTheOwnTopicKnowsEveryComplaintAndKey) {
  v1::SubmitComplaintResponse first;
  ASSERT_TRUE(Submit(Request("k1"), &first).ok());
  ASSERT_TRUE(Submit(Request("k2"), &first).ok());
  ASSERT_TRUE(Submit(Request("k3"), &first).ok());

  // What the relay published, read back by an intake whose store was deleted.
  TempDir rebuilt_dir;
  auto store = *Store::Open(rebuilt_dir.Sub("db"), Store::kDefaultPartitions, intake::kFamilies);
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE));
  auto letters = *DeadLetters::Open(store.get());
  RandomIdGenerator other_ids{7};
  DataKeys keys(store.get(), TestKeyRing(), &clock_);
  IntakeApp rebuilt({.parts = {store.get(), outbox.get(), letters.get(), &clock_},
                     .ids = &other_ids,
                     .classifier = &classifier_,
                     .verification = &verification_,
                     .keys = &keys});
  rebuilt.SetAccepting(false);
  EXPECT_EQ(rebuilt.commands()
                .Run<v1::SubmitComplaintResponse>(Request("k1"), CallCentre())
                .status()
                .code(),
            absl::StatusCode::kUnavailable)
      << "nothing is decided before the read-back";
  std::vector<ConsumedRecord> records;
  for (const v1::Envelope& event : Outboxed(*store_)) {
    records.push_back(ConsumedOf(topics::kIntake, event, static_cast<int64_t>(records.size())));
  }
  ASSERT_TRUE(rebuilt.applier().Apply(records).ok());
  rebuilt.SetAccepting(true);

  for (Family family : {Family::kState, Family::kIdempotency, Family::kKeyExpiry}) {
    std::vector<std::pair<std::string, std::string>> original, restored;
    auto collect = [](Store& from, Family f, auto* into) {
      ASSERT_TRUE(from.Scan(f, "", "", SIZE_MAX,
                            [&](absl::string_view k, absl::string_view v) {
                              into->emplace_back(k, v);
                              return true;
                            })
                      .ok());
    };
    collect(*store_, family, &original);
    collect(*store, family, &restored);
    EXPECT_EQ(restored, original) << "family " << family.name();
  }
  EXPECT_EQ(letters->total(), 0u);
  EXPECT_EQ(outbox->depth(), 0u) << "a read-back publishes nothing";

  absl::StatusOr<v1::SubmitComplaintResponse> again =
      rebuilt.commands().Run<v1::SubmitComplaintResponse>(Request("k3"), CallCentre());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->duplicate());
  EXPECT_EQ(again->complaint_id(), first.complaint_id());
}

// Sends `bytes` as the SubmitComplaint request, bypassing the generated client.
grpc::Status SubmitRaw(int port, const std::string& bytes) {
  grpc::GenericStub stub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(port),
      complaints::testing::TestPki::Shared().Credentials("system/call-centre")));
  grpc::ClientContext context;
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1), response;
  absl::Notification done;
  grpc::Status result;
  stub.UnaryCall(&context, "/complaints.v1.IntakeService/SubmitComplaint", {}, &request, &response,
                 [&](grpc::Status status) {
                   result = std::move(status);
                   done.Notify();
                 });
  done.WaitForNotification();
  return result;
}

TEST_F(IntakeAppTest, BytesThatAreNotARequestAreInvalidArgumentWithAMessage) {
  grpc::Status status = SubmitRaw(host_->port(), "\xff\xff\xff\xff garbage");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              ::testing::HasSubstr("request: not a valid complaints.v1.SubmitComplaintRequest"));
  EXPECT_EQ(Count(Family::kOutbox), 0);
}

TEST_F(IntakeAppTest, AStringThatIsNotUtf8IsInvalidArgument) {
  std::string bytes = Request("k3").SerializeAsString();
  bytes += std::string("\x22\x02\xff\xfe", 4);  // content (field 4) = 0xFF 0xFE
  grpc::Status status = SubmitRaw(host_->port(), bytes);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("not UTF-8"));
  EXPECT_EQ(Count(Family::kOutbox), 0);
}

TEST_F(IntakeAppTest, ARequestOverTheCeilingIsRefusedBeforeAnythingIsRecorded) {
  v1::SubmitComplaintRequest request = Request("k4");
  request.mutable_complainant()->set_email(std::string(1'200'000, 'a') + "@example.cn");
  v1::SubmitComplaintResponse response;
  grpc::Status status = Submit(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_EQ(Count(Family::kOutbox), 0);
  EXPECT_EQ(Count(Family::kIdempotency), 0);
}

TEST_F(IntakeAppTest, ANoisyClientIsHeldToItsRate) {
  v1::SubmitComplaintResponse response;
  int refused = 0;
  for (int i = 0; i < 5; ++i) {
    grpc::Status status = Submit(Request("rate-" + std::to_string(i)), &response);
    if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      ++refused;
      EXPECT_THAT(status.error_message(), ::testing::HasSubstr("rate limit"));
    }
  }
  EXPECT_EQ(refused, 1) << "a burst of 4, the clock does not move";
  EXPECT_EQ(Count(Family::kIdempotency), 4);
}

TEST(IntakeAppHighWater, AFullOutboxRefusesWithUnavailableAndAPushBack) {
  TempDir dir;
  FakeClock clock{absl::FromUnixSeconds(1'795'000'000)};
  RandomIdGenerator ids{7};
  Classifier classifier = *Classifier::Create(TestRules());
  auto store = *Store::Open(dir.Sub("db"), Store::kDefaultPartitions, intake::kFamilies);
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE));
  DataKeys keys(store.get(), TestKeyRing(), &clock);
  IntakeApp app({.parts = {store.get(), outbox.get(), nullptr, &clock},
                 .ids = &ids,
                 .classifier = &classifier,
                 .keys = &keys,
                 .outbox_high_water = 2});
  RateLimiter limiter({.per_second = 0, .burst = 0}, &clock);
  IntakeService service(&app, &limiter);
  auto security = complaints::testing::TestPki::Shared().Server("service/intake");
  auto host = *ServiceHost::Start("127.0.0.1:0", {&service}, security.get());
  auto stub = v1::IntakeService::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(host->port()),
      complaints::testing::TestPki::Shared().Credentials("system/call-centre")));
  v1::SubmitComplaintRequest request;
  request.set_idempotency_key("hw-1");
  request.set_channel(v1::CHANNEL_PHONE);
  request.mutable_complainant()->set_name("张伟");
  request.mutable_complainant()->set_phone("13800138000");
  request.set_content("漏水");
  request.mutable_location()->set_community("阳光花园");
  v1::SubmitComplaintResponse response;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->SubmitComplaint(&context, request, &response).ok());
  }
  request.set_idempotency_key("hw-2");
  grpc::ClientContext context;
  grpc::Status status = stub->SubmitComplaint(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("high-water mark"));
  auto pushback = context.GetServerTrailingMetadata().find("grpc-retry-pushback-ms");
  ASSERT_NE(pushback, context.GetServerTrailingMetadata().end());
  EXPECT_EQ(std::string(pushback->second.data(), pushback->second.size()), "1000");
}

v1::RecordVerificationRequest Verification(const std::string& id, const std::string& key,
                                           v1::VerificationOutcome outcome) {
  v1::RecordVerificationRequest request;
  request.set_idempotency_key(key);
  request.set_complaint_id(id);
  request.set_outcome(outcome);
  request.set_explanation("called back at 10:05");
  return request;
}

TEST_F(IntakeAppTest, Section24CallBackAttemptsAndOutcomesAreRecordedOnce) {
  v1::SubmitComplaintResponse first, second;
  ASSERT_TRUE(Submit(Request("k1"), &first).ok());
  ASSERT_TRUE(Submit(Request("k2"), &second).ok());

  v1::RecordVerificationResponse answer;
  ASSERT_TRUE(As("staff/li")
                  ->RecordVerification(Call().get(),
                                       Verification(first.complaint_id(), "v1",
                                                    v1::VERIFICATION_OUTCOME_ALREADY_RESOLVED),
                                       &answer)
                  .ok());
  EXPECT_EQ(answer.outcome().verification(), v1::VERIFICATION_OUTCOME_ALREADY_RESOLVED);
  grpc::Status other = As("staff/li")
                           ->RecordVerification(Call().get(),
                                                Verification(first.complaint_id(), "v2",
                                                             v1::VERIFICATION_OUTCOME_CONFIRMED),
                                                &answer);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(other.error_message(), "RecordVerification: complaint " + first.complaint_id() +
                                       " is verified already with another outcome");

  // Three unanswered attempts: could not be verified.
  for (int attempt = 1; attempt <= 3; ++attempt) {
    v1::RecordVerificationRequest unanswered;
    unanswered.set_idempotency_key("attempt-" + std::to_string(attempt));
    unanswered.set_complaint_id(second.complaint_id());
    unanswered.set_unanswered(true);
    ASSERT_TRUE(As("staff/li")->RecordVerification(Call().get(), unanswered, &answer).ok());
    EXPECT_EQ(answer.outcome().unanswered_attempts(), attempt);
  }
  EXPECT_EQ(answer.outcome().verification(), v1::VERIFICATION_OUTCOME_COULD_NOT_BE_VERIFIED);
  int recorded = 0;
  for (const v1::Envelope& event : Outboxed(*store_)) {
    if (event.has_verification_recorded()) {
      ++recorded;
      EXPECT_EQ(event.actor().id(), "li");
    }
  }
  EXPECT_EQ(recorded, 2);
}

TEST_F(IntakeAppTest, StaffReclassifyAndErasureRequestsAreRecordedWithTheirReasons) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(Request("k1"), &submitted).ok());
  const size_t events = Outboxed(*store_).size();
  v1::ReclassifyRequest reclassify;
  reclassify.set_idempotency_key("r1");
  reclassify.set_complaint_id(submitted.complaint_id());
  reclassify.set_priority(v1::PRIORITY_P1);
  v1::ReclassifyResponse reclassified;
  grpc::Status no_reason =
      As("staff/duty.supervisor")->Reclassify(Call().get(), reclassify, &reclassified);
  EXPECT_EQ(no_reason.error_message(), "reason: required");
  grpc::Status clerk = As("staff/li")->Reclassify(Call().get(), reclassify, &reclassified);
  EXPECT_EQ(clerk.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(clerk.error_message(),
            "permission complaint.reclassify required (held by supervisor, manager); staff/li is "
            "clerk");
  EXPECT_EQ(Outboxed(*store_).size(), events) << "refusals record nothing";
  reclassify.set_reason("water is reaching the electrics");
  // Nobody holds it yet: not a department supervisor's to change, the duty office's.
  grpc::Status unscoped = As("staff/zhao")->Reclassify(Call().get(), reclassify, &reclassified);
  EXPECT_EQ(unscoped.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Outboxed(*store_).size(), events);
  ASSERT_TRUE(
      As("staff/duty.supervisor")->Reclassify(Call().get(), reclassify, &reclassified).ok());
  const v1::Envelope changed = Outboxed(*store_).back();
  ASSERT_TRUE(changed.has_reclassified());
  EXPECT_EQ(changed.reclassified().priority(), v1::PRIORITY_P1);
  EXPECT_EQ(changed.reclassified().previous_priority(), v1::PRIORITY_P2);

  v1::RequestErasureRequest erase;
  erase.set_idempotency_key("e1");
  erase.set_complaint_id(submitted.complaint_id());
  erase.set_reason("the complainant asked by letter of 26 November");
  v1::RequestErasureResponse erased;
  ASSERT_TRUE(As("staff/qian")->RequestErasure(Call().get(), erase, &erased).ok());
  EXPECT_TRUE(Outboxed(*store_).back().has_erasure_requested());
  erase.set_complaint_id("C404");
  erase.set_idempotency_key("e2");
  EXPECT_EQ(As("staff/qian")->RequestErasure(Call().get(), erase, &erased).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(IntakeAppTest, AWithdrawalIsRecordedOnceAndRefusesLaterCallBacks) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(Request("k1"), &submitted).ok());
  v1::WithdrawRequest withdraw;
  withdraw.set_idempotency_key("w1");
  withdraw.set_complaint_id(submitted.complaint_id());
  v1::WithdrawResponse answer;
  EXPECT_EQ(As("staff/li")->Withdraw(Call().get(), withdraw, &answer).error_message(),
            "reason: required");
  withdraw.set_reason("the caretaker fixed it this morning");
  ASSERT_TRUE(As("staff/li")->Withdraw(Call().get(), withdraw, &answer).ok());
  const size_t events = Outboxed(*store_).size();
  const v1::Envelope withdrawn = Outboxed(*store_).back();
  ASSERT_TRUE(withdrawn.has_withdrawn());
  EXPECT_EQ(withdrawn.withdrawn().reason(), "the caretaker fixed it this morning");
  EXPECT_EQ(withdrawn.actor().id(), "li");
  // The same key answers again without recording; a new key records nothing new.
  ASSERT_TRUE(As("staff/li")->Withdraw(Call().get(), withdraw, &answer).ok());
  withdraw.set_idempotency_key("w2");
  ASSERT_TRUE(As("staff/li")->Withdraw(Call().get(), withdraw, &answer).ok());
  EXPECT_EQ(Outboxed(*store_).size(), events);

  v1::RecordVerificationRequest verify;
  verify.set_idempotency_key("v1");
  verify.set_complaint_id(submitted.complaint_id());
  verify.set_outcome(v1::VERIFICATION_OUTCOME_CONFIRMED);
  verify.set_explanation("confirmed by phone");
  v1::RecordVerificationResponse verified;
  const grpc::Status late = As("staff/li")->RecordVerification(Call().get(), verify, &verified);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(late.error_message().find("is withdrawn"), std::string::npos) << late.error_message();
  EXPECT_EQ(Outboxed(*store_).size(), events);
}

}  // namespace
}  // namespace complaints::intake
