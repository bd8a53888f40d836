#pragma once
// Executes a ServiceSpec (service_spec.h) on the generic runner:
//  - Run: a command through the CommandRunner — the request validated, the
//    idempotency key and complaint checked, the actor admitted, the decision
//    recorded and every projection folded, in one synced batch;
//  - applier(): the consumer's applier with one reaction — the service's own
//    events read back restore their idempotency keys; another writer's event
//    goes through the policies in order, each decision recorded as the
//    service; then every projection folds the complaint's change.
// A projection's fold begins once per command and once per consumed batch.
// Thread-safe as CommandRunner and ConsumedApplier are.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "libs/runner/commands.h"
#include "libs/runner/consumed_batch.h"
#include "libs/runner/service_spec.h"

namespace complaints {

class SpecRunner {
 public:
  // Everything `parts` names must outlive the runner.
  SpecRunner(ServiceSpec spec, const RunnerParts& parts,
             absl::Duration key_retention = absl::Hours(24 * 30));

  // Runs the command declared for `method` and fills the CommandOutcome
  // `outcome` of `response` (duplicate set for a repeat). NOT_FOUND for a
  // complaint the service does not know; a decider's refusal prefixed with
  // the command's name; UNIMPLEMENTED for a method the spec does not declare.
  absl::Status Run(const google::protobuf::MethodDescriptor* method,
                   const google::protobuf::Message& request, const v1::Actor& actor,
                   google::protobuf::Message* response);

  // The same for a request the service assembles itself (a streamed
  // upload's file), whose idempotency key and complaint are given.
  absl::Status Run(const google::protobuf::MethodDescriptor* method,
                   const google::protobuf::Message& request, const std::string& key,
                   const std::string& complaint_id, const v1::Actor& actor,
                   google::protobuf::Message* response);

  // The command whose request is a `Request` (tests and in-process callers).
  template <typename Response, typename Request>
  absl::StatusOr<Response> Run(const Request& request, const v1::Actor& actor) {
    Response response;
    absl::Status status =
        Run(MethodFor(Request::descriptor(), Response::descriptor()), request, actor, &response);
    if (!status.ok()) return status;
    return response;
  }

  // Runs `decision` as the service's own act (a due timer) in one buffered
  // unit with every projection folded. A refusal (the complaint moved on)
  // records nothing and is logged, but the unit still commits what the
  // decision told its projections (the fired entry gone). Returns whether
  // events were recorded. A person's act (Act::actor) is synced, and a
  // refusal of it is returned with nothing written.
  absl::StatusOr<bool> Run(const Act& act, const Decision& decision);

  // The EventConsumer handler and the applier behind it.
  absl::Status Apply(const std::vector<ConsumedRecord>& records) { return applier_.Apply(records); }
  ConsumedApplier& applier() { return applier_; }

  // Whether the idempotency key was answered before.
  absl::StatusOr<bool> Seen(absl::string_view key) const { return runner_.Seen(key); }

  // Forgets client keys first used longer than the key retention ago.
  absl::StatusOr<size_t> ExpireKeys(size_t limit = 10'000) { return runner_.ExpireKeys(limit); }

  const ServiceSpec& spec() const { return spec_; }

 private:
  const google::protobuf::MethodDescriptor* MethodFor(
      const google::protobuf::Descriptor* request,
      const google::protobuf::Descriptor* response) const;
  absl::StatusOr<std::vector<std::unique_ptr<ProjectionFold>>> BeginFolds() const;
  // Runs the opening command spec_.commands[index].
  absl::Status Open(size_t index, const google::protobuf::Message& request, const v1::Actor& actor,
                    google::protobuf::Message* response);
  absl::StatusOr<Reaction> BatchReaction() const;
  // One complaint's change while a unit records a decision.
  struct Change {
    std::string complaint_id;
    // The view before the change: the caller's (it outlives the changes) or
    // `owned`, a copy RecordEach took for a complaint the decision named.
    const v1::ComplaintView* before;
    ChangeEvents events;  // the consumed one (the applier's) and `decided`
    size_t consumed = 0;  // leading events read from a topic (ChangedComplaint)
    std::shared_ptr<const v1::ComplaintView> owned = nullptr;
    // The events recorded in the unit, which `events` points at (shared, so
    // that a copy of the change points at the same ones).
    std::vector<std::shared_ptr<const v1::Envelope>> decided = {};
  };
  // Records `decided` in `unit`: each event on the complaint it names (else
  // on the first change's complaint), adding a change for each complaint
  // not in `changes` yet, whose view before is the one the unit holds now.
  absl::Status RecordEach(UnitOfWork& unit, std::vector<v1::Envelope> decided,
                          const EventContext& context, std::vector<Change>& changes) const;
  // Folds every change into every projection.
  absl::Status FoldAll(UnitOfWork& unit, std::vector<std::unique_ptr<ProjectionFold>>& folds,
                       const std::vector<Change>& changes) const;

  ServiceSpec spec_;
  RunnerParts parts_;
  std::vector<CommandKind> kinds_;  // by command, in spec order
  CommandRunner runner_;
  ConsumedApplier applier_;
};

}  // namespace complaints
