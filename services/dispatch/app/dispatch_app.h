#pragma once
// The dispatch shell: runs dispatch's declaration (dispatch_spec.h) — the
// staff commands and the routing policy over the consumed intake, tracking
// and analytics events, with the open-work and feed projections — and
// answers the assignment listing and feed. Thread-safe.

#include <functional>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "complaints/v1/dispatch.pb.h"
#include "libs/runner/consumed_batch.h"
#include "libs/runner/spec_runner.h"
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
  absl::Status Apply(const std::vector<ConsumedRecord>& records) { return runner_.Apply(records); }
  ConsumedApplier& applier() { return runner_.applier(); }
  // The staff commands (dispatch.proto): NOT_FOUND for a complaint dispatch
  // does not know, INVALID_ARGUMENT naming the field, FAILED_PRECONDITION
  // naming the state, ALREADY_EXISTS for a key used for another request.
  SpecRunner& commands() { return runner_; }

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
  DispatchAppOptions options_;
  DispatchDecider decider_;
  std::unique_ptr<AssignmentFeed> feed_;
  SpecRunner runner_;
};

}  // namespace complaints::dispatch
