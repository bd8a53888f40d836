// The command runner on real RocksDB: once per key, restored by read-back.
#include "libs/runner/commands.h"

#include "gtest/gtest.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/test_records.h"
#include "libs/testing/events.h"
#include "libs/testing/fake_clock.h"
#include "libs/testing/temp_dir.h"

namespace complaints {
namespace {

using namespace complaints::testing;

// Answers with the complaint id and how many intake events it has.
const CommandKind kNote{"Note", &v1::Envelope::default_instance(),
                        [](const v1::ComplaintView& view, google::protobuf::Message* answer) {
                          auto* envelope = static_cast<v1::Envelope*>(answer);
                          envelope->set_complaint_id(view.complaint_id());
                          envelope->set_sequence(view.intake().applied_sequence());
                        }};

class CommandRunnerTest : public ::testing::Test {
 protected:
  struct Node {
    explicit Node(const std::string& path, const Clock* clock, absl::Duration retention)
        : store(*Store::Open(path)),
          outbox(*Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE))),
          runner({store.get(), outbox.get(), clock, retention, {kNote}}) {}
    std::unique_ptr<Store> store;
    std::unique_ptr<Outbox> outbox;
    CommandRunner runner;
  };

  // Records one received event for "C1"; `refuse` makes the decider say no.
  absl::StatusOr<bool> Run(Node& node, const std::string& key, const std::string& text,
                           v1::Envelope* answer, bool refuse = false, bool expires = true) {
    v1::Envelope request;
    request.mutable_received()->set_content(text);
    const v1::CommandOrigin origin = OriginOf(kNote, request, key, expires);
    const EventContext context{clock_.Now(), clock_.Now(), {}, "note:" + key};
    return node.runner.Run(
        kNote, origin, "C1", context,
        [&](UnitOfWork& unit, const EventContext& stamped) -> absl::Status {
          if (refuse) return Rejection(absl::InvalidArgumentError("content: refused"));
          return unit.Record("C1", v1::WRITER_INTAKE, "t", {PayloadOf(request)}, stamped).status();
        },
        answer);
  }

  TempDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1'795'000'000)};
};

TEST_F(CommandRunnerTest, ARepeatAnswersTheFirstAnswerAndRecordsNothing) {
  Node node(dir_.Sub("a"), &clock_, absl::Hours(1));
  v1::Envelope first, second;
  ASSERT_EQ(*Run(node, "k1", "leak", &first), false);
  EXPECT_EQ(first.complaint_id(), "C1");
  EXPECT_EQ(first.sequence(), 1);
  EXPECT_EQ(node.outbox->depth(), 1u);
  ASSERT_EQ(*Run(node, "k1", "leak", &second), true);
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(node.outbox->depth(), 1u) << "a repeat records nothing";
}

TEST_F(CommandRunnerTest, EveryEventCarriesItsOrigin) {
  Node node(dir_.Sub("a"), &clock_, absl::Hours(1));
  v1::Envelope answer;
  ASSERT_TRUE(Run(node, "k1", "leak", &answer).ok());
  const std::vector<v1::Envelope> events = Outboxed(*node.store);
  ASSERT_EQ(events.size(), 1u);
  const v1::Envelope& event = events[0];
  EXPECT_EQ(event.origin().command(), "Note");
  EXPECT_EQ(event.origin().idempotency_key(), "k1");
  EXPECT_NE(event.origin().request_fingerprint(), 0u);
  EXPECT_TRUE(event.origin().key_expires());
}

TEST_F(CommandRunnerTest, TheSameKeyForAnotherRequestIsAlreadyExists) {
  Node node(dir_.Sub("a"), &clock_, absl::Hours(1));
  v1::Envelope answer;
  ASSERT_TRUE(Run(node, "k1", "leak", &answer).ok());
  const absl::StatusOr<bool> other = Run(node, "k1", "noise", &answer);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(node.outbox->depth(), 1u);
}

TEST_F(CommandRunnerTest, ARefusalKeepsNeitherEventsNorTheKey) {
  Node node(dir_.Sub("a"), &clock_, absl::Hours(1));
  v1::Envelope answer;
  EXPECT_TRUE(IsRejection(Run(node, "k1", "leak", &answer, /*refuse=*/true).status()));
  EXPECT_EQ(node.outbox->depth(), 0u);
  EXPECT_EQ(*node.store->Get(Family::kIdempotency, "k1"), std::nullopt);
  EXPECT_EQ(*Run(node, "k1", "leak", &answer), false) << "the key is free for a retry";
}

TEST_F(CommandRunnerTest, AStoreRebuiltFromTheEventsRecognisesTheRepeat) {
  Node original(dir_.Sub("a"), &clock_, absl::Hours(1));
  v1::Envelope first;
  ASSERT_TRUE(Run(original, "k1", "leak", &first).ok());

  Node rebuilt(dir_.Sub("b"), &clock_, absl::Hours(1));
  UnitOfWork unit(rebuilt.store.get(), rebuilt.outbox.get(), Timeline::kSkip);
  for (const v1::Envelope& event : Outboxed(*original.store)) {
    ASSERT_TRUE(*unit.ApplyConsumed(event, event.SerializeAsString()));
    rebuilt.runner.Restore(unit, event, **unit.View("C1"));
  }
  ASSERT_TRUE(unit.Commit(Durability::kSynced).ok());
  EXPECT_EQ(*rebuilt.store->Get(Family::kIdempotency, "k1"),
            *original.store->Get(Family::kIdempotency, "k1"));

  v1::Envelope again;
  ASSERT_EQ(*Run(rebuilt, "k1", "leak", &again), true);
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(Run(rebuilt, "k1", "noise", &again).status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(CommandRunnerTest, ClientKeysExpireAfterTheRetentionOthersNever) {
  Node node(dir_.Sub("a"), &clock_, absl::Hours(1));
  v1::Envelope answer;
  ASSERT_TRUE(Run(node, "client-key", "leak", &answer).ok());
  ASSERT_TRUE(Run(node, "import:old-7", "leak", &answer, false, /*expires=*/false).ok());
  clock_.Advance(absl::Minutes(59));
  EXPECT_EQ(*node.runner.ExpireKeys(), 0u);
  clock_.Advance(absl::Minutes(2));
  EXPECT_EQ(*node.runner.ExpireKeys(), 1u);
  EXPECT_EQ(*node.store->Get(Family::kIdempotency, "client-key"), std::nullopt);
  EXPECT_NE(*node.store->Get(Family::kIdempotency, "import:old-7"), std::nullopt);
}

TEST_F(CommandRunnerTest, RestoreLeavesExpiredAndUnknownKeysForgotten) {
  Node node(dir_.Sub("a"), &clock_, absl::Hours(1));
  UnitOfWork unit(node.store.get(), node.outbox.get(), Timeline::kSkip);
  v1::Envelope old_event = Received("C1");
  old_event.mutable_origin()->set_command("Note");
  old_event.mutable_origin()->set_idempotency_key("old");
  old_event.mutable_origin()->set_key_expires(true);
  old_event.mutable_recorded_at()->set_seconds(1'795'000'000 - 7200);
  v1::Envelope newer_kind = Received("C2");
  newer_kind.mutable_origin()->set_command("FromANewerVersion");
  newer_kind.mutable_origin()->set_idempotency_key("new");
  newer_kind.mutable_recorded_at()->set_seconds(1'795'000'000);
  for (const v1::Envelope& event : {old_event, newer_kind}) {
    ASSERT_TRUE(*unit.ApplyConsumed(event, event.SerializeAsString()));
    node.runner.Restore(unit, event, **unit.View(event.complaint_id()));
  }
  ASSERT_TRUE(unit.Commit(Durability::kSynced).ok());
  EXPECT_EQ(*node.store->Get(Family::kIdempotency, "old"), std::nullopt);
  EXPECT_EQ(*node.store->Get(Family::kIdempotency, "new"), std::nullopt);
  EXPECT_NE(*node.store->Get(Family::kState, ComplaintKey("C1", Store::kDefaultPartitions)),
            std::nullopt)
      << "the view is still rebuilt";
}

}  // namespace
}  // namespace complaints
