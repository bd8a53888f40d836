#pragma once
// Dispatch declared (§3.1): its staff commands, the routing policy, and the
// two projections it keeps beside the views — the open work (complaints
// open per handler, round-robin turns) and the assignment feed. Read
// dispatch_spec.cc for everything dispatch decides.

#include "libs/core/clock.h"
#include "libs/runner/service_spec.h"
#include "libs/store/store.h"
#include "services/dispatch/app/assignment_feed.h"
#include "services/dispatch/app/routing_models.h"
#include "services/dispatch/domain/dispatch_decider.h"

namespace complaints::dispatch {

// What the declaration refers to; all must outlive the spec's runner.
struct DispatchParts {
  Store* store = nullptr;
  const DispatchDecider* decider = nullptr;
  const Router* router = nullptr;
  AssignmentFeed* feed = nullptr;
  // §3.1 learned routing: asked about each complaint to route; null: rules alone.
  const RoutingModels* models = nullptr;
};

ServiceSpec DispatchSpec(const DispatchParts& parts);

// A department or handler id from a request, cleaned; INVALID_ARGUMENT
// naming `field` when it is empty (and `required`) or not a short line.
absl::StatusOr<std::string> CleanName(absl::string_view field, const std::string& name,
                                      bool required);

}  // namespace complaints::dispatch
