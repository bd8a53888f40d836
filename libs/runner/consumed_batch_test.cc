// The applier on real RocksDB: no record can stop the flow, nothing is applied
// out of order, and a refused record changes nothing but the dead letters.
#include "libs/runner/consumed_batch.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/testing/events.h"
#include "libs/testing/fake_clock.h"
#include "libs/testing/temp_dir.h"

namespace complaints {
namespace {

using namespace complaints::testing;
using ::testing::HasSubstr;

// A test reaction: a classification records an assignment; the category
// "refuse-me" records one and then refuses, so the refusal must undo it.
Reaction AssignOnClassified() {
  return [](UnitOfWork& unit, const v1::Envelope& event, const v1::ComplaintView&,
            const v1::ComplaintView&, absl::Time now) -> absl::Status {
    if (!event.has_classified()) return absl::OkStatus();
    std::vector<v1::Envelope> decided(1);
    decided[0].mutable_assigned()->set_department("engineering");
    const EventContext context{now, now, {}, event.event_id()};
    absl::Status recorded =
        unit.Record(event.complaint_id(), v1::WRITER_DISPATCH, topics::kDispatch, decided, context)
            .status();
    if (!recorded.ok()) return recorded;
    if (event.classified().category() == "refuse-me") {
      return Rejection(absl::FailedPreconditionError("assign: complaint is refused"));
    }
    return absl::OkStatus();
  };
}

class ConsumedApplierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = *Store::Open(dir_.Sub("db"));
    outbox_ = *Outbox::Open(store_.get(), complaints::testing::TestAuthority(v1::WRITER_DISPATCH));
    letters_ = *DeadLetters::Open(store_.get());
    applier_ = std::make_unique<ConsumedApplier>(
        ApplierOptions{.store = store_.get(),
                       .outbox = outbox_.get(),
                       .dead_letters = letters_.get(),
                       .clock = &clock_,
                       .timeline = Timeline::kSkip,
                       .park_timeout = absl::Minutes(10),
                       .max_parked_per_complaint = 3,
                       .authority = &outbox_->authority(),
                       .published = &published_},
        [] { return absl::StatusOr<Reaction>(AssignOnClassified()); });
  }

  ConsumedRecord Next(const v1::Envelope& event, absl::string_view topic = topics::kIntake) {
    return ConsumedOf(topic, event, offset_++);
  }
  v1::ComplaintView View(const std::string& id) {
    v1::ComplaintView view;
    auto stored = store_->Get(Family::kState, ComplaintKey(id, store_->partitions()));
    if (stored.ok() && stored->has_value()) view.ParseFromString(**stored);
    return view;
  }
  // The furthest next offset stored for intake's topic (this fixture numbers
  // offsets across partitions, so that is the last record's plus one).
  std::string StoredOffset() {
    int64_t furthest = -1;
    for (int partition = 0; partition < store_->partitions(); ++partition) {
      const std::optional<std::string> stored =
          *store_->Get(Family::kOffsets, "complaints.intake.v1/" + std::to_string(partition));
      if (stored) furthest = std::max<int64_t>(furthest, std::stoll(*stored));
    }
    return furthest < 0 ? "" : std::to_string(furthest);
  }
  std::vector<v1::DeadLetter> Letters() {
    auto page = letters_->List(500, "");
    return {page->dead_letters().begin(), page->dead_letters().end()};
  }

  TempDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1'795'000'000)};
  std::unique_ptr<Store> store_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<DeadLetters> letters_;
  PublishedOffsets published_{std::string(topics::kDispatch)};
  std::unique_ptr<ConsumedApplier> applier_;
  int64_t offset_ = 0;
};

TEST_F(ConsumedApplierTest, PoisonIsDeadLetteredAndTheFlowGoesOn) {
  ConsumedRecord garbage{"complaints.intake.v1", 0, offset_++, "C9", "\x01\x02garbage"};
  ASSERT_TRUE(
      applier_
          ->Apply({garbage, Next(Received("C1")), Next(Classified("C1", "noise", v1::PRIORITY_P3))})
          .ok());
  EXPECT_EQ(View("C1").dispatch().department(), "engineering");
  EXPECT_EQ(StoredOffset(), "3") << "the offset moves past the poison";
  ASSERT_EQ(Letters().size(), 1u);
  EXPECT_EQ(Letters()[0].id(), "complaints.intake.v1:0:0");
  EXPECT_EQ(Letters()[0].kind(), v1::DEAD_LETTER_KIND_UNDECODABLE);
  EXPECT_EQ(Letters()[0].record().payload(), garbage.payload);
  EXPECT_EQ(letters_->total(), 1u);
  EXPECT_EQ(letters_->by_kind().at("DEAD_LETTER_KIND_UNDECODABLE"), 1u);
}

// The service's own records that this process published are passed by
// unchecked when read back; any other record is checked as ever. (A payload
// that would be a dead letter shows which were checked: a real published
// record is the very event the service applied before publishing it.)
TEST_F(ConsumedApplierTest, OwnRecordsThisProcessPublishedArePassedByUnchecked) {
  const std::string garbage = "\x01\x02garbage";
  published_.Published(topics::kDispatch, 2, 10);
  published_.Published(topics::kDispatch, 2, 11);
  published_.Published(topics::kIntake, 0, 0);  // not the service's topic: ignored
  const std::string kDispatch(topics::kDispatch), kIntake(topics::kIntake);
  ASSERT_TRUE(applier_
                  ->Apply({{kDispatch, 2, 10, "C1", garbage},
                           {kIntake, 0, 0, "C1", garbage},
                           {kDispatch, 2, 11, "C1", garbage},
                           {kDispatch, 2, 12, "C1", garbage},   // never published here
                           {kDispatch, 3, 10, "C1", garbage}})  // another partition
                  .ok());
  EXPECT_EQ(applier_->passed_by(), 2u);
  std::vector<std::string> letters;
  for (const v1::DeadLetter& letter : Letters()) letters.push_back(letter.id());
  EXPECT_THAT(letters, ::testing::UnorderedElementsAre("complaints.intake.v1:0:0",
                                                       "complaints.dispatch.v1:2:12",
                                                       "complaints.dispatch.v1:3:10"));
  EXPECT_EQ(*store_->Get(Family::kOffsets, OffsetKey(kDispatch, 2)), "13")
      << "the offset moves past the records passed by";
  // Read again (a consumer that went back), a record is checked in full.
  ASSERT_TRUE(applier_->Apply({{kDispatch, 2, 10, "C1", garbage}}).ok());
  EXPECT_EQ(Letters().size(), 4u);
  EXPECT_EQ(applier_->passed_by(), 2u);
}

// Each record is decoded onto an arena reset for the next: one larger than
// its first block, then garbage, then small ones, each read as itself.
TEST_F(ConsumedApplierTest, ARecordPastTheDecodingBlockAndTheOnesAfterItApplyAsThemselves) {
  v1::Envelope large = Received("C1");
  large.mutable_received()->set_content(std::string(100 * 1024, 'x'));
  ConsumedRecord garbage{"complaints.intake.v1", 0, offset_++, "C9", "\x01\x02garbage"};
  ASSERT_TRUE(applier_
                  ->Apply({Next(large), garbage, Next(Received("C2")),
                           Next(Classified("C1", "noise", v1::PRIORITY_P3)),
                           Next(Classified("C2", "noise", v1::PRIORITY_P3))})
                  .ok());
  EXPECT_EQ(View("C1").intake().content().size(), 100u * 1024);
  EXPECT_EQ(View("C1").dispatch().department(), "engineering");
  EXPECT_EQ(View("C2").intake().content(), Received("C2").received().content());
  EXPECT_EQ(View("C2").dispatch().department(), "engineering");
  ASSERT_EQ(Letters().size(), 1u);
  EXPECT_EQ(Letters()[0].kind(), v1::DEAD_LETTER_KIND_UNDECODABLE);
}

TEST_F(ConsumedApplierTest, ARefusalUndoesItsRecordAloneAndIsDeadLettered) {
  ASSERT_TRUE(applier_
                  ->Apply({Next(Received("C1")), Next(Received("C2")),
                           Next(Classified("C1", "refuse-me", v1::PRIORITY_P3)),
                           Next(Classified("C2", "noise", v1::PRIORITY_P3))})
                  .ok());
  EXPECT_EQ(View("C1").intake().applied_sequence(), 1)
      << "the refused classification is not applied";
  EXPECT_EQ(View("C1").dispatch().applied_sequence(), 0) << "what its reaction recorded is undone";
  EXPECT_EQ(View("C2").dispatch().department(), "engineering");
  EXPECT_EQ(outbox_->depth(), 1u) << "only C2's assignment goes out";
  ASSERT_EQ(Letters().size(), 1u);
  EXPECT_EQ(Letters()[0].kind(), v1::DEAD_LETTER_KIND_REJECTED);
  EXPECT_THAT(Letters()[0].reason(), HasSubstr("assign: complaint is refused"));
}

TEST_F(ConsumedApplierTest, AGapParksTheComplaintAloneUntilTheMissingEventArrives) {
  const v1::Envelope classified = Classified("C1", "noise", v1::PRIORITY_P3);
  ASSERT_TRUE(
      applier_->Apply({Next(Assigned("C1", "security"), topics::kDispatch), Next(Received("C2"))})
          .ok());
  EXPECT_EQ(applier_->parked(), 1u) << "an assignment waits for the receipt";
  EXPECT_TRUE(View("C2").intake().received()) << "other complaints are not held";
  ASSERT_TRUE(applier_->Apply({Next(Received("C1"))}).ok());
  EXPECT_EQ(View("C1").dispatch().department(), "security") << "applied once its receipt arrived";
  EXPECT_EQ(applier_->parked(), 0u);
  EXPECT_TRUE(Letters().empty());
}

TEST_F(ConsumedApplierTest, ParkedAndReleasedInOneBatch) {
  ASSERT_TRUE(
      applier_->Apply({Next(Classified("C1", "noise", v1::PRIORITY_P3)), Next(Received("C1"))})
          .ok());
  EXPECT_EQ(View("C1").intake().applied_sequence(), 2);
  EXPECT_EQ(View("C1").dispatch().department(), "engineering");
  EXPECT_EQ(applier_->parked(), 0u);
}

TEST_F(ConsumedApplierTest, AReSentOldEventIsSkippedWithoutDroppingNewerOnes) {
  ASSERT_TRUE(
      applier_->Apply({Next(Received("C1")), Next(Classified("C1", "noise", v1::PRIORITY_P3))})
          .ok());
  ASSERT_TRUE(applier_->Apply({Next(Received("C1")), Next(Received("C2"))}).ok());
  EXPECT_EQ(View("C1").intake().applied_sequence(), 2);
  EXPECT_TRUE(View("C2").intake().received());
  EXPECT_TRUE(Letters().empty());
}

TEST_F(ConsumedApplierTest, AForgedHighSequenceDoesNotSilenceTheComplaint) {
  ASSERT_TRUE(
      applier_
          ->Apply({Next(Received("C1")), Next(Classified("C1", "noise", v1::PRIORITY_P3, 1000))})
          .ok());
  ASSERT_TRUE(applier_->Apply({Next(Classified("C1", "noise", v1::PRIORITY_P3, 2))}).ok());
  EXPECT_EQ(View("C1").intake().applied_sequence(), 2) << "the real next event is applied";
  clock_.Advance(absl::Minutes(11));
  ASSERT_TRUE(applier_->Sweep().ok());
  ASSERT_EQ(Letters().size(), 1u);
  EXPECT_EQ(Letters()[0].kind(), v1::DEAD_LETTER_KIND_GAP_TIMEOUT);
  EXPECT_THAT(Letters()[0].reason(), HasSubstr("for intake sequence 2"));
  EXPECT_EQ(applier_->parked(), 0u);
}

TEST_F(ConsumedApplierTest, ParkingIsBoundedPerComplaint) {
  std::vector<ConsumedRecord> records;
  for (int sequence = 3; sequence <= 6; ++sequence) {
    records.push_back(Next(Classified("C1", "noise", v1::PRIORITY_P3, sequence)));
  }
  ASSERT_TRUE(applier_->Apply(records).ok());
  EXPECT_EQ(applier_->parked(), 3u);
  ASSERT_EQ(Letters().size(), 1u);
  EXPECT_EQ(Letters()[0].kind(), v1::DEAD_LETTER_KIND_PARK_OVERFLOW);
}

TEST_F(ConsumedApplierTest, ParkingIsBoundedInAll) {
  ConsumedApplier small(ApplierOptions{.store = store_.get(),
                                       .outbox = outbox_.get(),
                                       .dead_letters = letters_.get(),
                                       .clock = &clock_,
                                       .max_parked_total = 2,
                                       .authority = &outbox_->authority()},
                        [] { return absl::StatusOr<Reaction>(AssignOnClassified()); });
  ASSERT_TRUE(small
                  .Apply({Next(Classified("C1", "noise", v1::PRIORITY_P3, 3)),
                          Next(Classified("C2", "noise", v1::PRIORITY_P3, 3)),
                          Next(Classified("C3", "noise", v1::PRIORITY_P3, 3))})
                  .ok());
  EXPECT_EQ(small.parked(), 2u);
  ASSERT_EQ(Letters().size(), 1u);
  EXPECT_EQ(Letters()[0].kind(), v1::DEAD_LETTER_KIND_PARK_OVERFLOW);
  EXPECT_THAT(Letters()[0].reason(), HasSubstr("2 records are parked already"));
}

TEST_F(ConsumedApplierTest, ASweepReadsOnlyWhatWaitedTooLong) {
  ASSERT_TRUE(applier_->Apply({Next(Classified("C1", "noise", v1::PRIORITY_P3, 3))}).ok());
  clock_.Advance(absl::Minutes(6));
  ASSERT_TRUE(applier_->Apply({Next(Classified("C2", "noise", v1::PRIORITY_P3, 3))}).ok());
  clock_.Advance(absl::Minutes(5));  // C1 waited 11 min, C2 5
  ASSERT_TRUE(applier_->Sweep().ok());
  ASSERT_EQ(Letters().size(), 1u);
  EXPECT_EQ(Letters()[0].record().key(), "C1");
  EXPECT_EQ(applier_->parked(), 1u);
  clock_.Advance(absl::Minutes(6));
  ASSERT_TRUE(applier_->Sweep().ok());
  EXPECT_EQ(Letters().size(), 2u);
  EXPECT_EQ(applier_->parked(), 0u);
  int entries = 0;
  ASSERT_TRUE(store_
                  ->Scan(Family::kParked, "", "", SIZE_MAX,
                         [&](absl::string_view, absl::string_view) {
                           ++entries;
                           return true;
                         })
                  .ok());
  EXPECT_EQ(entries, 0) << "records and their time index entries are gone";
}

TEST_F(ConsumedApplierTest, ADeadLetterIsReDrivenOnceItsCauseIsMended) {
  ASSERT_TRUE(applier_->Apply({Next(Classified("C1", "noise", v1::PRIORITY_P3))}).ok());
  clock_.Advance(absl::Minutes(11));
  ASSERT_TRUE(applier_->Sweep().ok());
  ASSERT_EQ(Letters().size(), 1u);
  const v1::DeadLetter letter = Letters()[0];
  EXPECT_EQ(letter.kind(), v1::DEAD_LETTER_KIND_GAP_TIMEOUT);

  absl::StatusOr<std::string> early = applier_->Retry(letter);
  ASSERT_TRUE(early.ok()) << early.status();
  EXPECT_EQ(*early, "PARKED") << "still waiting: parked again, not lost";
  clock_.Advance(absl::Minutes(11));
  ASSERT_TRUE(applier_->Sweep().ok());
  ASSERT_EQ(Letters().size(), 1u);

  ASSERT_TRUE(applier_->Apply({Next(Received("C1"))}).ok());
  absl::StatusOr<std::string> outcome = applier_->Retry(Letters()[0]);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(*outcome, "APPLIED");
  EXPECT_TRUE(Letters().empty());
  EXPECT_EQ(letters_->total(), 0u);
  EXPECT_EQ(View("C1").dispatch().department(), "engineering");
}

TEST_F(ConsumedApplierTest, ARetryThatFailsAgainKeepsTheLetterWithTheNewReason) {
  ASSERT_TRUE(
      applier_->Apply({Next(Received("C1")), Next(Classified("C1", "refuse-me", v1::PRIORITY_P3))})
          .ok());
  absl::StatusOr<std::string> outcome = applier_->Retry(Letters()[0]);
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(outcome.status().message()), HasSubstr("complaint is refused"));
  ASSERT_EQ(Letters().size(), 1u);
  EXPECT_EQ(Letters()[0].retries(), 1);
  EXPECT_EQ(letters_->total(), 1u);
}

TEST_F(ConsumedApplierTest, ALetterThatFailsAgainForAnotherReasonIsCountedUnderItsNewKind) {
  ASSERT_TRUE(applier_->Apply({Next(Classified("C1", "refuse-me", v1::PRIORITY_P3))}).ok());
  clock_.Advance(absl::Minutes(11));
  ASSERT_TRUE(applier_->Sweep().ok());
  ASSERT_EQ(Letters().size(), 1u);
  EXPECT_EQ(Letters()[0].kind(), v1::DEAD_LETTER_KIND_GAP_TIMEOUT);

  ASSERT_TRUE(applier_->Apply({Next(Received("C1"))}).ok());
  EXPECT_EQ(applier_->Retry(Letters()[0]).status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_EQ(Letters().size(), 1u);
  EXPECT_EQ(Letters()[0].kind(), v1::DEAD_LETTER_KIND_REJECTED);
  EXPECT_EQ(letters_->total(), 1u);
  EXPECT_EQ(letters_->by_kind(),
            (std::map<std::string, uint64_t>{{"DEAD_LETTER_KIND_REJECTED", 1}}));
}

TEST_F(ConsumedApplierTest, ParkedRecordsSurviveARestart) {
  ASSERT_TRUE(applier_->Apply({Next(Classified("C1", "noise", v1::PRIORITY_P3))}).ok());
  applier_.reset();
  letters_.reset();
  outbox_.reset();
  store_.reset();
  SetUp();  // a new applier over the same store
  EXPECT_EQ(applier_->parked(), 0u) << "counted on first use";
  ASSERT_TRUE(applier_->Apply({Next(Received("C1"))}).ok());
  EXPECT_EQ(View("C1").intake().applied_sequence(), 2);
  EXPECT_EQ(applier_->parked(), 0u);
}

}  // namespace
}  // namespace complaints
