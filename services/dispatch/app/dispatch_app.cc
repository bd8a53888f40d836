#include "services/dispatch/app/dispatch_app.h"

#include "libs/core/time_util.h"
#include "libs/eventlog/consumed_batch.h"
#include "libs/eventlog/topics.h"

namespace complaints::dispatch {

absl::Status DispatchApp::Apply(const std::vector<ConsumedRecord>& records) {
  v1::Actor actor;
  actor.set_id("dispatch");
  actor.set_role("routing-policy");
  return ApplyConsumedBatch(options_.store, options_.outbox, Timeline::kSkip, records,
                            PolicyReaction(decider_, PolicyFor, v1::WRITER_DISPATCH,
                                           topics::kDispatch, actor, options_.clock->Now()));
}

}  // namespace complaints::dispatch
