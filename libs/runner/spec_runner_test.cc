// A declared service run by the SpecRunner on real RocksDB: commands once per
// key, refusals that change nothing, policies on consumed events, projections
// folded on both paths, and keys restored when the service's own events are
// read back.
#include "libs/runner/spec_runner.h"

#include "absl/strings/match.h"
#include "complaints/v1/tracking.pb.h"
#include "gtest/gtest.h"
#include "libs/runner/dead_letters.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/testing/events.h"
#include "libs/testing/fake_clock.h"
#include "libs/testing/temp_dir.h"

namespace complaints {
namespace {

using namespace complaints::testing;

// A toy decider: a note is recorded, unless it says "no".
struct NoteDecider {
  struct AddNote {
    std::string text;
  };
  absl::StatusOr<std::vector<v1::Envelope>> Decide(const AddNote& command,
                                                   const v1::ComplaintView&) const {
    if (command.text == "no") return absl::FailedPreconditionError("not now");
    v1::Envelope event;
    event.mutable_note_added()->set_text(command.text);
    return std::vector<v1::Envelope>{event};
  }
};

// Counts the notes of every complaint under one key, loaded once per unit.
class NotesCounted final : public ProjectionFold {
 public:
  explicit NotesCounted(int64_t count) : count_(count) {}
  absl::Status Fold(Batch& batch, const ChangedComplaint& change) override {
    for (const v1::Envelope& event : change.events) count_ += event.has_note_added();
    batch.Put(Family::kCounts, "notes", std::to_string(count_));
    if (touched_) batch.Put(Family::kCounts, "touched", change.complaint_id);
    return absl::OkStatus();
  }
  // What a decision tells the projection beside its events.
  void Touch() { touched_ = true; }

 private:
  int64_t count_;
  bool touched_ = false;
};

const google::protobuf::MethodDescriptor* AddNoteMethod() {
  return MethodOf(v1::AddNoteRequest::descriptor()->file()->FindServiceByName("TrackingService"),
                  "AddNote");
}

ServiceSpec NotesSpec(const NoteDecider* decider, Store* store) {
  ServiceSpec spec{
      .service = "notes", .writer = v1::WRITER_TRACKING, .topic = std::string(topics::kTracking)};
  spec.commands.push_back(Command<v1::AddNoteRequest>(
      AddNoteMethod(),
      [decider](const v1::AddNoteRequest& request, const v1::Actor&) -> absl::StatusOr<Decision> {
        if (request.text().empty()) return absl::InvalidArgumentError("text: required");
        return Decide(decider, NoteDecider::AddNote{request.text()});
      }));
  spec.policies.push_back(
      {.role = "echo-policy",
       .when = [decider](const v1::Envelope& event, const v1::ComplaintView&,
                         const v1::ComplaintView&) -> std::optional<Decision> {
         if (!event.has_classified()) return std::nullopt;
         return Decide(decider,
                       NoteDecider::AddNote{"classified " + event.classified().category()});
       }});
  spec.projections.push_back(
      {.name = "notes counted",
       .begin = [store]() -> absl::StatusOr<std::unique_ptr<ProjectionFold>> {
         absl::StatusOr<std::optional<std::string>> stored = store->Get(Family::kCounts, "notes");
         if (!stored.ok()) return stored.status();
         return std::make_unique<NotesCounted>(*stored ? std::stoll(**stored) : 0);
       },
       .spans_complaints = true});
  spec.announce = [](const v1::Envelope& recorded, const v1::ComplaintView& after) {
    return std::vector<OutboxRecord>{
        {std::string(topics::kNotifications), after.complaint_id(), recorded.note_added().text()}};
  };
  spec.admit = [](const v1::Actor& actor, const v1::ComplaintView&) {
    return actor.id() == "stranger" ? absl::PermissionDeniedError("not yours") : absl::OkStatus();
  };
  return spec;
}

class SpecRunnerTest : public ::testing::Test {
 protected:
  struct Node {
    Node(const std::string& path, const Clock* clock, const NoteDecider* decider)
        : store(*Store::Open(path)),
          outbox(*Outbox::Open(store.get(), TestAuthority(v1::WRITER_TRACKING))),
          letters(*DeadLetters::Open(store.get())),
          runner(NotesSpec(decider, store.get()), {.store = store.get(),
                                                   .outbox = outbox.get(),
                                                   .dead_letters = letters.get(),
                                                   .clock = clock}) {}
    int64_t Notes() const {
      std::optional<std::string> stored = *store->Get(Family::kCounts, "notes");
      return stored ? std::stoll(*stored) : 0;
    }
    std::unique_ptr<Store> store;
    std::unique_ptr<Outbox> outbox;
    std::unique_ptr<DeadLetters> letters;
    SpecRunner runner;
  };

  static v1::AddNoteRequest Note(const std::string& key, const std::string& id,
                                 const std::string& text) {
    v1::AddNoteRequest request;
    request.set_idempotency_key(key);
    request.set_complaint_id(id);
    request.set_text(text);
    return request;
  }
  static v1::Actor Staff(const std::string& id) {
    v1::Actor actor;
    actor.set_id(id);
    return actor;
  }
  absl::StatusOr<v1::AddNoteResponse> Run(Node& node, const v1::AddNoteRequest& request,
                                          const std::string& actor = "li") {
    return node.runner.Run<v1::AddNoteResponse>(request, Staff(actor));
  }

  TempDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1'795'000'000)};
  NoteDecider decider_;
};

TEST_F(SpecRunnerTest, ACommandIsRecordedFoldedAndAnsweredOncePerKey) {
  Node node(dir_.Sub("a"), &clock_, &decider_);
  // Given a complaint the service knows,
  ASSERT_TRUE(node.runner.Apply({ConsumedOf(topics::kIntake, Received("C1"), 0)}).ok());
  // when a note is added twice with one key,
  absl::StatusOr<v1::AddNoteResponse> first = Run(node, Note("k1", "C1", "called back"));
  absl::StatusOr<v1::AddNoteResponse> again = Run(node, Note("k1", "C1", "called back"));
  // then it is recorded and counted once, and the repeat says so.
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(first->outcome().complaint_id(), "C1");
  EXPECT_FALSE(first->outcome().duplicate());
  EXPECT_TRUE(again->outcome().duplicate());
  const std::vector<v1::Envelope> recorded = Outboxed(*node.store);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].note_added().text(), "called back");
  EXPECT_EQ(recorded[0].writer(), v1::WRITER_TRACKING);
  EXPECT_EQ(recorded[0].actor().id(), "li");
  EXPECT_EQ(recorded[0].origin().command(), "AddNote");
  EXPECT_EQ(node.Notes(), 1);
}

TEST_F(SpecRunnerTest, EveryRefusalSaysWhyAndChangesNothing) {
  Node node(dir_.Sub("a"), &clock_, &decider_);
  ASSERT_TRUE(node.runner.Apply({ConsumedOf(topics::kIntake, Received("C1"), 0)}).ok());
  const struct {
    v1::AddNoteRequest request;
    std::string actor;
    absl::StatusCode code;
    std::string message;
  } refused[] = {
      {Note("k1", "C1", ""), "li", absl::StatusCode::kInvalidArgument, "text: required"},
      {Note("", "C1", "x"), "li", absl::StatusCode::kInvalidArgument, "idempotency_key"},
      {Note("k2", "", "x"), "li", absl::StatusCode::kInvalidArgument, "complaint_id: required"},
      {Note("k3", "C9", "x"), "li", absl::StatusCode::kNotFound, "complaint C9 is not known"},
      {Note("k4", "C1", "x"), "stranger", absl::StatusCode::kPermissionDenied, "not yours"},
      {Note("k5", "C1", "no"), "li", absl::StatusCode::kFailedPrecondition, "AddNote: not now"},
  };
  for (const auto& each : refused) {
    absl::StatusOr<v1::AddNoteResponse> response = Run(node, each.request, each.actor);
    ASSERT_FALSE(response.ok()) << each.message;
    EXPECT_EQ(response.status().code(), each.code) << response.status();
    EXPECT_NE(response.status().message().find(each.message), std::string::npos)
        << response.status();
  }
  EXPECT_TRUE(Outboxed(*node.store).empty());
  EXPECT_EQ(node.Notes(), 0);
  // A refused key was not spent: the same key with a good request is taken.
  EXPECT_TRUE(Run(node, Note("k5", "C1", "yes")).ok());
}

TEST_F(SpecRunnerTest, PoliciesDecideOnConsumedEventsAndProjectionsFoldThem) {
  Node node(dir_.Sub("a"), &clock_, &decider_);
  ASSERT_TRUE(
      node.runner
          .Apply({ConsumedOf(topics::kIntake, Received("C1"), 0),
                  ConsumedOf(topics::kIntake, Classified("C1", "plumbing", v1::PRIORITY_P3), 1)})
          .ok());
  const std::vector<v1::Envelope> recorded = Outboxed(*node.store);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].note_added().text(), "classified plumbing");
  EXPECT_EQ(recorded[0].actor().role(), "echo-policy");
  EXPECT_EQ(recorded[0].causation_id(), Classified("C1", "plumbing", v1::PRIORITY_P3).event_id());
  EXPECT_EQ(node.Notes(), 1);
}

TEST_F(SpecRunnerTest, OwnEventsReadBackRestoreKeysAndProjections) {
  Node first(dir_.Sub("a"), &clock_, &decider_);
  ASSERT_TRUE(first.runner.Apply({ConsumedOf(topics::kIntake, Received("C1"), 0)}).ok());
  ASSERT_TRUE(Run(first, Note("k1", "C1", "called back")).ok());
  const std::vector<v1::Envelope> own = Outboxed(*first.store);
  ASSERT_EQ(own.size(), 1u);

  // Given a rebuilt service that read its own topic back,
  Node rebuilt(dir_.Sub("b"), &clock_, &decider_);
  ASSERT_TRUE(rebuilt.runner
                  .Apply({ConsumedOf(topics::kIntake, Received("C1"), 0),
                          ConsumedOf(topics::kTracking, own[0], 0)})
                  .ok());
  // when the client retries, then it gets the first answer and nothing new.
  absl::StatusOr<v1::AddNoteResponse> retried = Run(rebuilt, Note("k1", "C1", "called back"));
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_TRUE(retried->outcome().duplicate());
  EXPECT_TRUE(Outboxed(*rebuilt.store).empty()) << "a rebuild decides nothing anew";
  EXPECT_EQ(rebuilt.Notes(), 1);
}

// The announcements the outbox holds, in order: "complaint: text".
std::vector<std::string> Announced(const Store& store) {
  std::vector<std::string> announced;
  EXPECT_TRUE(store
                  .Scan(Family::kOutbox, "", "", SIZE_MAX,
                        [&](absl::string_view, absl::string_view value) {
                          absl::StatusOr<OutboxRecord> record = Outbox::DecodeValue(value);
                          if (record.ok() && record->topic == topics::kNotifications) {
                            announced.push_back(record->key + ": " + record->payload);
                          }
                          return true;
                        })
                  .ok());
  return announced;
}

TEST_F(SpecRunnerTest, AnActOfTheServiceIsRecordedFoldedAndAnnouncedOnEveryComplaintItNames) {
  Node node(dir_.Sub("a"), &clock_, &decider_);
  ASSERT_TRUE(node.runner
                  .Apply({ConsumedOf(topics::kIntake, Received("C1"), 0),
                          ConsumedOf(topics::kIntake, Received("C2"), 1)})
                  .ok());
  // When the service acts on C1 with a decision that also names C2,
  const Decision both = [](const v1::ComplaintView& view,
                           const DecisionUnit& unit) -> absl::StatusOr<std::vector<v1::Envelope>> {
    absl::StatusOr<v1::ComplaintView> other = unit.ViewOf("C2");
    if (!other.ok()) return other.status();
    std::vector<v1::Envelope> events(2);
    events[0].mutable_note_added()->set_text("linked to " + other->complaint_id());
    events[1].set_complaint_id("C2");
    events[1].mutable_note_added()->set_text("linked from " + view.complaint_id());
    return events;
  };
  absl::StatusOr<bool> acted = node.runner.Run({"C1", "timer", "timer:t@1"}, both);
  // then each complaint records its event, folded and announced.
  ASSERT_TRUE(acted.ok()) << acted.status();
  EXPECT_TRUE(*acted);
  const std::vector<v1::Envelope> recorded = Outboxed(*node.store);
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0].complaint_id(), "C1");
  EXPECT_EQ(recorded[1].complaint_id(), "C2");
  EXPECT_EQ(recorded[1].actor().role(), "timer");
  EXPECT_EQ(recorded[1].causation_id(), "timer:t@1");
  EXPECT_EQ(node.Notes(), 2);
  // (Each announcement is signed: its text comes first.)
  const std::vector<std::string> announced = Announced(*node.store);
  ASSERT_EQ(announced.size(), 2u);
  EXPECT_TRUE(absl::StartsWith(announced[0], "C1: linked to C2")) << announced[0];
  EXPECT_TRUE(absl::StartsWith(announced[1], "C2: linked from C1")) << announced[1];
}

TEST_F(SpecRunnerTest, AnActRefusedRecordsNothingButCommitsWhatItToldItsProjections) {
  Node node(dir_.Sub("a"), &clock_, &decider_);
  ASSERT_TRUE(node.runner.Apply({ConsumedOf(topics::kIntake, Received("C1"), 0)}).ok());
  const Decision refused =
      [](const v1::ComplaintView&,
         const DecisionUnit& unit) -> absl::StatusOr<std::vector<v1::Envelope>> {
    unit.projection<NotesCounted>().Touch();
    return absl::FailedPreconditionError("moved on");
  };
  absl::StatusOr<bool> acted = node.runner.Run({"C1", "timer", "timer:t@1"}, refused);
  ASSERT_TRUE(acted.ok()) << acted.status();
  EXPECT_FALSE(*acted);
  EXPECT_TRUE(Outboxed(*node.store).empty());
  EXPECT_EQ(*node.store->Get(Family::kCounts, "touched"), std::optional<std::string>("C1"));
  // A failure that is not a refusal commits nothing, for the next round.
  const Decision failing =
      [](const v1::ComplaintView&,
         const DecisionUnit& unit) -> absl::StatusOr<std::vector<v1::Envelope>> {
    unit.projection<NotesCounted>().Touch();
    return absl::UnavailableError("disk");
  };
  ASSERT_TRUE(node.store
                  ->Write(
                      [] {
                        Batch batch;
                        batch.Delete(Family::kCounts, "touched");
                        return batch;
                      }(),
                      Durability::kSynced)
                  .ok());
  EXPECT_EQ(node.runner.Run({"C1", "timer", "timer:t@2"}, failing).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(*node.store->Get(Family::kCounts, "touched"), std::nullopt);
}

}  // namespace
}  // namespace complaints
