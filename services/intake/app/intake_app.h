#pragma once
// The intake shell: runs the intake decider for each submission and makes the
// result durable — events in the outbox, the view, and the idempotency key in
// one synced batch — before answering (DESIGN.md invariants 1 and 4).
// Thread-safe; concurrent submissions share WAL syncs.

#include <array>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "complaints/v1/intake.pb.h"
#include "libs/core/clock.h"
#include "libs/core/ids.h"
#include "libs/runner/outbox.h"
#include "libs/store/store.h"
#include "services/intake/domain/intake_decider.h"

namespace complaints::intake {

struct IntakeAppOptions {
  Store* store = nullptr;
  Outbox* outbox = nullptr;
  const Clock* clock = nullptr;
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
  // UNAVAILABLE while the outbox is above its high-water mark.
  absl::StatusOr<v1::SubmitComplaintResponse> Submit(const v1::SubmitComplaintRequest& request);

  // Forgets client keys first used longer than key_retention ago, at most
  // `limit` of them; returns how many. Called periodically by the shell.
  absl::StatusOr<size_t> ExpireKeys(size_t limit = 10'000);

 private:
  absl::Mutex& LockFor(absl::string_view idempotency_key);

  IntakeAppOptions options_;
  IntakeDecider decider_;
  // Submissions with the same key are serialised; others run in parallel.
  std::array<absl::Mutex, 64> key_locks_;
};

}  // namespace complaints::intake
