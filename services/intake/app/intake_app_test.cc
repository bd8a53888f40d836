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
#include "services/intake/app/intake_service.h"
#include "services/intake/domain/evidence.h"
#include "services/intake/domain/test_rules.h"

namespace complaints::intake {
namespace {

using namespace complaints::testing;

class IntakeAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = *Store::Open(dir_.Sub("db"));
    outbox_ = *Outbox::Open(store_.get());
    app_ = std::make_unique<IntakeApp>(
        IntakeAppOptions{.parts = {store_.get(), outbox_.get(), nullptr, &clock_},
                         .ids = &ids_,
                         .classifier = &classifier_,
                         .verification = &verification_});
    service_ = std::make_unique<IntakeService>(app_.get(), &limiter_);
    host_ = *ServiceHost::Start("127.0.0.1:0", {service_.get()});
    stub_ = v1::IntakeService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(host_->port()), grpc::InsecureChannelCredentials()));
  }

  v1::SubmitComplaintRequest Request(const std::string& key) {
    v1::SubmitComplaintRequest request;
    request.set_idempotency_key(key);
    request.set_channel(v1::CHANNEL_PHONE);
    request.mutable_complainant()->set_name("张伟");
    request.mutable_complainant()->set_phone("13800138000");
    request.set_content("楼上漏水到我家厨房");
    request.mutable_location()->set_community("阳光花园");
    request.mutable_location()->set_building("3");
    request.mutable_location()->set_unit("1102");
    *request.mutable_occurred_at() = ToProto(clock_.Now() - absl::Hours(1));
    return request;
  }

  grpc::Status Submit(const v1::SubmitComplaintRequest& request, v1::SubmitComplaintResponse* out) {
    grpc::ClientContext context;
    return stub_->SubmitComplaint(&context, request, out);
  }

  int Count(Family family) {
    int n = 0;
    (void)store_->Scan(family, "", "", 1000, [&](absl::string_view, absl::string_view) {
      ++n;
      return true;
    });
    return n;
  }

  TempDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1'795'000'000)};
  RandomIdGenerator ids_{99};
  Classifier classifier_ = *Classifier::Create(TestRules());
  VerificationDecider verification_ = *VerificationDecider::Create(
      *LoadTextProto<v1::VerificationPolicy>(SourceDir() + "/config/verification.textproto"));
  std::unique_ptr<Store> store_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<IntakeApp> app_;
  RateLimiter limiter_{{.per_second = 4, .burst = 4}, &clock_};
  std::unique_ptr<IntakeService> service_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<v1::IntakeService::Stub> stub_;
};

TEST_F(IntakeAppTest, SubmitRecordsReceivedClassifiedAndTheCallBackInTheOutbox) {
  v1::SubmitComplaintResponse response;
  ASSERT_TRUE(Submit(Request("k1"), &response).ok());
  EXPECT_THAT(response.complaint_id(), ::testing::StartsWith("C"));
  EXPECT_EQ(response.category(), "plumbing");
  EXPECT_EQ(response.priority(), v1::PRIORITY_P2);
  EXPECT_FALSE(response.duplicate());
  EXPECT_EQ(Count(Family::kOutbox), 3) << "received, classified, call-back scheduled";
  EXPECT_EQ(Count(Family::kState), 1);
}

TEST_F(IntakeAppTest, RepeatedKeyReturnsTheOriginalAndRecordsNothing) {
  v1::SubmitComplaintResponse first, second;
  ASSERT_TRUE(Submit(Request("k1"), &first).ok());
  ASSERT_TRUE(Submit(Request("k1"), &second).ok());
  EXPECT_EQ(second.complaint_id(), first.complaint_id());
  EXPECT_TRUE(second.duplicate());
  EXPECT_EQ(Count(Family::kOutbox), 3);
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
  EXPECT_EQ(*app_->ExpireKeys(), 0u) << "within the 30 days";
  clock_.Advance(absl::Hours(24 * 2));
  EXPECT_EQ(*app_->ExpireKeys(), 1u);

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
  auto store = *Store::Open(rebuilt_dir.Sub("db"));
  auto outbox = *Outbox::Open(store.get());
  auto letters = *DeadLetters::Open(store.get());
  RandomIdGenerator other_ids{7};
  IntakeApp rebuilt({.parts = {store.get(), outbox.get(), letters.get(), &clock_},
                     .ids = &other_ids,
                     .classifier = &classifier_,
                     .verification = &verification_});
  rebuilt.SetAccepting(false);
  EXPECT_EQ(rebuilt.Submit(Request("k1")).status().code(), absl::StatusCode::kUnavailable)
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
    EXPECT_EQ(restored, original) << "family " << static_cast<int>(family);
  }
  EXPECT_EQ(letters->total(), 0u);
  EXPECT_EQ(outbox->depth(), 0u) << "a read-back publishes nothing";

  absl::StatusOr<v1::SubmitComplaintResponse> again = rebuilt.Submit(Request("k3"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->duplicate());
  EXPECT_EQ(again->complaint_id(), first.complaint_id());
}

// Sends `bytes` as the SubmitComplaint request, bypassing the generated client.
grpc::Status SubmitRaw(int port, const std::string& bytes) {
  grpc::GenericStub stub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
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
  auto store = *Store::Open(dir.Sub("db"));
  auto outbox = *Outbox::Open(store.get());
  IntakeApp app({.parts = {store.get(), outbox.get(), nullptr, &clock},
                 .ids = &ids,
                 .classifier = &classifier,
                 .outbox_high_water = 2});
  RateLimiter limiter({.per_second = 0, .burst = 0}, &clock);
  IntakeService service(&app, &limiter);
  auto host = *ServiceHost::Start("127.0.0.1:0", {&service});
  auto stub = v1::IntakeService::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(host->port()), grpc::InsecureChannelCredentials()));
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

// A staff call as `actor` (x-actor-id metadata).
std::unique_ptr<grpc::ClientContext> As(const std::string& actor) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("x-actor-id", actor);
  context->AddMetadata("x-actor-role", "clerk");
  return context;
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
  ASSERT_TRUE(stub_
                  ->RecordVerification(As("clerk-li").get(),
                                       Verification(first.complaint_id(), "v1",
                                                    v1::VERIFICATION_OUTCOME_ALREADY_RESOLVED),
                                       &answer)
                  .ok());
  EXPECT_EQ(answer.outcome().verification(), v1::VERIFICATION_OUTCOME_ALREADY_RESOLVED);
  grpc::Status other = stub_->RecordVerification(
      As("clerk-li").get(),
      Verification(first.complaint_id(), "v2", v1::VERIFICATION_OUTCOME_CONFIRMED), &answer);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(other.error_message(), "RecordVerification: complaint " + first.complaint_id() +
                                       " is verified already with another outcome");

  // Three unanswered attempts: could not be verified.
  for (int attempt = 1; attempt <= 3; ++attempt) {
    v1::RecordVerificationRequest unanswered;
    unanswered.set_idempotency_key("attempt-" + std::to_string(attempt));
    unanswered.set_complaint_id(second.complaint_id());
    unanswered.set_unanswered(true);
    ASSERT_TRUE(stub_->RecordVerification(As("clerk-li").get(), unanswered, &answer).ok());
    EXPECT_EQ(answer.outcome().unanswered_attempts(), attempt);
  }
  EXPECT_EQ(answer.outcome().verification(), v1::VERIFICATION_OUTCOME_COULD_NOT_BE_VERIFIED);
  int recorded = 0;
  for (const v1::Envelope& event : Outboxed(*store_)) {
    if (event.has_verification_recorded()) {
      ++recorded;
      EXPECT_EQ(event.actor().id(), "clerk-li");
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
  grpc::Status no_reason = stub_->Reclassify(As("clerk-li").get(), reclassify, &reclassified);
  EXPECT_EQ(no_reason.error_message(), "reason: required");
  EXPECT_EQ(stub_->Reclassify(As("").get(), reclassify, &reclassified).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Outboxed(*store_).size(), events) << "refusals record nothing";
  reclassify.set_reason("water is reaching the electrics");
  ASSERT_TRUE(stub_->Reclassify(As("clerk-li").get(), reclassify, &reclassified).ok());
  const v1::Envelope changed = Outboxed(*store_).back();
  ASSERT_TRUE(changed.has_reclassified());
  EXPECT_EQ(changed.reclassified().priority(), v1::PRIORITY_P1);
  EXPECT_EQ(changed.reclassified().previous_priority(), v1::PRIORITY_P2);

  v1::RequestErasureRequest erase;
  erase.set_idempotency_key("e1");
  erase.set_complaint_id(submitted.complaint_id());
  erase.set_reason("the complainant asked by letter of 26 November");
  v1::RequestErasureResponse erased;
  ASSERT_TRUE(stub_->RequestErasure(As("clerk-li").get(), erase, &erased).ok());
  EXPECT_TRUE(Outboxed(*store_).back().has_erasure_requested());
  erase.set_complaint_id("C404");
  erase.set_idempotency_key("e2");
  EXPECT_EQ(stub_->RequestErasure(As("clerk-li").get(), erase, &erased).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(IntakeAppTest, AWithdrawalIsRecordedOnceAndRefusesLaterCallBacks) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(Request("k1"), &submitted).ok());
  v1::WithdrawRequest withdraw;
  withdraw.set_idempotency_key("w1");
  withdraw.set_complaint_id(submitted.complaint_id());
  v1::WithdrawResponse answer;
  EXPECT_EQ(stub_->Withdraw(As("clerk-li").get(), withdraw, &answer).error_message(),
            "reason: required");
  withdraw.set_reason("the caretaker fixed it this morning");
  ASSERT_TRUE(stub_->Withdraw(As("clerk-li").get(), withdraw, &answer).ok());
  const size_t events = Outboxed(*store_).size();
  const v1::Envelope withdrawn = Outboxed(*store_).back();
  ASSERT_TRUE(withdrawn.has_withdrawn());
  EXPECT_EQ(withdrawn.withdrawn().reason(), "the caretaker fixed it this morning");
  EXPECT_EQ(withdrawn.actor().id(), "clerk-li");
  // The same key answers again without recording; a new key records nothing new.
  ASSERT_TRUE(stub_->Withdraw(As("clerk-li").get(), withdraw, &answer).ok());
  withdraw.set_idempotency_key("w2");
  ASSERT_TRUE(stub_->Withdraw(As("clerk-li").get(), withdraw, &answer).ok());
  EXPECT_EQ(Outboxed(*store_).size(), events);

  v1::RecordVerificationRequest verify;
  verify.set_idempotency_key("v1");
  verify.set_complaint_id(submitted.complaint_id());
  verify.set_outcome(v1::VERIFICATION_OUTCOME_CONFIRMED);
  verify.set_explanation("confirmed by phone");
  v1::RecordVerificationResponse verified;
  const grpc::Status late = stub_->RecordVerification(As("clerk-li").get(), verify, &verified);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(late.error_message().find("is withdrawn"), std::string::npos) << late.error_message();
  EXPECT_EQ(Outboxed(*store_).size(), events);
}

// A JPEG-looking file of `size` bytes (the magic number, then a pattern).
std::string Photo(size_t size) {
  std::string bytes = "\xFF\xD8\xFF\xE0";
  while (bytes.size() < size) bytes += static_cast<char>(bytes.size() % 253);
  return bytes;
}

class EvidenceTest : public IntakeAppTest {
 protected:
  // Uploads `bytes` in chunks of `chunk` bytes as `key`.
  grpc::Status Upload(const std::string& complaint_id, const std::string& key,
                      const std::string& name, const std::string& bytes,
                      v1::AttachEvidenceResponse* answer, size_t chunk = 100 * 1024) {
    auto context = As("clerk-li");
    auto writer = stub_->AttachEvidence(context.get(), answer);
    v1::AttachEvidenceRequest part;
    part.mutable_header()->set_idempotency_key(key);
    part.mutable_header()->set_complaint_id(complaint_id);
    part.mutable_header()->set_name(name);
    part.mutable_header()->set_description("the ceiling after the rain");
    writer->Write(part);
    for (size_t at = 0; at < bytes.size(); at += chunk) {
      part.set_chunk(bytes.substr(at, chunk));
      if (!writer->Write(part)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  // The file's bytes as GetEvidence streams them; its metadata in `attachment`.
  grpc::Status Download(const std::string& complaint_id, const std::string& sha256,
                        std::string* bytes, v1::Attachment* attachment, int* messages) {
    auto context = As("handler-wang");
    v1::GetEvidenceRequest request;
    request.set_complaint_id(complaint_id);
    request.set_sha256(sha256);
    auto reader = stub_->GetEvidence(context.get(), request);
    v1::GetEvidenceResponse message;
    *messages = 0;
    while (reader->Read(&message)) {
      if (*messages == 0) *attachment = message.attachment();
      bytes->append(message.chunk());
      ++*messages;
    }
    return reader->Finish();
  }

  std::vector<OutboxRecord> EvidenceRecords() {
    std::vector<OutboxRecord> records;
    (void)store_->Scan(Family::kOutbox, "", "", SIZE_MAX,
                       [&](absl::string_view, absl::string_view value) {
                         OutboxRecord record = *Outbox::DecodeValue(value);
                         if (record.topic == topics::kEvidence) records.push_back(record);
                         return true;
                       });
    return records;
  }
};

TEST_F(EvidenceTest, AnUploadIsKeptChunkedOnItsTopicAndComesBackByteForByte) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(Request("k1"), &submitted).ok());
  const std::string photo = Photo(600 * 1024);  // four records of 192 KiB at most
  v1::AttachEvidenceResponse answer;
  const grpc::Status uploaded =
      Upload(submitted.complaint_id(), "ev-1", "IMG_2041.heic", photo, &answer);
  ASSERT_TRUE(uploaded.ok()) << uploaded.error_message();
  EXPECT_EQ(answer.attachment().media_type(), "image/jpeg") << "read from the bytes, not the name";
  EXPECT_EQ(answer.attachment().size_bytes(), 600 * 1024);
  EXPECT_EQ(answer.attachment().sha256(), Sha256Hex(photo));

  const v1::Envelope event = Outboxed(*store_).back();
  ASSERT_TRUE(event.has_evidence_attached());
  EXPECT_EQ(event.evidence_attached().attachment().sha256(), Sha256Hex(photo));
  EXPECT_EQ(event.actor().id(), "clerk-li");
  std::vector<OutboxRecord> records = EvidenceRecords();
  ASSERT_EQ(records.size(), 4u);
  std::string joined;
  for (const OutboxRecord& record : records) {
    EXPECT_EQ(record.key, submitted.complaint_id());
    EXPECT_LE(record.payload.size(), outbox_->max_record_bytes());
    v1::EvidenceChunk chunk;
    ASSERT_TRUE(chunk.ParseFromString(record.payload));
    joined += chunk.data();
  }
  EXPECT_EQ(joined, photo);

  std::string bytes;
  v1::Attachment attachment;
  int messages = 0;
  ASSERT_TRUE(
      Download(submitted.complaint_id(), Sha256Hex(photo), &bytes, &attachment, &messages).ok());
  EXPECT_EQ(bytes, photo);
  EXPECT_EQ(messages, 4);
  EXPECT_EQ(attachment.name(), "IMG_2041.heic");

  // The same file again, under a new key, records nothing new.
  const size_t events = Outboxed(*store_).size();
  ASSERT_TRUE(Upload(submitted.complaint_id(), "ev-2", "again.jpg", photo, &answer).ok());
  EXPECT_EQ(Outboxed(*store_).size(), events);
  EXPECT_EQ(EvidenceRecords().size(), 4u);
}

TEST_F(EvidenceTest, ABadUploadIsRefusedNamingWhatIsWrongAndRecordsNothing) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(Request("k1"), &submitted).ok());
  const std::string id = submitted.complaint_id();
  const size_t events = Outboxed(*store_).size();
  v1::AttachEvidenceResponse answer;
  grpc::Status program = Upload(id, "ev-1", "photo.jpg", "MZ\x90\x00 a Windows program", &answer);
  EXPECT_EQ(program.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(program.error_message(), ::testing::HasSubstr("chunk: the content is none of"));
  EXPECT_EQ(Upload(id, "ev-2", "empty.jpg", "", &answer).error_message(),
            "chunk: the file is empty");
  grpc::Status huge =
      Upload(id, "ev-3", "huge.jpg", Photo((25 << 20) + 200 * 1024), &answer, 250 * 1024);
  EXPECT_EQ(huge.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << huge.error_message();
  EXPECT_EQ(Upload(id, "ev-4", "", Photo(1000), &answer).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Upload("C404", "ev-5", "a.jpg", Photo(1000), &answer).error_code(),
            grpc::StatusCode::NOT_FOUND);
  {
    grpc::ClientContext anonymous;
    auto writer = stub_->AttachEvidence(&anonymous, &answer);
    writer->WritesDone();
    EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    auto context = As("clerk-li");
    auto writer = stub_->AttachEvidence(context.get(), &answer);
    v1::AttachEvidenceRequest chunk;
    chunk.set_chunk(Photo(100));
    writer->Write(chunk);
    writer->WritesDone();
    EXPECT_EQ(writer->Finish().error_message(), "header: the first message must carry it");
  }
  EXPECT_EQ(Outboxed(*store_).size(), events);
  EXPECT_TRUE(EvidenceRecords().empty());

  std::string bytes;
  v1::Attachment attachment;
  int messages = 0;
  EXPECT_EQ(Download(id, std::string(64, 'a'), &bytes, &attachment, &messages).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Download(id, "short", &bytes, &attachment, &messages).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(EvidenceTest, TheTopicsRecordsRestoreTheFilesOfADeletedStore) {
  v1::SubmitComplaintResponse submitted;
  ASSERT_TRUE(Submit(Request("k1"), &submitted).ok());
  const std::string photo = Photo(300 * 1024);
  v1::AttachEvidenceResponse answer;
  ASSERT_TRUE(Upload(submitted.complaint_id(), "ev-1", "a.jpg", photo, &answer).ok());
  std::vector<ConsumedRecord> consumed;
  for (const OutboxRecord& record : EvidenceRecords()) {
    consumed.push_back(
        {record.topic, 0, static_cast<int64_t>(consumed.size()), record.key, record.payload});
  }
  consumed.push_back({std::string(topics::kEvidence), 0, 2, "C1", "\xff garbage"});
  v1::EvidenceChunk forged = ChunkEvidence("C1", Sha256Hex("x"), "x")[0];
  consumed.push_back({std::string(topics::kEvidence), 0, 3, "C2", forged.SerializeAsString()});

  TempDir other;
  auto store = *Store::Open(other.Sub("db"));
  auto outbox = *Outbox::Open(store.get());
  auto dead_letters = *DeadLetters::Open(store.get());
  IntakeApp rebuilt(
      IntakeAppOptions{.parts = {store.get(), outbox.get(), dead_letters.get(), &clock_},
                       .ids = &ids_,
                       .classifier = &classifier_,
                       .verification = &verification_});
  ASSERT_TRUE(rebuilt.ApplyEvidence(consumed).ok());
  std::string bytes;
  v1::GetEvidenceRequest request;
  request.set_complaint_id(submitted.complaint_id());
  request.set_sha256(Sha256Hex(photo));
  ASSERT_TRUE(rebuilt
                  .GetEvidence(request,
                               [&](const v1::GetEvidenceResponse& message) {
                                 bytes += message.chunk();
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(bytes, photo);
  EXPECT_EQ(dead_letters->by_kind(),
            (std::map<std::string, uint64_t>{{"DEAD_LETTER_KIND_UNDECODABLE", 1},
                                             {"DEAD_LETTER_KIND_FAILED_CHECK", 1}}));
  EXPECT_EQ(*store->Get(Family::kOffsets, OffsetKey(topics::kEvidence, 0)), "4");

  // A later record naming the same file with other bytes changes nothing.
  v1::EvidenceChunk altered;
  ASSERT_TRUE(altered.ParseFromString(consumed[0].payload));
  altered.set_data(Photo(altered.data().size() - 1) + "!");
  ASSERT_TRUE(rebuilt
                  .ApplyEvidence({{std::string(topics::kEvidence), 0, 4, submitted.complaint_id(),
                                   altered.SerializeAsString()}})
                  .ok());
  std::string again;
  ASSERT_TRUE(rebuilt
                  .GetEvidence(request,
                               [&](const v1::GetEvidenceResponse& message) {
                                 again += message.chunk();
                                 return true;
                               })
                  .ok());
  EXPECT_TRUE(again == photo) << "the kept bytes stay";
}

}  // namespace
}  // namespace complaints::intake
