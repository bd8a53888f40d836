// Staff commands and durable timers of the tracking shell, over a real gRPC
// channel and real RocksDB.
#include "libs/core/time_util.h"
#include "services/tracking/app/test_tracking.h"
#include "services/tracking/domain/due_timers.h"

namespace complaints::tracking {
namespace {

// When the test events say the complaints were received (Received()).
const absl::Time kReceivedAt = absl::FromUnixSeconds(1'795'654'800);  // 2026-11-26T01:00:00Z

class TrackingCommandsTest : public TrackingAppTest {
 protected:
  void SetUp() override {
    TrackingAppTest::SetUp();
    clock_.Advance(kReceivedAt - clock_.Now());
  }

  // Events of `payload` kind the outbox holds for `id`.
  int Count(const std::string& id, v1::Envelope::PayloadCase payload) {
    int count = 0;
    for (const v1::Envelope& event : Outboxed(*store_)) {
      count += event.complaint_id() == id && event.payload_case() == payload;
    }
    return count;
  }

  v1::CommandOutcome Resolve(const std::string& id, const std::string& key) {
    v1::ResolveRequest request;
    request.set_idempotency_key(key);
    request.set_complaint_id(id);
    request.set_outcome("the pipe was replaced");
    request.set_solution("new PPR pipe under the sink");
    request.set_prevention("annual check of kitchen pipes");
    v1::ResolveResponse response;
    grpc::Status status = As("staff/eng.wang")->Resolve(Call().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.outcome();
  }
  v1::CommandOutcome Communicate(const std::string& id, const std::string& key) {
    v1::RecordCommunicationRequest request;
    request.set_idempotency_key(key);
    request.set_complaint_id(id);
    request.set_channel(v1::CHANNEL_PHONE);
    v1::RecordCommunicationResponse response;
    grpc::Status status = As("staff/li")->RecordCommunication(Call().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.outcome();
  }
  v1::CommandOutcome FollowUp(const std::string& id, const std::string& key, int satisfaction) {
    v1::RecordFollowUpRequest request;
    request.set_idempotency_key(key);
    request.set_complaint_id(id);
    request.set_satisfaction(satisfaction);
    request.set_comments("still drips");
    v1::RecordFollowUpResponse response;
    grpc::Status status = As("staff/li")->RecordFollowUp(Call().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.outcome();
  }
  size_t Fire() {
    absl::StatusOr<size_t> fired = app_->FireDueTimers();
    EXPECT_TRUE(fired.ok()) << fired.status();
    return fired.value_or(0);
  }
};

TEST_F(TrackingCommandsTest, AComplaintIsWorkedFromNoteToClosingWithTheActorFromTheCertificate) {
  Open("C1");
  v1::AddNoteRequest note;
  note.set_idempotency_key("note-1");
  note.set_complaint_id("C1");
  note.set_text("visited flat 1202: the kitchen pipe leaks");
  v1::AddNoteResponse noted;
  ASSERT_TRUE(As("staff/eng.wang")->AddNote(Call().get(), note, &noted).ok());
  EXPECT_EQ(noted.outcome().status(), v1::HANDLING_STATUS_OPEN);
  EXPECT_EQ(noted.outcome().department(), "engineering");
  EXPECT_FALSE(noted.outcome().duplicate());
  const size_t events = Outboxed(*store_).size();

  v1::AddNoteResponse again;
  ASSERT_TRUE(As("staff/eng.wang")->AddNote(Call().get(), note, &again).ok());
  EXPECT_TRUE(again.outcome().duplicate());
  EXPECT_EQ(Outboxed(*store_).size(), events) << "a retry records nothing";
  note.set_text("something else");
  EXPECT_EQ(As("staff/eng.wang")->AddNote(Call().get(), note, &again).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  EXPECT_EQ(Resolve("C1", "resolve-1").status(), v1::HANDLING_STATUS_RESOLVED);
  EXPECT_EQ(Communicate("C1", "tell-1").status(), v1::HANDLING_STATUS_COMMUNICATED);
  EXPECT_EQ(FollowUp("C1", "survey-1", 2).status(), v1::HANDLING_STATUS_OPEN)
      << "unsatisfied: reopened with a new clock";
  EXPECT_EQ(Count("C1", v1::Envelope::kReopened), 1);
  EXPECT_EQ(Resolve("C1", "resolve-2").status(), v1::HANDLING_STATUS_RESOLVED);
  EXPECT_EQ(Communicate("C1", "tell-2").status(), v1::HANDLING_STATUS_COMMUNICATED);
  EXPECT_EQ(FollowUp("C1", "survey-2", 5).status(), v1::HANDLING_STATUS_CLOSED);

  for (const v1::Envelope& event : Outboxed(*store_)) {
    if (event.has_resolved()) {
      EXPECT_EQ(event.actor().id(), "eng.wang");
      EXPECT_EQ(event.actor().role(), "handler");
      EXPECT_EQ(event.origin().command(), "Resolve");
    }
    if (event.has_note_added()) {
      EXPECT_EQ(event.origin().idempotency_key(), "note-1");
    }
  }
  v1::ResolveRequest late;
  late.set_idempotency_key("resolve-3");
  late.set_complaint_id("C1");
  late.set_outcome("o");
  late.set_solution("s");
  late.set_prevention("p");
  v1::ResolveResponse refused;
  grpc::Status closed = As("staff/eng.wang")->Resolve(Call().get(), late, &refused);
  EXPECT_EQ(closed.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(closed.error_message(), "Resolve: complaint C1 is not open (it is closed)");
}

TEST_F(TrackingCommandsTest, RefusedCommandsNameTheFieldOrStateAndRecordNothing) {
  Open("C1");
  const size_t events = Outboxed(*store_).size();
  auto code_and_message = [](const grpc::Status& status) {
    return std::pair(status.error_code(), status.error_message());
  };
  v1::AddNoteRequest note;
  note.set_idempotency_key("k1");
  note.set_complaint_id("C1");
  note.set_text("ok");
  v1::AddNoteResponse noted;
  EXPECT_EQ(code_and_message(As("staff/sec.chen")->AddNote(Call().get(), note, &noted)),
            std::pair(grpc::StatusCode::PERMISSION_DENIED,
                      std::string("complaint C1 is held by engineering; a handler acts only on "
                                  "complaints held by them or their department (security)")));
  EXPECT_EQ(As("staff/he")->AddNote(Call().get(), note, &noted).error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "an analyst";
  note.set_complaint_id("C404");
  EXPECT_EQ(As("staff/eng.wang")->AddNote(Call().get(), note, &noted).error_code(),
            grpc::StatusCode::NOT_FOUND);
  note.set_complaint_id("C1");
  note.set_text("  ");
  EXPECT_EQ(code_and_message(As("staff/eng.wang")->AddNote(Call().get(), note, &noted)),
            std::pair(grpc::StatusCode::INVALID_ARGUMENT, std::string("text: required")));
  note.set_text(std::string(1001, 'x'));
  EXPECT_EQ(code_and_message(As("staff/eng.wang")->AddNote(Call().get(), note, &noted)),
            std::pair(grpc::StatusCode::INVALID_ARGUMENT,
                      std::string("text: longer than 1000 characters")));
  note.set_text("ok");
  note.clear_idempotency_key();
  EXPECT_EQ(
      code_and_message(As("staff/eng.wang")->AddNote(Call().get(), note, &noted)),
      std::pair(grpc::StatusCode::INVALID_ARGUMENT, std::string("idempotency_key: required")));

  v1::RecordFollowUpRequest survey;
  survey.set_idempotency_key("k2");
  survey.set_complaint_id("C1");
  survey.set_satisfaction(9);
  v1::RecordFollowUpResponse surveyed;
  EXPECT_EQ(code_and_message(As("staff/li")->RecordFollowUp(Call().get(), survey, &surveyed)),
            std::pair(grpc::StatusCode::INVALID_ARGUMENT, std::string("satisfaction: 1 to 5")));
  survey.set_satisfaction(4);
  grpc::Status early = As("staff/li")->RecordFollowUp(Call().get(), survey, &surveyed);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(early.error_message(),
            "RecordFollowUp: complaint C1 has no communicated result to follow up (it is open)");

  v1::RecordEvidenceRequest evidence;
  evidence.set_idempotency_key("k3");
  evidence.set_complaint_id("C1");
  evidence.mutable_attachment()->set_name("photo.jpg");
  evidence.mutable_attachment()->set_sha256("abc");
  v1::RecordEvidenceResponse recorded;
  EXPECT_EQ(
      code_and_message(As("staff/eng.wang")->RecordEvidence(Call().get(), evidence, &recorded)),
      std::pair(grpc::StatusCode::INVALID_ARGUMENT,
                std::string("attachment.sha256: must be 64 hexadecimal digits")));

  v1::RequestExtensionRequest extension;
  extension.set_idempotency_key("k4");
  extension.set_complaint_id("C1");
  extension.set_target(v1::SLA_TARGET_RESOLVE);
  extension.set_extra_minutes(99'999);
  extension.set_reason("parts on order");
  v1::RequestExtensionResponse extended;
  EXPECT_EQ(
      code_and_message(As("staff/eng.wang")->RequestExtension(Call().get(), extension, &extended)),
      std::pair(grpc::StatusCode::INVALID_ARGUMENT,
                std::string("RequestExtension: extra_minutes: 1 to 4320")));
  v1::DecideExtensionRequest decision;
  decision.set_idempotency_key("k5");
  decision.set_complaint_id("C1");
  decision.set_approve(true);
  decision.set_note("fine");
  decision.set_complainant_message("we need two more days");
  v1::DecideExtensionResponse decided;
  EXPECT_EQ(As("staff/zhao")->DecideExtension(Call().get(), decision, &decided).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Outboxed(*store_).size(), events) << "nothing refused was recorded";
}

TEST_F(TrackingCommandsTest, DueTimersFireOnceEachAcrossARestartAndStopWhileThePauseLasts) {
  Open("C1", v1::PRIORITY_P1);
  Open("C2", v1::PRIORITY_P1);
  v1::PauseRequest pause;
  pause.set_idempotency_key("pause-1");
  pause.set_complaint_id("C2");
  pause.set_reason("waiting for the owner to let us in");
  v1::PauseResponse paused;
  ASSERT_TRUE(As("staff/eng.wang")->Pause(Call().get(), pause, &paused).ok());
  EXPECT_TRUE(paused.outcome().clock_paused());
  EXPECT_EQ(Fire(), 0u) << "nothing is due yet";

  v1::GetComplaintRequest get;
  get.set_complaint_id("C1");
  v1::GetComplaintResponse before;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->GetComplaint(&context, get, &before).ok());
  // Every P1 timer but the follow-up target's (3 days) is due within a day.
  int scheduled = 0;
  for (const v1::ScheduledTimer& timer : before.view().tracking().sla().scheduled()) {
    scheduled += FromProto(timer.fire_at()) <= kReceivedAt + absl::Hours(24);
  }
  ASSERT_GT(scheduled, 8);

  clock_.Advance(absl::Hours(24));
  EXPECT_EQ(Fire(), static_cast<size_t>(scheduled)) << "C1's timers; C2's stopped with its clock";
  const int fired = Count("C1", v1::Envelope::kDeadlineWarning) +
                    Count("C1", v1::Envelope::kDeadlineBreached) +
                    Count("C1", v1::Envelope::kEscalated);
  EXPECT_EQ(fired, scheduled);
  EXPECT_GE(Count("C1", v1::Envelope::kEscalated), 2) << "up the chain";
  EXPECT_EQ(Count("C2", v1::Envelope::kDeadlineBreached), 0);
  EXPECT_EQ(Fire(), 0u);

  // A restarted app over the same store fires nothing again.
  absl::StatusOr<size_t> after_restart = NewApp()->FireDueTimers();
  ASSERT_TRUE(after_restart.ok());
  EXPECT_EQ(*after_restart, 0u);

  v1::ResumeRequest resume;
  resume.set_idempotency_key("resume-1");
  resume.set_complaint_id("C2");
  v1::ResumeResponse resumed;
  ASSERT_TRUE(As("staff/eng.wang")->Resume(Call().get(), resume, &resumed).ok());
  EXPECT_FALSE(resumed.outcome().clock_paused());
  clock_.Advance(absl::Hours(23));  // 47 h after receipt: C2's clock ran 24 h + the pause start
  EXPECT_GT(Fire(), 0u);
  EXPECT_GE(Count("C2", v1::Envelope::kDeadlineBreached), 1);

  // §5.2: two days without news, the complainant is told where things stand, once.
  EXPECT_EQ(Count("C1", v1::Envelope::kStatusReported), 0);
  clock_.Advance(absl::Hours(2));
  Fire();
  EXPECT_EQ(Count("C1", v1::Envelope::kStatusReported), 1);
  Fire();
  EXPECT_EQ(Count("C1", v1::Envelope::kStatusReported), 1);

  // §4.2: a closed complaint is archived after the retention period.
  Resolve("C1", "r1");
  Communicate("C1", "c1");
  EXPECT_EQ(FollowUp("C1", "f1", 5).status(), v1::HANDLING_STATUS_CLOSED);
  clock_.Advance(absl::Hours(24 * 364));
  Fire();
  EXPECT_EQ(Count("C1", v1::Envelope::kArchived), 0);
  clock_.Advance(absl::Hours(24 * 2));
  Fire();
  EXPECT_EQ(Count("C1", v1::Envelope::kArchived), 1);
}

}  // namespace
}  // namespace complaints::tracking

namespace complaints::tracking {
namespace {

TEST_F(TrackingCommandsTest, WhatTrackingDecidesTellsTheComplainantWithoutTheirData) {
  Open("C1");
  ASSERT_EQ(Resolve("C1", "resolve-1").status(), v1::HANDLING_STATUS_RESOLVED);
  std::vector<v1::Notification> sent = Notified(*store_);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].kind(), v1::NOTIFICATION_KIND_ACKNOWLEDGEMENT);
  EXPECT_EQ(sent[1].kind(), v1::NOTIFICATION_KIND_RESULT);
  EXPECT_EQ(sent[1].recipient(), v1::RECIPIENT_ROLE_COMPLAINANT);
  EXPECT_EQ(sent[1].texts_size(), 2) << "Chinese and English";
  EXPECT_EQ(sent[1].caused_by(), Outboxed(*store_).back().event_id())
      << "written with the event it follows from";
}

TEST_F(TrackingCommandsTest, AStoreRebuiltFromTheTopicsDecidesNothingAnewAndKnowsTheKeys) {
  Open("C1");
  ASSERT_EQ(Resolve("C1", "resolve-1").status(), v1::HANDLING_STATUS_RESOLVED);
  const std::vector<v1::Envelope> published = Outboxed(*store_);

  // A second tracking on an empty store reads its own topic back first, then
  // the other writers' topics.
  TempDir other;
  auto store = *Store::Open(other.Sub("db"));
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_TRACKING));
  auto letters = *DeadLetters::Open(store.get());
  WriteGate gate;
  auto rebuilt = *TrackingApp::Create({.parts = {.store = store.get(),
                                                 .outbox = outbox.get(),
                                                 .dead_letters = letters.get(),
                                                 .clock = &clock_,
                                                 .gate = &gate},
                                       .sla = &book_,
                                       .calendar = &calendar_,
                                       .handling = app_->handling_policy(),
                                       .notifier = &notifier_});
  std::vector<ConsumedRecord> own;
  for (size_t i = 0; i < published.size(); ++i) {
    own.push_back(ConsumedOf(topics::kTracking, published[i], static_cast<int64_t>(i)));
  }
  ASSERT_TRUE(rebuilt->Apply(own).ok());
  ASSERT_TRUE(
      rebuilt
          ->Apply({ConsumedOf(topics::kIntake, Received("C1"), 0),
                   ConsumedOf(topics::kIntake, Classified("C1", "plumbing", v1::PRIORITY_P2), 1)})
          .ok());
  ASSERT_TRUE(
      rebuilt->Apply({ConsumedOf(topics::kDispatch, Assigned("C1", "engineering"), 2)}).ok());
  EXPECT_TRUE(Outboxed(*store).empty()) << "everything was decided before";
  EXPECT_TRUE(Notified(*store).empty()) << "and everything was told before";
  EXPECT_EQ(Notified(*store_).size(), 2u) << "the acknowledgement and the result, once";
  EXPECT_EQ(*store->Get(Family::kState, ComplaintKey("C1", store->partitions())),
            *store_->Get(Family::kState, ComplaintKey("C1", store_->partitions())));

  v1::ResolveRequest again;
  again.set_idempotency_key("resolve-1");
  again.set_complaint_id("C1");
  again.set_outcome("the pipe was replaced");
  again.set_solution("new PPR pipe under the sink");
  again.set_prevention("annual check of kitchen pipes");
  absl::StatusOr<v1::ResolveResponse> repeated = rebuilt->Resolve(again, v1::Actor());
  ASSERT_TRUE(repeated.ok()) << repeated.status();
  EXPECT_TRUE(repeated->outcome().duplicate()) << "the rebuilt store knows the key";
}

}  // namespace
}  // namespace complaints::tracking

namespace complaints::tracking {
namespace {

TEST_F(TrackingCommandsTest, ACallBackThatEndsTheComplaintClosesIt) {
  Open("C1");
  v1::Envelope callback = EnvelopeOf("C1", v1::WRITER_INTAKE, 3);
  callback.mutable_callback_scheduled();
  v1::Envelope verified = EnvelopeOf("C1", v1::WRITER_INTAKE, 4);
  verified.mutable_verification_recorded()->set_outcome(v1::VERIFICATION_OUTCOME_ALREADY_RESOLVED);
  verified.mutable_verification_recorded()->set_explanation("fixed by the neighbour");
  ASSERT_TRUE(app_->Apply({ConsumedOf(topics::kIntake, callback, 100),
                           ConsumedOf(topics::kIntake, verified, 101)})
                  .ok());
  EXPECT_EQ(Count("C1", v1::Envelope::kClosed), 1);
  auto letters = letters_->List(10, "");
  ASSERT_TRUE(letters.ok());
  for (const auto& letter : letters->dead_letters()) ADD_FAILURE() << letter.reason();
}

}  // namespace
}  // namespace complaints::tracking

namespace complaints::tracking {
namespace {

// Every page of the work queue `request` gives, in order.
std::vector<std::string> ListAll(v1::TrackingService::Stub& stub,
                                 v1::ListComplaintsRequest request) {
  std::vector<std::string> ids;
  for (int pages = 0; pages < 50; ++pages) {
    grpc::ClientContext context;
    v1::ListComplaintsResponse page;
    grpc::Status status = stub.ListComplaints(&context, request, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const v1::WorkItem& item : page.items()) ids.push_back(item.complaint_id());
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  return ids;
}

TEST_F(TrackingCommandsTest, TheWorkQueueListsInResolveByOrderWithFiltersAndPages) {
  Open("C4", v1::PRIORITY_P4);
  Open("C1", v1::PRIORITY_P1);
  Open("C3", v1::PRIORITY_P3);
  Open("C2", v1::PRIORITY_P2);
  v1::ListComplaintsRequest all;
  all.set_page_size(1);
  EXPECT_EQ(ListAll(*As("staff/qian"), all), (std::vector<std::string>{"C1", "C2", "C3", "C4"}))
      << "the most urgent deadline first, one per page";
  v1::ListComplaintsRequest p3 = all;
  p3.set_priority(v1::PRIORITY_P3);
  EXPECT_EQ(ListAll(*As("staff/qian"), p3), (std::vector<std::string>{"C3"}));
  v1::ListComplaintsRequest engineering;
  engineering.set_department("engineering");
  EXPECT_EQ(ListAll(*As("staff/qian"), engineering).size(), 4u);
  engineering.set_department("security");
  EXPECT_TRUE(ListAll(*As("staff/qian"), engineering).empty());

  clock_.Advance(absl::Hours(10));  // past P1's resolve-by, not the others'
  ASSERT_EQ(Fire() > 0, true);
  v1::ListComplaintsRequest overdue;
  overdue.set_overdue(true);
  EXPECT_EQ(ListAll(*As("staff/qian"), overdue), (std::vector<std::string>{"C1"}));
  v1::ListComplaintsRequest breached;
  breached.set_breached(true);
  std::vector<std::string> with_breach;  // in resolve-by order, as listed
  for (const char* id : {"C1", "C2", "C3", "C4"}) {
    if (Count(id, v1::Envelope::kDeadlineBreached) > 0) with_breach.push_back(id);
  }
  EXPECT_EQ(ListAll(*As("staff/qian"), breached), with_breach)
      << "any recorded breach (respond too)";
  EXPECT_EQ(with_breach.front(), "C1");

  Resolve("C1", "r1");
  Communicate("C1", "c1");
  FollowUp("C1", "f1", 5);
  EXPECT_EQ(ListAll(*As("staff/qian"), all), (std::vector<std::string>{"C2", "C3", "C4"}))
      << "closed complaints leave the queue";
  v1::ListComplaintsRequest closed;
  closed.add_statuses(v1::HANDLING_STATUS_CLOSED);
  EXPECT_EQ(ListAll(*As("staff/qian"), closed), (std::vector<std::string>{"C1"}));

  grpc::ClientContext context;
  v1::ListComplaintsRequest bad;
  bad.set_page_token("zz");
  v1::ListComplaintsResponse page;
  EXPECT_EQ(stub_->ListComplaints(&context, bad, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace complaints::tracking
