// Strict consumption: what a consumer does with each kind of record.
#include "libs/runner/consumption.h"

#include "gtest/gtest.h"
#include "libs/complaint/view.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/testing/events.h"

namespace complaints {
namespace {

using namespace complaints::testing;

ConsumedRecord RecordOf(const v1::Envelope& event, absl::string_view topic) {
  return ConsumedOf(topic, event, 7);
}

Verdict Check(const ConsumedRecord& record, const v1::ComplaintView& view = {}) {
  v1::Envelope event;
  const bool decoded = DecodeEnvelope(record, &event);
  Verdict verdict = CheckEnvelope(record, decoded, event, Store::kDefaultPartitions,
                                  *TestAuthority(v1::WRITER_UNSPECIFIED));
  return verdict.action == Verdict::kApply ? CheckOrder(event, view) : verdict;
}

v1::ComplaintView ViewOf(std::initializer_list<v1::Envelope> events) {
  v1::ComplaintView view;
  for (const v1::Envelope& event : events) view = Evolve(std::move(view), event);
  return view;
}

void ExpectDead(const Verdict& verdict, v1::DeadLetterKind kind, absl::string_view reason) {
  EXPECT_EQ(verdict.action, Verdict::kDeadLetter);
  EXPECT_EQ(verdict.kind, kind) << verdict.reason;
  EXPECT_NE(verdict.reason.find(std::string(reason)), std::string::npos) << verdict.reason;
}

TEST(Consumption, TheNextEventOfAReceivedComplaintIsApplied) {
  EXPECT_EQ(Check(RecordOf(Received("C1"), topics::kIntake)).action, Verdict::kApply);
  EXPECT_EQ(Check(RecordOf(Classified("C1", "noise", v1::PRIORITY_P3), topics::kIntake),
                  ViewOf({Received("C1")}))
                .action,
            Verdict::kApply);
}

TEST(Consumption, GarbageBytesAreADeadLetter) {
  ExpectDead(Check({std::string(topics::kIntake), 0, 1, "C1", "\xff\xff\xff garbage"}),
             v1::DEAD_LETTER_KIND_UNDECODABLE, "not an Envelope");
}

TEST(Consumption, KeyMustBeTheComplaintId) {
  ConsumedRecord record = RecordOf(Received("C1"), topics::kIntake);
  record.key = "C2";
  record.payload = SignedFor(topics::kIntake, "C2", Received("C1").SerializeAsString());
  ExpectDead(Check(record), v1::DEAD_LETTER_KIND_FAILED_CHECK, "is not the complaint id C1");
}

TEST(Consumption, ARecordItsWriterDidNotSignIsForged) {
  // Well-formed and next in sequence, as a stolen Kafka credential could write it.
  ConsumedRecord unsigned_record = RecordOf(Received("C1"), topics::kIntake);
  unsigned_record.payload = Received("C1").SerializeAsString();
  ExpectDead(Check(unsigned_record), v1::DEAD_LETTER_KIND_FORGED, "not authenticated by intake");
  ConsumedRecord moved = RecordOf(Received("C1"), topics::kIntake);
  moved.key = "C2";  // signed for C1
  ExpectDead(Check(moved), v1::DEAD_LETTER_KIND_FORGED, "does not authenticate as intake's");
  ConsumedRecord by_dispatch = RecordOf(Received("C1"), topics::kIntake);
  by_dispatch.payload = TestAuthority(v1::WRITER_DISPATCH)
                            ->Sign(topics::kIntake, "C1", Received("C1").SerializeAsString());
  ExpectDead(Check(by_dispatch), v1::DEAD_LETTER_KIND_FORGED, "not one of intake's keys");
}

TEST(Consumption, ARecordMustBeOnThePartitionItsKeyGives) {
  ConsumedRecord record = RecordOf(Received("C1"), topics::kIntake);
  record.partition = (record.partition + 1) % 6;
  ExpectDead(Check(record), v1::DEAD_LETTER_KIND_FAILED_CHECK, "belongs on partition");
}

TEST(Consumption, WriterMustOwnTheTopic) {
  ExpectDead(
      Check(RecordOf(Assigned("C1", "engineering"), topics::kIntake), ViewOf({Received("C1")})),
      v1::DEAD_LETTER_KIND_FAILED_CHECK,
      "writer WRITER_DISPATCH does not write complaints.intake.v1");
}

TEST(Consumption, OnlyAnalyticsWritesIncidentsAndItWritesNothingElse) {
  const v1::ComplaintView received = ViewOf({Received("C1")});
  EXPECT_EQ(
      Check(RecordOf(IncidentDetected("C1", "INC-1", {"C1"}), topics::kAnalytics), received).action,
      Verdict::kApply);
  v1::Envelope forged = Assigned("C1", "engineering");
  forged.set_writer(v1::WRITER_ANALYTICS);
  forged.set_event_id("C1/analytics/1");
  ExpectDead(Check(RecordOf(forged, topics::kAnalytics), received),
             v1::DEAD_LETTER_KIND_FAILED_CHECK, "WRITER_ANALYTICS does not write assigned");
  v1::Envelope claimed = IncidentDetected("C1", "INC-1", {"C1"});
  claimed.set_writer(v1::WRITER_DISPATCH);
  claimed.set_event_id("C1/dispatch/1");
  ExpectDead(Check(RecordOf(claimed, topics::kDispatch), received),
             v1::DEAD_LETTER_KIND_FAILED_CHECK, "WRITER_DISPATCH does not write incident_detected");
}

TEST(Consumption, EventIdMustFollowFromComplaintWriterAndSequence) {
  v1::Envelope event = Received("C1");
  event.set_event_id("C1/intake/99");
  ExpectDead(Check(RecordOf(event, topics::kIntake)), v1::DEAD_LETTER_KIND_FAILED_CHECK,
             "event id");
}

TEST(Consumption, ComplaintIdIsBoundedAndPrintable) {
  v1::Envelope event = Received(std::string(65, 'C'));
  ExpectDead(Check(RecordOf(event, topics::kIntake)), v1::DEAD_LETTER_KIND_FAILED_CHECK,
             "is not a complaint id");
  event = Received(std::string("C\0x", 3));
  ExpectDead(Check(RecordOf(event, topics::kIntake)), v1::DEAD_LETTER_KIND_FAILED_CHECK,
             "is not a complaint id");
}

TEST(Consumption, AnUnknownPayloadIsKeptNotAppliedAsEmpty) {
  v1::Envelope event = Received("C1");
  event.clear_payload();
  std::string bytes = event.SerializeAsString();
  bytes += std::string("\xa2\x06\x02\x08\x01", 5);  // field 100, a message a newer writer knows
  ExpectDead(Check({std::string(topics::kIntake), PartitionOf("C1", 6), 1, "C1",
                    SignedFor(topics::kIntake, "C1", bytes)}),
             v1::DEAD_LETTER_KIND_UNKNOWN_PAYLOAD, "after upgrading");
  ExpectDead(Check(RecordOf(event, topics::kIntake)), v1::DEAD_LETTER_KIND_FAILED_CHECK,
             "no payload");
}

TEST(Consumption, IntakesFirstEventMustBeTheReceipt) {
  ExpectDead(Check(RecordOf(Classified("C1", "noise", v1::PRIORITY_P3, 1), topics::kIntake)),
             v1::DEAD_LETTER_KIND_FAILED_CHECK, "must be ComplaintReceived");
}

TEST(Consumption, AReSentOlderEventIsSkipped) {
  const v1::ComplaintView view =
      ViewOf({Received("C1"), Classified("C1", "noise", v1::PRIORITY_P3)});
  EXPECT_EQ(Check(RecordOf(Received("C1"), topics::kIntake), view).action, Verdict::kSkip);
}

TEST(Consumption, AGapParksUntilTheMissingSequence) {
  const Verdict verdict =
      Check(RecordOf(Classified("C1", "noise", v1::PRIORITY_P3, 3), topics::kIntake),
            ViewOf({Received("C1")}));
  EXPECT_EQ(verdict.action, Verdict::kPark);
  EXPECT_EQ(verdict.reason, "intake sequence 2");
}

TEST(Consumption, OtherWritersWaitForTheReceipt) {
  const Verdict verdict = Check(RecordOf(Assigned("C1", "engineering"), topics::kDispatch));
  EXPECT_EQ(verdict.action, Verdict::kPark);
  EXPECT_EQ(verdict.reason, "the complaint's receipt");
  EXPECT_EQ(
      Check(RecordOf(Assigned("C1", "engineering"), topics::kDispatch), ViewOf({Received("C1")}))
          .action,
      Verdict::kApply);
}

}  // namespace
}  // namespace complaints
