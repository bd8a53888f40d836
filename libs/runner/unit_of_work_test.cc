// The generic runner's unit of work, on real RocksDB.
#include "libs/runner/unit_of_work.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/core/time_util.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/recorded_events.h"
#include "libs/runner/records.h"
#include "libs/runner/test_records.h"
#include "libs/testing/events.h"
#include "libs/testing/temp_dir.h"

namespace complaints {
namespace {

using namespace complaints::testing;

const EventContext kContext{
    absl::FromUnixSeconds(1'795'000'000), absl::FromUnixSeconds(1'795'000'001), {}, "cause-1"};

TEST(UnitOfWork, RecordNumbersEventsAndCommitsViewOutboxAndTimelineTogether) {
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE));
  UnitOfWork unit(store.get(), outbox.get(), Timeline::kKeep);
  // As intake published it: signed. The timeline keeps the signed bytes.
  const std::string received = Received("C1").SerializeAsString();
  const std::string published = complaints::testing::TestAuthority(v1::WRITER_INTAKE)
                                    ->Sign("complaints.intake.v1", "C1", received);
  ASSERT_NE(published, received);
  ASSERT_TRUE(unit.ApplyConsumed(Received("C1"), published).ok());
  std::vector<v1::Envelope> decided(1);
  decided[0].mutable_assigned()->set_department("engineering");
  auto recorded =
      unit.Record("C1", v1::WRITER_DISPATCH, "complaints.dispatch.v1", decided, kContext);
  ASSERT_TRUE(recorded.ok());
  ASSERT_EQ(recorded->size(), 1u);
  EXPECT_EQ((*recorded)[0].event_id(), "C1/dispatch/1");
  EXPECT_EQ((*recorded)[0].sequence(), 1);
  EXPECT_EQ((*recorded)[0].causation_id(), "cause-1");
  EXPECT_EQ(FromProto((*recorded)[0].recorded_at()), kContext.recorded_at);
  EXPECT_EQ(*store->Get(Family::kState, ComplaintKey("C1", Store::kDefaultPartitions)),
            std::nullopt)
      << "nothing before commit";
  ASSERT_TRUE(unit.Commit(Durability::kSynced).ok());

  v1::ComplaintView view;
  ASSERT_TRUE(view.ParseFromString(
      **store->Get(Family::kState, ComplaintKey("C1", Store::kDefaultPartitions))));
  EXPECT_EQ(view.dispatch().department(), "engineering");
  EXPECT_TRUE(view.intake().received());
  std::vector<std::string> timeline;
  int queued = 0;
  ASSERT_TRUE(
      store
          ->Scan(Family::kTimeline, TimelinePrefix("C1", Store::kDefaultPartitions), "", 100,
                 [&](absl::string_view key, absl::string_view value) {
                   if (absl::StartsWith(key, TimelinePrefix("C1", Store::kDefaultPartitions))) {
                     timeline.emplace_back(value);
                   }
                   return true;
                 })
          .ok());
  ASSERT_TRUE(store
                  ->Scan(Family::kOutbox, "", "", 100,
                         [&](absl::string_view, absl::string_view) {
                           ++queued;
                           return true;
                         })
                  .ok());
  // In recorded order (the receipt carries a later time than kContext's):
  // the assignment as recorded here, then the receipt as intake signed it,
  // without its authentication.
  EXPECT_EQ(timeline, (std::vector<std::string>{(*recorded)[0].SerializeAsString(), received}));
  EXPECT_EQ(queued, 1);
  EXPECT_EQ(outbox->SafeLimit(), 2u);
}

TEST(TimelineKey, EventsOfOneTimeSortInTheOrderTheFlowWroteThem) {
  // An imported case: every writer dates its events at the opening time, and
  // the event ids would sort the other way round.
  const absl::Time opened = absl::FromUnixSeconds(1'300'000'000);
  std::vector<v1::Envelope> flow = {
      EnvelopeOf("C1", v1::WRITER_INTAKE, 1),   EnvelopeOf("C1", v1::WRITER_INTAKE, 2),
      EnvelopeOf("C1", v1::WRITER_INTAKE, 10),  EnvelopeOf("C1", v1::WRITER_DISPATCH, 1),
      EnvelopeOf("C1", v1::WRITER_TRACKING, 1), EnvelopeOf("C1", v1::WRITER_ANALYTICS, 1)};
  const char* ids[] = {"z", "y", "x", "c", "b", "a"};
  for (size_t i = 0; i < flow.size(); ++i) {
    *flow[i].mutable_recorded_at() = ToProto(opened);
    flow[i].set_event_id(ids[i]);
  }
  for (size_t i = 1; i < flow.size(); ++i) {
    EXPECT_LT(TimelineKey(flow[i - 1], 6), TimelineKey(flow[i], 6)) << i;
  }
  // Time still comes first: an earlier dispatch event sorts before a later intake one.
  v1::Envelope later = flow[0];
  *later.mutable_recorded_at() = ToProto(opened + absl::Microseconds(1));
  EXPECT_LT(TimelineKey(flow[3], 6), TimelineKey(later, 6));
}

TEST(UnitOfWork, ASavepointUndoesOneComplaintsWorkAndTheNextMarkTakesItsPlace) {
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_DISPATCH));
  UnitOfWork unit(store.get(), outbox.get(), Timeline::kSkip);
  ASSERT_TRUE(unit.ApplyConsumed(Received("C1"), "").ok());
  ASSERT_TRUE(unit.ApplyConsumed(Received("C2"), "").ok());
  std::vector<v1::Envelope> decided(1);
  decided[0].mutable_assigned()->set_department("engineering");

  // C1: marked, changed, kept.
  const UnitOfWork::Savepoint first = unit.Mark("C1");
  ASSERT_NE(first.view, nullptr);
  EXPECT_EQ(first.view->dispatch().department(), "");
  ASSERT_TRUE(
      unit.Record("C1", v1::WRITER_DISPATCH, "complaints.dispatch.v1", decided, kContext).ok());
  EXPECT_EQ(first.view->dispatch().department(), "") << "the savepoint's view is a copy";

  // C2: the next mark takes its place; its work is undone, C1's stays.
  const UnitOfWork::Savepoint second = unit.Mark("C2");
  EXPECT_EQ(second.view->complaint_id(), "C2");
  ASSERT_TRUE(
      unit.Record("C2", v1::WRITER_DISPATCH, "complaints.dispatch.v1", decided, kContext).ok());
  EXPECT_EQ((*unit.View("C2"))->dispatch().department(), "engineering");
  unit.Rollback(second);
  EXPECT_EQ((*unit.View("C2"))->dispatch().department(), "");
  EXPECT_TRUE((*unit.View("C2"))->intake().received());
  EXPECT_EQ((*unit.View("C1"))->dispatch().department(), "engineering");

  // A complaint not loaded when marked is unloaded again.
  const UnitOfWork::Savepoint unloaded = unit.Mark("C3");
  EXPECT_EQ(unloaded.view, nullptr);
  ASSERT_TRUE(unit.ApplyConsumed(Received("C3"), "").ok());
  unit.Rollback(unloaded);
  EXPECT_FALSE((*unit.View("C3"))->intake().received());

  ASSERT_TRUE(unit.Commit(Durability::kBuffered).ok());
  EXPECT_EQ(outbox->depth(), 1u) << "C1's event only: C2's was undone with its view";
}

TEST(UnitOfWork, CommittedEventsAreCountedByPayloadAndDecidingRule) {
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE));
  const RecordedEvents::Counts before = RecordedEvents::Snapshot();
  auto record = [&](const std::string& id, bool commit) {
    UnitOfWork unit(store.get(), outbox.get(), Timeline::kSkip);
    ASSERT_TRUE(unit.ApplyConsumed(Received(id), Received(id).SerializeAsString()).ok());
    std::vector<v1::Envelope> decided(2);
    decided[0].mutable_assigned()->mutable_rule()->set_id("route-lift");
    decided[1].mutable_note_added()->set_text("checked");
    ASSERT_TRUE(
        unit.Record(id, v1::WRITER_DISPATCH, "complaints.dispatch.v1", decided, kContext).ok());
    if (commit) {
      ASSERT_TRUE(unit.Commit(Durability::kBuffered).ok());
    }
  };
  record("C1", true);
  record("C2", false);  // never committed: counts nothing
  const RecordedEvents::Counts after = RecordedEvents::Snapshot();
  auto added = [](const auto& before_map, const auto& after_map, const auto& key) -> uint64_t {
    auto was = before_map.find(key);
    auto is = after_map.find(key);
    return (is == after_map.end() ? 0 : is->second) - (was == before_map.end() ? 0 : was->second);
  };
  EXPECT_EQ(added(before.by_payload, after.by_payload, std::string("assigned")), 1u);
  EXPECT_EQ(added(before.by_payload, after.by_payload, std::string("note_added")), 1u);
  EXPECT_EQ(added(before.by_rule, after.by_rule,
                  std::make_pair(std::string("assigned"), std::string("route-lift"))),
            1u);
  for (const auto& [key, count] : after.by_rule) {
    EXPECT_NE(key.first, "note_added") << "a note is no rule's decision";
  }
}

TEST(UnitOfWork, PublishedRecordsGoOutInOrderWithTheEventsAndHaveACeiling) {
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE),
                              /*max_record_bytes=*/1024);
  UnitOfWork unit(store.get(), outbox.get(), Timeline::kSkip);
  ASSERT_TRUE(unit.ApplyConsumed(Received("C1"), Received("C1").SerializeAsString()).ok());
  ASSERT_TRUE(unit.Publish({"complaints.evidence.v1", "C1", "chunk 0"}).ok());
  std::vector<v1::Envelope> decided(1);
  decided[0].mutable_evidence_attached()->mutable_attachment()->set_name("a.jpg");
  ASSERT_TRUE(unit.Record("C1", v1::WRITER_INTAKE, "complaints.intake.v1", decided, kContext).ok());
  const absl::Status too_big =
      unit.Publish({"complaints.evidence.v1", "C1", std::string(1025, 'x')});
  EXPECT_EQ(too_big.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(absl::StrContains(too_big.message(), "complaints.evidence.v1")) << too_big;
  ASSERT_TRUE(unit.Commit(Durability::kSynced).ok());
  std::vector<OutboxRecord> queued;
  ASSERT_TRUE(store
                  ->Scan(Family::kOutbox, "", "", 100,
                         [&](absl::string_view, absl::string_view value) {
                           queued.push_back(*Outbox::DecodeValue(value));
                           return true;
                         })
                  .ok());
  ASSERT_EQ(queued.size(), 2u);
  EXPECT_EQ(queued[0].topic, "complaints.evidence.v1");
  EXPECT_EQ(complaints::testing::Unsigned(queued[0].payload), "chunk 0");
  EXPECT_TRUE(complaints::testing::TestAuthority(v1::WRITER_TRACKING)
                  ->Verify({queued[0].topic, 0, 0, queued[0].key, queued[0].payload})
                  .ok())
      << "every record the outbox holds is signed by its writer";
  EXPECT_EQ(queued[1].topic, "complaints.intake.v1");
}

TEST(UnitOfWork, ConsumedEventAppliedOnceAcrossUnits) {
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE));
  {
    UnitOfWork unit(store.get(), outbox.get(), Timeline::kSkip);
    EXPECT_TRUE(*unit.ApplyConsumed(Received("C1"), Received("C1").SerializeAsString()));
    ASSERT_TRUE(unit.Commit(Durability::kBuffered).ok());
  }
  UnitOfWork unit(store.get(), outbox.get(), Timeline::kSkip);
  EXPECT_FALSE(*unit.ApplyConsumed(Received("C1"), Received("C1").SerializeAsString()))
      << "a redelivery is skipped";
  EXPECT_TRUE(*unit.ApplyConsumed(Classified("C1", "noise", v1::PRIORITY_P3), ""));
}

// Commit releases the unit's views (they live on its arena): the same unit
// then works from what the store holds, and a corrupt view loads nothing.
TEST(UnitOfWork, AfterCommitTheUnitReadsItsViewsAgainFromTheStore) {
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE));
  UnitOfWork unit(store.get(), outbox.get(), Timeline::kSkip);
  for (int i = 1; i <= 50; ++i) {
    ASSERT_TRUE(*unit.ApplyConsumed(Received(absl::StrCat("C", i)), ""));
  }
  const v1::ComplaintView* before_commit = *unit.View("C7");
  ASSERT_TRUE(before_commit->intake().received());
  ASSERT_TRUE(unit.Commit(Durability::kBuffered).ok());

  EXPECT_FALSE(*unit.ApplyConsumed(Received("C7"), "")) << "applied in the committed view";
  EXPECT_TRUE(*unit.ApplyConsumed(Classified("C7", "noise", v1::PRIORITY_P3), ""));
  EXPECT_EQ((*unit.View("C7"))->intake().category(), "noise");
  EXPECT_TRUE((*unit.View("C8"))->intake().received());
  ASSERT_TRUE(unit.Commit(Durability::kBuffered).ok());
  v1::ComplaintView stored;
  ASSERT_TRUE(stored.ParseFromString(
      **store->Get(Family::kState, ComplaintKey("C7", Store::kDefaultPartitions))));
  EXPECT_EQ(stored.intake().category(), "noise");

  Batch corrupt;
  corrupt.Put(Family::kState, ComplaintKey("C9", Store::kDefaultPartitions), "\xff\xff");
  ASSERT_TRUE(store->Write(std::move(corrupt), Durability::kSynced).ok());
  EXPECT_EQ(unit.View("C9").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(unit.View("C9").status().code(), absl::StatusCode::kDataLoss)
      << "a view that failed to parse is not kept half-loaded";
}

TEST(UnitOfWork, ConsumedOffsetIsStagedAsNextOffset) {
  Batch batch;
  StageConsumedOffset(batch, ConsumedRecord{"complaints.intake.v1", 3, 41, "C1", ""});
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  ASSERT_TRUE(store->Write(batch, Durability::kBuffered).ok());
  EXPECT_EQ(*store->Get(Family::kOffsets, "complaints.intake.v1/3"),
            std::optional<std::string>("42"));
}

TEST(UnitOfWork, ABatchStagesEachPartitionsHighestOffsetOnce) {
  const std::vector<ConsumedRecord> records = {
      {"complaints.intake.v1", 3, 41, "C1", ""},  {"complaints.intake.v1", 1, 7, "C2", ""},
      {"complaints.dispatch.v1", 3, 5, "C1", ""}, {"complaints.intake.v1", 3, 43, "C3", ""},
      {"complaints.intake.v1", 3, 42, "C4", ""},  {"complaints.dispatch.v1", 3, 9, "C5", ""}};
  Batch batch;
  StageConsumedOffsets(batch, records);
  EXPECT_EQ(batch.size(), 3u) << "one entry per partition";
  TempDir dir;
  auto store = *Store::Open(dir.Sub("db"));
  ASSERT_TRUE(store->Write(batch, Durability::kBuffered).ok());
  EXPECT_EQ(*store->Get(Family::kOffsets, "complaints.intake.v1/3"),
            std::optional<std::string>("44"));
  EXPECT_EQ(*store->Get(Family::kOffsets, "complaints.intake.v1/1"),
            std::optional<std::string>("8"));
  EXPECT_EQ(*store->Get(Family::kOffsets, "complaints.dispatch.v1/3"),
            std::optional<std::string>("10"));
}

}  // namespace
}  // namespace complaints
