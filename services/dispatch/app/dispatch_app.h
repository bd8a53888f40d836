#pragma once
// The dispatch shell: consumes intake events, runs the dispatch policy and
// decider with the open-work projection (open complaints per handler, round-
// robin turns) it keeps in its store, and writes assignments, briefings,
// views, the projection and offsets in one batch.
// Called from the consumer thread only.

#include <vector>

#include "absl/status/status.h"
#include "libs/core/clock.h"
#include "libs/runner/consumed_batch.h"
#include "services/dispatch/domain/dispatch_decider.h"

namespace complaints::dispatch {

struct DispatchAppOptions {
  RunnerParts parts;
  const Router* router = nullptr;
};

class DispatchApp {
 public:
  explicit DispatchApp(DispatchAppOptions options);

  // The EventConsumer handler.
  absl::Status Apply(const std::vector<ConsumedRecord>& records) { return applier_.Apply(records); }
  ConsumedApplier& applier() { return applier_; }

 private:
  // The reaction for one batch, with the open-work projection loaded once.
  absl::StatusOr<Reaction> BatchReaction() const;

  DispatchAppOptions options_;
  DispatchDecider decider_;
  ConsumedApplier applier_;
};

}  // namespace complaints::dispatch
