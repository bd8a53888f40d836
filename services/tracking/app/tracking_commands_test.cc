// Staff commands of the tracking shell over a real gRPC channel and real
// RocksDB: a complaint worked to closing, retries, and refusals.
#include "services/tracking/app/tracking_commands_fixture.h"

namespace complaints::tracking {
namespace {

v1::AddNoteRequest NoteOf(const std::string& id, const std::string& key, const std::string& text) {
  v1::AddNoteRequest note;
  note.set_idempotency_key(key);
  note.set_complaint_id(id);
  note.set_text(text);
  return note;
}

TEST_F(TrackingCommandsTest, ARetryRecordsNothingAndItsKeyServesNoOtherRequest) {
  Open("C1");
  v1::AddNoteRequest note = NoteOf("C1", "note-1", "visited flat 1202: the kitchen pipe leaks");
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
}

TEST_F(TrackingCommandsTest, AComplaintIsWorkedToClosingWithTheActorFromTheCertificate) {
  Open("C1");
  v1::AddNoteResponse noted;
  ASSERT_TRUE(As("staff/eng.wang")
                  ->AddNote(Call().get(), NoteOf("C1", "note-1", "the kitchen pipe leaks"), &noted)
                  .ok());
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
}

TEST_F(TrackingCommandsTest, AClosedComplaintIsNotResolvedAgain) {
  Open("C1");
  ASSERT_EQ(Resolve("C1", "resolve-1").status(), v1::HANDLING_STATUS_RESOLVED);
  ASSERT_EQ(Communicate("C1", "tell-1").status(), v1::HANDLING_STATUS_COMMUNICATED);
  ASSERT_EQ(FollowUp("C1", "survey-1", 5).status(), v1::HANDLING_STATUS_CLOSED);
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

}  // namespace
}  // namespace complaints::tracking
