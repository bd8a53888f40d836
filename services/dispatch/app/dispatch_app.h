#pragma once
// The dispatch shell: consumes intake events, runs the dispatch policy and
// decider with the open-work projection (open complaints per handler, round-
// robin turns) it keeps in its store, and writes assignments, briefings,
// views, the projection and offsets in one batch. Staff commands (§3.1
// manual assignment, transfer, rejection, acceptance) run through the
// command runner; since they change the projection every complaint shares,
// they run alone at the WriteGate, as a consumed batch does. Thread-safe.

#include <vector>

#include "absl/status/status.h"
#include "complaints/v1/dispatch.pb.h"
#include "libs/core/clock.h"
#include "libs/runner/commands.h"
#include "libs/runner/consumed_batch.h"
#include "services/dispatch/app/assignment_feed.h"
#include "services/dispatch/app/routing_models.h"
#include "services/dispatch/domain/dispatch_decider.h"

namespace complaints::dispatch {

struct DispatchAppOptions {
  RunnerParts parts;
  const Router* router = nullptr;
  absl::Duration key_retention = absl::Hours(24 * 30);
  // §3.1 learned routing: the active model is asked about each complaint to
  // route; null: the rules alone.
  const RoutingModels* models = nullptr;
};

class DispatchApp {
 public:
  explicit DispatchApp(DispatchAppOptions options);

  // The EventConsumer handler.
  absl::Status Apply(const std::vector<ConsumedRecord>& records) { return applier_.Apply(records); }
  ConsumedApplier& applier() { return applier_; }

  // Staff commands (dispatch.proto): NOT_FOUND for a complaint dispatch does
  // not know, INVALID_ARGUMENT naming the field, FAILED_PRECONDITION naming
  // the state, ALREADY_EXISTS for a key used for another request.
  absl::StatusOr<v1::AssignResponse> Assign(const v1::AssignRequest& request,
                                            const v1::Actor& actor);
  absl::StatusOr<v1::TransferResponse> Transfer(const v1::TransferRequest& request,
                                                const v1::Actor& actor);
  absl::StatusOr<v1::RejectResponse> Reject(const v1::RejectRequest& request,
                                            const v1::Actor& actor);
  absl::StatusOr<v1::AcceptResponse> Accept(const v1::AcceptRequest& request,
                                            const v1::Actor& actor);

  // One page of a department's (or person's) assignments, in key order.
  absl::StatusOr<v1::ListAssignmentsResponse> ListAssignments(
      const v1::ListAssignmentsRequest& request) const;

  // §3.1 sends the department's (or person's) assignment changes after
  // request.cursor through `write`, then new ones as they are recorded, until
  // `write` returns false or `idle` (which waits up to the given time for new
  // changes) says the caller is gone. INVALID_ARGUMENT naming the field;
  // FAILED_PRECONDITION for a cursor from before a rebuild.
  absl::Status WatchAssignments(
      const v1::WatchAssignmentsRequest& request,
      const std::function<bool(const v1::WatchAssignmentsResponse&)>& write,
      const std::function<bool(absl::Duration)>& idle);

  // Forgets client keys first used longer than key_retention ago.
  absl::StatusOr<size_t> ExpireKeys(size_t limit = 10'000) { return runner_.ExpireKeys(limit); }

 private:
  // Runs the decider command `make(view, workload, now)` gives as the staff
  // command `name`, and folds the complaint's move into the open work.
  template <typename Response, typename MakeCommand>
  absl::StatusOr<Response> Run(absl::string_view name, const google::protobuf::Message& request,
                               const std::string& key, const std::string& complaint_id,
                               const v1::Actor& actor, MakeCommand make);

  // The reaction for one batch, with the open-work projection loaded once.
  absl::StatusOr<Reaction> BatchReaction() const;

  DispatchAppOptions options_;
  DispatchDecider decider_;
  std::vector<CommandKind> kinds_;
  CommandRunner runner_;
  std::unique_ptr<AssignmentFeed> feed_;
  ConsumedApplier applier_;
};

}  // namespace complaints::dispatch
