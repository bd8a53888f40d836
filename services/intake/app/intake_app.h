#pragma once
// The intake shell: runs the intake decider for each submission through the
// command runner, which makes the result durable — events in the outbox, the
// view, and the idempotency key in one synced batch — before answering
// (DESIGN.md invariants 1 and 4). Intake reads its own topic back: on a store
// that was deleted that rebuilds the views and the idempotency keys, and
// submissions wait (UNAVAILABLE) until it is done.
// Thread-safe; concurrent submissions share WAL syncs.

#include <atomic>

#include "absl/status/statusor.h"
#include "complaints/v1/intake.pb.h"
#include "libs/core/clock.h"
#include "libs/core/ids.h"
#include "libs/runner/commands.h"
#include "libs/runner/consumed_batch.h"
#include "services/intake/domain/intake_decider.h"

namespace complaints::intake {

struct IntakeAppOptions {
  // dead_letters may be null: the app then reads nothing back, as in tests
  // of the command path alone.
  RunnerParts parts;
  IdGenerator* ids = nullptr;
  const Classifier* classifier = nullptr;
  // Beyond this many events waiting for Kafka, submissions are refused with
  // UNAVAILABLE (retry later) instead of growing the outbox without end.
  uint64_t outbox_high_water = 100'000;
  // Client idempotency keys are forgotten after this; keys that name a record
  // of another system (prefix "import:") never are.
  absl::Duration key_retention = absl::Hours(24 * 30);
};

class IntakeApp {
 public:
  explicit IntakeApp(IntakeAppOptions options);

  // OK with the new complaint; OK with duplicate=true and the original answer
  // for a repeated idempotency key; INVALID_ARGUMENT naming the field;
  // ALREADY_EXISTS when the key was used for a different request;
  // UNAVAILABLE while the outbox is above its high-water mark or the store is
  // being rebuilt from the topic.
  absl::StatusOr<v1::SubmitComplaintResponse> Submit(const v1::SubmitComplaintRequest& request);

  // Forgets client keys first used longer than key_retention ago.
  absl::StatusOr<size_t> ExpireKeys(size_t limit = 10'000) { return runner_.ExpireKeys(limit); }

  // Submissions are refused until SetAccepting(true): the shell calls it at
  // once for a store that has state, and after reading back the own topic for
  // a fresh one (a deleted store must not take a repeated key as new).
  void SetAccepting(bool accepting) { accepting_.store(accepting); }

  // Reads intake's own events back (the EventConsumer handler).
  ConsumedApplier& applier() { return applier_; }

 private:
  IntakeAppOptions options_;
  IntakeDecider decider_;
  CommandKind submit_;
  CommandRunner runner_;
  ConsumedApplier applier_;
  std::atomic<bool> accepting_{true};
};

}  // namespace complaints::intake
