#pragma once
// One unit of work of the generic decider runner: load complaint views, fold
// consumed events into them, record newly decided events (completing their
// envelopes), and commit views, timeline, outbox entries and whatever the
// caller added to batch() in one atomic store write. Not thread-safe: one
// unit per request or per consumed batch.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"
#include "google/protobuf/arena.h"
#include "libs/complaint/view.h"
#include "libs/core/log.h"
#include "libs/runner/outbox.h"
#include "libs/store/store.h"

namespace complaints {

// A service acting on its own (a policy, a timer, the mail sender) as the
// actor of the events it records.
v1::Actor ServiceActor(absl::string_view service, absl::string_view role);

// Who and what caused the events being recorded.
struct EventContext {
  absl::Time occurred_at;
  absl::Time recorded_at;
  v1::Actor actor;
  std::string causation_id;
  // The client request the events are decided from, when it had an
  // idempotency key (CommandRunner sets it); stamped on every event.
  v1::CommandOrigin origin = {};
};

enum class Timeline { kSkip, kKeep };

class UnitOfWork;
// Sees each event the service decides now (Record; never one read back or
// consumed, so a rebuild calls it for nothing) with the complaint's view
// after it, to stage what follows from it (tracking's notifications).
using RecordHook = std::function<absl::Status(UnitOfWork& unit, const v1::Envelope& recorded,
                                              const v1::ComplaintView& after)>;

class UnitOfWork {
 public:
  // `store` and `outbox` must outlive the unit. `parts`: what of each view
  // the service keeps (libs/complaint/view.h).
  UnitOfWork(Store* store, Outbox* outbox, Timeline timeline, RecordHook on_record = nullptr,
             ViewParts parts = ViewParts::kWhole);
  ~UnitOfWork();
  UnitOfWork(const UnitOfWork&) = delete;
  UnitOfWork& operator=(const UnitOfWork&) = delete;

  // The complaint's view as of this unit (an empty view for an unknown id).
  // The view is the unit's own, not a copy: it changes as the unit applies
  // or records events for the complaint, and the pointer is valid until the
  // unit commits or rolls back. Copy it to keep a view from before a change.
  absl::StatusOr<const v1::ComplaintView*> View(const std::string& complaint_id);

  // Folds an event another writer published into the view. Returns false,
  // changing nothing, when the view has applied it already. `published` is
  // the record's payload the event was decoded from (its authentication
  // included): the timeline keeps those bytes, not a re-serialization.
  absl::StatusOr<bool> ApplyConsumed(const v1::Envelope& event, absl::string_view published);

  // Completes `decided` (payloads, optionally occurred_at and recorded_at —
  // an imported case's history is dated by its deciders) into envelopes of
  // `writer` numbered after what the view holds, folds them into the view and
  // stages them for `topic`. Returns the complete envelopes.
  absl::StatusOr<std::vector<v1::Envelope>> Record(const std::string& complaint_id,
                                                   v1::Writer writer, absl::string_view topic,
                                                   std::vector<v1::Envelope> decided,
                                                   const EventContext& context);

  // Stages a record that is not an event (the bytes of evidence) for the
  // outbox, published in order with the events of this unit: before those
  // recorded after it. RESOURCE_EXHAUSTED above the outbox's record ceiling.
  absl::Status Publish(OutboxRecord record);

  // For the caller's own entries (idempotency keys, offsets, aggregates).
  Batch& batch() { return batch_; }

  // A log line about `fields.complaint_id`, written when the unit commits
  // (and dropped if it does not), so logs tell only what was stored.
  void Note(log::Level level, ComplaintLogFields fields, std::string message);

  // True when Record staged events for the outbox.
  bool has_events() const { return !staged_.empty(); }

  // What the unit holds for one complaint at a point, so that work on that
  // complaint alone can be undone (a record a decider refused).
  struct Savepoint {
    std::string complaint_id;
    // The view as it was (the unit's own copy, valid until the next Mark);
    // null: not loaded yet.
    const v1::ComplaintView* view = nullptr;
    bool dirty = false;
    size_t batch_size = 0;
    size_t staged = 0;
    size_t notes = 0;
  };
  // A unit holds one savepoint at a time: Mark ends the one before it, whose
  // view it overwrites (one copy reused for every event of a batch, instead
  // of a new one made and freed per event).
  // REQUIRES: until Rollback or Commit, only `complaint_id` is touched.
  Savepoint Mark(const std::string& complaint_id);
  void Rollback(const Savepoint& savepoint);

  // Writes everything in one batch. The unit is spent afterwards.
  absl::Status Commit(Durability durability);

 private:
  // `bytes`: the event serialized, with or without its authentication.
  void AppendTimeline(const v1::Envelope& event, absl::string_view bytes);
  absl::StatusOr<v1::ComplaintView*> Load(const std::string& complaint_id);

  Store* store_;
  Outbox* outbox_;
  Timeline timeline_;
  ViewParts parts_;
  // The unit's views live on its arena: parsed, evolved and dropped with no
  // allocation or destructor per message (a batch loads hundreds), released
  // at once when the unit commits.
  google::protobuf::Arena arena_;
  std::map<std::string, v1::ComplaintView*, std::less<>> views_;
  std::map<std::string, bool, std::less<>> dirty_;
  v1::ComplaintView marked_;  // the view of the current savepoint
  RecordHook on_record_;
  std::vector<OutboxRecord> staged_;
  struct PendingNote {
    log::Level level;
    ComplaintLogFields fields;
    std::string message;
    std::string recorded_payload;  // counted in RecordedEvents when not empty
    std::string recorded_rule = "";
  };
  std::vector<PendingNote> notes_;
  Batch batch_;
};

// A decider's refusal, as opposed to a failure of the store: a consumed record
// that asked for it becomes a dead letter instead of being retried.
absl::Status Rejection(absl::Status status);
bool IsRejection(const absl::Status& status);

// Key of a timeline entry: the complaint's key (ComplaintKey), NUL, recorded
// time, the writer's place in the flow (intake, dispatch, tracking,
// analytics), the writer's sequence, event id — so a prefix scan returns one
// complaint's events in recorded order, and on a tie in the order the flow
// wrote them. Views are stored under ComplaintKey too.
std::string TimelineKey(const v1::Envelope& event, int partitions);
std::string TimelinePrefix(absl::string_view complaint_id, int partitions);

}  // namespace complaints
