#pragma once
// Client commands, run at most once per idempotency key (docs/architecture.md invariant
// 4): the first request with a key decides and records its events, its
// answer and the key in one synced batch; a repeat of the same request gets
// the first answer back; the same key with a different request is
// ALREADY_EXISTS. Every event carries its origin (command, key, request
// fingerprint), so a service rebuilt from its own topic restores the keys
// (Restore) and a retry after a rebuild is still recognised. Client keys are
// forgotten after a retention; keys that name another system's record never.
// Thread-safe: commands with the same key are serialised, others run in
// parallel and share WAL syncs.

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "libs/core/clock.h"
#include "libs/runner/unit_of_work.h"
#include "libs/runner/write_gate.h"

namespace complaints {

// One kind of command a service takes.
struct CommandKind {
  std::string name;  // the RPC, e.g. "SubmitComplaint"
  // An empty answer message of the RPC's response type.
  const google::protobuf::Message* answer_prototype = nullptr;
  // Fills the answer from the complaint's view after the command, so the
  // answer a rebuild restores is the one first given.
  std::function<void(const v1::ComplaintView& view, google::protobuf::Message* answer)> answer_of;
};

// What identifies one request of `kind`: its key (empty: no idempotency), a
// hash of its deterministic serialisation, and whether the key expires.
v1::CommandOrigin OriginOf(const CommandKind& kind, const google::protobuf::Message& request,
                           absl::string_view idempotency_key, bool key_expires);

struct CommandRunnerOptions {
  Store* store = nullptr;
  Outbox* outbox = nullptr;
  const Clock* clock = nullptr;
  absl::Duration key_retention = absl::Hours(24 * 30);
  // Every kind the service takes (Restore needs them all).
  std::vector<CommandKind> kinds;
  // Commands on one complaint run one at a time, never beside a consumed
  // batch (null: the service has no other writer).
  WriteGate* gate = nullptr;
  // What the service's decisions announce (SpecRunner; service_spec.h).
  RecordHook record_hook = nullptr;
  // Commands that also change a projection shared by all complaints (dispatch's
  // open work) run alone, like a consumed batch.
  bool exclusive = false;
  // kKeep in a service that keeps every complaint's timeline (tracking).
  Timeline timeline = Timeline::kSkip;
  ViewParts view_parts = ViewParts::kWhole;
};

class CommandRunner {
 public:
  // Everything in `options` must outlive the runner.
  explicit CommandRunner(CommandRunnerOptions options) : options_(std::move(options)) {}

  // Decides and records the command's events in `unit` with `context` (whose
  // origin is filled in); a decider refusal is returned as it is.
  using Decide = std::function<absl::Status(UnitOfWork& unit, const EventContext& context)>;

  // Runs the command `origin` describes about `complaint_id`, answering in
  // `answer` (of the kind's type). Returns true for a repeat.
  absl::StatusOr<bool> Run(const CommandKind& kind, const v1::CommandOrigin& origin,
                           const std::string& complaint_id, EventContext context,
                           const Decide& decide, google::protobuf::Message* answer);

  // Whether a command with `idempotency_key` was answered already (a
  // repeat would get the stored answer).
  absl::StatusOr<bool> Seen(absl::string_view idempotency_key) const;

  // Restores the key an event read back from the service's own topic
  // carries, with the answer from the complaint's view after it. Keys past
  // their retention stay forgotten; so do keys of a command this version
  // does not know (a newer writer's), rather than stopping the read-back.
  void Restore(UnitOfWork& unit, const v1::Envelope& event, const v1::ComplaintView& after) const;

  // Forgets client keys first used longer than key_retention ago, at most
  // `limit` of them; returns how many. Called periodically by the shell.
  absl::StatusOr<size_t> ExpireKeys(size_t limit = 10'000);

 private:
  absl::Mutex& LockFor(absl::string_view idempotency_key);
  void StageKey(Batch& batch, const v1::CommandOrigin& origin, absl::Time first_used,
                const google::protobuf::Message& answer) const;

  CommandRunnerOptions options_;
  std::array<absl::Mutex, 64> key_locks_;
};

}  // namespace complaints
